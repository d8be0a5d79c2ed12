"""Who acted, read from the names a report writes: actors the taxonomy does not know. Pure.

The tagger knows the agencies, committees and companies of the story; coverage
also names others (a merger's parties, a state governor, a think tank, a
chip's model number). A name here is a word written as a name: an acronym
("USTR", "CSIS"), a word with a capital inside it ("VoxLoom") or with digits
("MI308", "3B993"), or a capitalised word inside a sentence that is not
title-cased. Names every story carries ("US", "China", "AI") say nothing about
which act a report covers and are left out.
"""

from __future__ import annotations

import re
from datetime import timedelta
from functools import lru_cache
from typing import TYPE_CHECKING

from tracker import event_acts, event_filings, event_register

# Kinds too common in coverage (a report, a letter) to say which act a report is about.
WEAK_KINDS = frozenset({"report", "letter"})

if TYPE_CHECKING:
    from tracker.events import EventItem

_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’.&-]*[A-Za-z0-9]|[A-Z]")
_ACRONYM = re.compile(r"^[A-Z][A-Z&]{1,6}$")
_INNER_CAPITAL = re.compile(r"^[A-Z]?[a-z]+[A-Z][A-Za-z]*$")
_CODE = re.compile(r"^(?=.*\d)(?=.*[A-Za-z])[A-Za-z0-9-]{3,}$")
_CAPITALISED = re.compile(r"^[A-Z][a-z]{2,}$")
# A title is title-cased when this share of its longer words is capitalised.
TITLE_CASE = 0.6
# Names in nearly every report of this field, and words capitalised by habit.
COMMON = frozenset(
    """us u.s usa ai uk eu un china chinese beijing washington america american americans
    united states states congress senate house white federal government administration
    department trump president tuesday monday wednesday thursday friday saturday sunday
    january february march april may june july august september october november december
    ceo cfo llc inc ltd corp co the a an and of for in on to with by at from as is are
    it its this that he she they we our new after over why what how who says said
    fy q1 q2 q3 q4 gpu gpus chip chips rule bill act rin ear eccn cfr fr
    bureau industry security committee subcommittee office commission agency regulations
    section secretary constitution center centre data trade export exports energy science
    transportation validated patent trademark national foreign affairs justice treasury
    senator senators sen rep representative representatives chairman chair ranking member
    members lawmakers governor minister ministry embassy court judge district""".split()
)


@lru_cache(maxsize=16384)
def names(title: str, text: str) -> frozenset[str]:
    """The names a report's title and opening write, lower-cased."""
    found = _names(title, sentence_case=not title_cased(title))
    for sentence in re.split(r"(?<=[.!?])\s+", text[:600]):
        found |= _names(sentence, sentence_case=not title_cased(sentence))
    return frozenset(found)


def _names(text: str, sentence_case: bool) -> set[str]:
    words = _TOKEN.findall(text)
    found = set()
    for n, word in enumerate(words):
        word = word.rstrip("'’s") if word.endswith(("'s", "’s")) else word
        is_name = bool(_ACRONYM.match(word) or _INNER_CAPITAL.match(word) or _CODE.match(word)) or (
            sentence_case and n > 0 and bool(_CAPITALISED.match(word))
        )
        if is_name and word.lower() not in COMMON and not word.isdigit():
            found.add(word.lower())
    return found


def title_cased(text: str) -> bool:
    longer = [w for w in _TOKEN.findall(text) if len(w) >= 4 and w[0].isalpha()]
    if len(longer) < 2:
        return False
    return sum(1 for w in longer if w[0].isupper()) >= TITLE_CASE * len(longer)


@lru_cache(maxsize=16384)
def actors(item: EventItem) -> frozenset[str]:
    """Who a report says acted: its entities, the names it writes, its publisher
    when it is the actor's own, and the chamber of a legislative report."""
    found = item.entities | names(item.title, item.text) | publisher(item)
    chamber = item.act.chamber or source_chamber(item)
    return found | {f"chamber:{chamber}"} if chamber and legislative(item) else found


@lru_cache(maxsize=16384)
def named_actors(item: EventItem) -> frozenset[str]:
    """Who acted, as a report's headline and source say it: its actors less the
    names only its text writes (fewer blocking keys per report)."""
    return actors(item) - (names(item.title, item.text) - names(item.title, ""))


@lru_cache(maxsize=16384)
def headline_actors(item: EventItem) -> frozenset[str]:
    """Who a headline says acted: its entities, the names it writes, the publisher
    of an actor's own release, and a sentence-case headline's first word when it
    is a name ("Meridian rolls out ...": a headline starts with its subject), and
    the filer a company's form is titled by."""
    found = item.entities | names(item.title, "") | publisher(item)
    if item.doc_type == "report":
        found |= event_filings.filer(item.title)  # "Veridian Semiconductor Corp. Form 8-K"
    words = _TOKEN.findall(item.title)
    if words and not title_cased(item.title):
        first = words[0].rstrip("'’s") if words[0].endswith(("'s", "’s")) else words[0]
        if _CAPITALISED.match(first) and first.lower() not in COMMON:
            found |= {first.lower()}
    return found


def same_kind_unnamed(a: EventItem, b: EventItem) -> bool:
    """Both report one kind of act, and neither names an actor the other does not:
    "US adds nine companies to export blacklist" beside the Entity List rule."""
    if not event_acts.shared_kinds(a.act, b.act) - WEAK_KINDS:
        return False
    who_a, who_b = actors(a), actors(b)
    return not who_a or not who_b or bool(who_a & who_b)


