"""What act a report is about, read from its title, text and address. Pure.

An act is named, strongest first, by a number (Federal Register document,
RIN, docket, bill, executive order, proclamation, GAO report, FTC file), by
its official title, or by who acted and how (a company reports results; a
committee holds a hearing; a member introduces a bill). `act_of` reads once
what a report says about its act; `tracker.event_acts` compares two acts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

from tracker import event_filings
from tracker.event_ids import identifiers as _identifiers
from tracker.event_ids import named_acts as _named_acts
from tracker.event_kinds import CONGRESS_KINDS
from tracker.event_kinds import kinds as _kinds

_SENATE = re.compile(r"\b(Senate|[Ss]enators?|SASC|SFRC|SSCI|HSGAC)\b|\bSen\.|\bS\. \d")
_HOUSE = re.compile(
    r"(?<!White )\bHouse\b|\bRep\.|\bCongress(?:wo)?man\b|\bH\.R\. ?\d|\b(?:HASC|HFAC|HPSCI)\b"
)
# A headline's subject: at most two words ("US", "The") before the body that acted.
_SUBJECT_AT = 12
_TITLE_PREFIX = re.compile(
    r"^(?:hearing|testimony|fact sheet|(?:s|h\.\s?r)\.\s?\d+(?:\s+is)?\s*-|"
    r"(?:executive order|proclamation) \d+ of \w+ \d+, \d{4}|[A-Z]+ AI [\d-]+)\s*:?\s*",
    re.I,
)
_WORDS = re.compile(r"[a-z0-9]+|(?<= ):(?= )")
# "Two days after the hearing", "days after the order": an act the headline or lede
# dates apart from its own is another act, not a mention of this one.
EARLIER = re.compile(
    r"\b(?:(?:\d+|a|one|two|three|four|five|six|several|a few) )?(?:days?|weeks?|months?) "
    r"(?:after|before|since)\b[^,.;]*",
    re.I,
)
# "The order, issued alongside the Commission's final rule, ...": an act set beside
# the report's own is another act done the same day, not this report's.
BESIDE = re.compile(r"\b(?:alongside|along with|separately from|apart from)\b[^,.;]*", re.I)
_QUOTED = re.compile(r"[“\"]([^”\"]{6,160})[”\"]")
_SENTENCE_END = re.compile(r"(?<=[a-z0-9)\"”])[.!?](?=\s+[A-Z])")
# What a report says about its act it says early: a long story is read this far.
READ_CHARS = 2000
# A lede longer than this is a paragraph, not a sentence: read this much of it.
LEDE_CHARS = 400
# An official title must say this much to be recognised when coverage quotes it.
TITLE_WORDS = 4
OFFICIAL_TYPES = frozenset(
    ("memo", "executive-order", "proclamation", "notice", "export-control", "rule", "bill",
     "letter", "hearing", "report")
)  # fmt: skip


@dataclass(frozen=True)
class Act:
    """What one report says about the act it covers."""

    identifiers: frozenset[str]  # typed: "fr:2026-04117", "bill:s3890", "act:chip security act"
    own: frozenset[str]  # the identifiers its title or address gives: what it is, not cites
    title_phrase: str  # its official title as words, "" unless an official document
    title_words: str  # an official document's title as words, however short; " : " kept
    quotes: frozenset[str]  # what it quotes, as words: often the title of what it covers
    doc_type: str
    held_on: date | None  # the day a hearing notice names, when it comes after publication
    text_words: str  # title and text as one string of words, to find quoted titles in
    kinds: frozenset[str]  # kinds of act its title names, or its type implies (else its lede)
    mentions: frozenset[str]  # kinds of act its title and lede name
    chamber: str | None  # "senate" / "house" when its title (else lede) names one chamber
    beside: frozenset[str] = frozenset()  # kinds of acts set beside its own ("alongside the rule")


@lru_cache(maxsize=16384)
def act_of(title: str, text: str, url: str, doc_type: str) -> Act:
    """The act a report is about, read from its title, text and address."""
    text = text[:READ_CHARS]
    lede = first_sentence(text)
    # Numbers anywhere name what a report covers; a bill's short title only in
    # its headline or first sentence ("It differs from the Senate's Chip Security
    # Act" later on compares two bills).
    cited = _identifiers(f"{title}\n{text}", url, names=False) | _named_acts(title, lede)
    own = (
        _identifiers(title, url) | _identifiers(lede, "")
        if doc_type in OFFICIAL_TYPES
        else (_identifiers(title, url))
    )
    words = _WORDS.findall(_TITLE_PREFIX.sub("", title.strip()).replace(":", " : ").lower())
    official = doc_type in OFFICIAL_TYPES
    own_title = EARLIER.sub(" ", title)  # without the earlier acts it dates apart
    beside = " ".join(BESIDE.findall(f"{title}. {lede}"))
    own_lede = BESIDE.sub(" ", lede)
    return Act(
        identifiers=frozenset(cited),
        own=frozenset(own),
        title_phrase=" ".join(w for w in words if w != ":")
        if official and len(words) >= TITLE_WORDS
        else "",
        quotes=frozenset(
            " ".join(_WORDS.findall(q.lower())) for q in _QUOTED.findall(f"{title} {text}")
        ),
        title_words=" ".join(words) if official else "",
        doc_type=doc_type,
        held_on=_named_day(f"{title} {text}") if doc_type == "hearing" else None,
        text_words=" " + " ".join(_WORDS.findall(f"{title} {text}".lower())) + " ",
        # What a lede dates before its own act ("a day after the agency opened a study")
        # is not what was done, as in the title.
        kinds=_head_kinds(own_title, EARLIER.sub(" ", own_lede), doc_type),
        mentions=_kinds(own_title)
        | _kinds(EARLIER.sub(" ", own_lede))
        | _IMPLIED.get(doc_type, frozenset())
        | _type_kind(title, doc_type),
        chamber=_headline_chamber(title, lede),
        beside=_kinds(beside) if beside else frozenset(),
    )


_TESTIMONY = re.compile(
    r"\s*(?:(?:written|prepared) )?(?:testimony|statement)(?: of\b.{0,120})?\s\bbefore (?:the )?"
    r"(?:u\.s\. |united states )?(?:senate|house|committee|subcommittee)",
    re.I,
)


def _head_kinds(title: str, lede: str, doc_type: str) -> frozenset[str]:
    """What the report says was done: a report or a letter is that whatever its
    title is about; otherwise its title's verbs and its type, else its lede's."""
    if _TESTIMONY.match(title):
        return frozenset({"hearing"})  # what a witness told a committee is that hearing
    if doc_type in ("report", "notice") and event_filings.is_filing(title):
        return event_filings.kinds(title)  # a complaint is the suit, not a published report
    if doc_type in ("report", "letter"):
        return frozenset({doc_type})
    if doc_type == "bill":
        # A bill's record is the bill at a stage; what the bill would do (licences,
        # rules, sanctions) is its subject, not a deed anyone has done.
        return _kinds(title) & CONGRESS_KINDS or _kinds(lede) & CONGRESS_KINDS
    return _kinds(title) | _IMPLIED.get(doc_type, frozenset()) or _kinds(lede)


def _type_kind(title: str, doc_type: str) -> frozenset[str]:
    """The act a report's or letter's type says it is; none for a filing typed
    report (a docket entry, a company's form), which records another act."""
    if doc_type == "letter" or (doc_type == "report" and not event_filings.is_filing(title)):
        return frozenset({doc_type})
    return frozenset()


# What an official document's type says it is, when its title does not.
_IMPLIED = {
    "rule": frozenset({"rule"}),
    "export-control": frozenset({"rule"}),
    "executive-order": frozenset({"order"}),
    "proclamation": frozenset({"proclamation"}),
    "hearing": frozenset({"hearing"}),
    "letter": frozenset({"letter"}),
    "memo": frozenset({"memo"}),
}
_MONTHS = "january february march april may june july august september october november december"
_DAY = re.compile(rf"\b({_MONTHS.replace(' ', '|')}) (\d{{1,2}}), (20\d\d)\b", re.I)


def _named_day(text: str) -> date | None:
    found = _DAY.search(text)
    if not found:
        return None
    month = _MONTHS.split().index(found.group(1).lower()) + 1
    try:
        return datetime(int(found.group(3)), month, int(found.group(2))).date()
    except ValueError:
        return None


def _headline_chamber(title: str, lede: str) -> str | None:
    """The chamber a headline names (else its lede); when it names both, the one that
    is its subject ("Senate Commerce approves KOSA, setting up clash with House bill"),
    if one is: "House and Senate bills compared" has none, and the lede does not decide."""
    senate, house = _SENATE.search(title), _HOUSE.search(title)
    if not (senate and house):
        return "senate" if senate else "house" if house else _chamber(lede)
    first = min(senate, house, key=lambda m: m.start())
    if first.start() > _SUBJECT_AT or re.match(r"\s*(?:and|&|,|/|-)", title[first.end() :]):
        return None
    return "senate" if first is senate else "house"


def _chamber(text: str) -> str | None:
    senate, house = bool(_SENATE.search(text)), bool(_HOUSE.search(text))
    return "senate" if senate and not house else "house" if house and not senate else None


def first_sentence(text: str) -> str:
    """The lede: the first sentence, at most `LEDE_CHARS` (text without sentence ends
    would otherwise be read whole for every kind of act)."""
    text = text[:LEDE_CHARS]
    end = _SENTENCE_END.search(text)
    return text[: end.start() + 1] if end else text