def publisher(item: EventItem) -> frozenset[str]:
    """Who acted, when the report is the actor's own release, filing or notice: its
    source's name less what says which feed it is ("bis-news", "fr-bis": BIS;
    "senate-banking-majority": the Banking Committee)."""
    if item.doc_type == "news" or not item.source:
        return frozenset()
    if not in_register(item):
        return _source_publisher(item.source)
    if item.source in REGISTER_FEEDS:
        # A feed of every agency's documents: the document's record, words and
        # citation lines say who acts.
        found = register_agency(item.text) | event_register.issuer(item.title, item.text)
        return item.agencies | found
    return item.agencies | _source_publisher(item.source)  # an agency's own Register feed


@lru_cache(maxsize=1024)
def _source_publisher(source: str) -> frozenset[str]:
    """Who acts, by the name of the actor's own feed."""
    parts = source.removeprefix("federal-register-").removeprefix("fr-").split("-")
    parts = [p for p in parts if p not in _FEED_WORDS] or parts[:1]
    if parts[0] not in ("senate", "house"):
        return frozenset({parts[0]})
    name = "-".join(parts)
    return frozenset({name, f"{name}-committee"})


# Federal Register feeds of every agency's documents (the whole Register, its
# public-inspection desk), as sources are named.
REGISTER_FEEDS = frozenset(
    {"federal-register", "federalregister", "fr", "fr-public-inspection",
     "federal-register-public-inspection"}
)  # fmt: skip

# Words in a source's name that say which of the actor's feeds it is, not who acts.
_FEED_WORDS = frozenset(
    """press news newsroom blog ir pubs like releases research reports competition antitrust
    actions hearings majority minority statements""".split()
)


def source_chamber(item: EventItem) -> str | None:
    """The chamber whose committee published the report, if it is the committee's own."""
    if item.doc_type == "news":
        return None
    chamber = item.source.split("-")[0]
    if chamber in ("senate", "house"):
        return chamber
    # A member's or committee's own site: kettering.senate.gov, delacroix.house.gov.
    host = _HOST.match(item.url)
    if host and host.group(1).lower().endswith((".senate.gov", ".house.gov")):
        return "senate" if host.group(1).lower().endswith(".senate.gov") else "house"
    return None


_HOST = re.compile(r"https?://([^/:?#]+)")


@lru_cache(maxsize=16384)
def legislative(item: EventItem) -> bool:
    """A bill, a hearing, a congressional deed, or a committee's own report."""
    return (
        bool(item.act.kinds & event_acts.CONGRESS_KINDS)
        or item.doc_type in ("bill", "hearing")
        or source_chamber(item) is not None
        or bool(_COMMITTEE.search(item.title))
    )


_COMMITTEE = re.compile(r"\b(?:committee|subcommittee|panel|chairs?|chairman)\b", re.I)


def printing(a: EventItem, b: EventItem) -> bool:
    """One is an agency's own release and the other the Federal Register's printing
    of that agency's document: the Register prints an act days after it is announced,
    never days before (an agency's release a week after a printing announces its next
    act: BIS's Russia listings after the Register printed its China listings)."""
    register = [in_register(a), in_register(b)]
    if register[0] == register[1]:
        return False
    printed, release = (a, b) if register[0] else (b, a)
    if printed.published < release.published - PRINTED_BEFORE:
        return False
    return bool(publisher(a) & publisher(b))


# The Register can print a document a day before its agency's release goes out.
PRINTED_BEFORE = timedelta(days=1)


def in_register(item: EventItem) -> bool:
    return item.source.startswith(("fr-", "federal-register")) or "federalregister.gov" in item.url


# A run of capitalised words (joined by "of", "and") naming a body of government.
_BODY = re.compile(
    r"\b((?:U\.S\. )?[A-Z][a-z]+(?: (?:of |and |for )?[A-Z][a-z]+){0,6})(?: \(([A-Z]{2,6})\))?"
)
_BODY_NOUNS = frozenset(
    "Commission Agency Bureau Office Department Administration Board Service Council".split()
)
_GENERIC = frozenset("U.S. Federal National United States Department Bureau Office The".split())


@lru_cache(maxsize=4096)
def register_agency(text: str) -> frozenset[str]:
    """The body a Federal Register document says acts ("The Federal Energy Regulatory
    Commission amends", "The Bureau of Industry and Security (BIS) requests"), by its
    initials, its own acronym and its first distinctive word ("copyright")."""
    for m in _BODY.finditer(text[:400]):
        words = m.group(1).split()
        if _BODY_NOUNS.isdisjoint(words):
            continue
        words = words[1:] if words[0] == "The" else words
        capitals = [w for w in words if w[0].isupper() and w != "U.S."]
        found = {"".join(w[0] for w in capitals).lower()}
        found.add("".join(w[0] for w in words if w != "and" and w != "U.S.").lower())  # DOE
        found |= {m.group(2).lower()} if m.group(2) else set()
        distinct = [w.lower() for w in capitals if w not in _GENERIC and w not in _BODY_NOUNS]
        # "The Commission amends": one initial names no agency.
        return frozenset(name for name in found | set(distinct[:1]) if len(name) > 1)
    return frozenset()
