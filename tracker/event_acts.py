"""What act a report is about: the identifiers, titles and verbs that name it. Pure.

Two reports are one happening when they are about the same act (the same
document, hearing, filing, announcement or vote), not when they share an
agency, a topic and a week. An act is named, strongest first, by a number
(Federal Register document, RIN, docket, bill, executive order, proclamation,
GAO report, FTC file), by its official title quoted in coverage, or by who
acted and how (a company reports results; a committee holds a hearing; a
member introduces a bill). `relation` compares two reports' acts: the same
act, different acts, or nothing known either way (word overlap decides).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Literal

from tracker.event_ids import identifiers as _identifiers
from tracker.event_ids import named_acts as _named_acts
from tracker.event_kinds import CONGRESS_KINDS
from tracker.event_kinds import kinds as _kinds

Relation = Literal["same", "different", "unlike", "unknown"]

_SENATE = re.compile(r"\b(Senate|[Ss]enators?|SASC)\b|\bSen\.|\bS\. \d")
_HOUSE = re.compile(r"(?<!White )\bHouse\b|\bRep\.|\bCongress(?:wo)?man\b|\bH\.R\. ?\d|\bHASC\b")
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
        kinds=_head_kinds(own_title, own_lede, doc_type),
        mentions=_kinds(own_title)
        | _kinds(EARLIER.sub(" ", own_lede))
        | _IMPLIED.get(doc_type, frozenset())
        | ({doc_type} if doc_type in ("report", "letter") else set()),
        chamber=_chamber(title) or _chamber(lede),
        beside=_kinds(beside) if beside else frozenset(),
    )


@lru_cache(maxsize=65536)
def relation(a: Act, b: Act) -> Relation:
    """Whether two reports cover the same act, different acts, or nothing says.

    "different" is certain (two document numbers, two hearings on two days,
    two official titles); "unlike" is what the words suggest (a Senate and a
    House report, a rule and a request for comments) and yields to overlap.
    """
    if _numbered_apart(a, b):
        return "different"
    shared = a.identifiers & b.identifiers - _weak(a, b)
    if shared:
        # A bill is one act at each stage: its introduction is not its markup,
        # and an event holding one stage takes no report of another.
        if all(i[:4] in ("bill", "act:") for i in shared):
            if _stages_conflict(a, b):
                return "different"
            if _kinds_conflict(a, b):
                return "unlike"
        return "same"
    if _quotes_title(a, b) or _quotes_title(b, a):
        return "same"
    if _two_documents(a, b) or (a.held_on and b.held_on and a.held_on != b.held_on):
        return "different"
    if a.chamber and b.chamber and a.chamber != b.chamber and (_legislative(a) or _legislative(b)):
        return "unlike"
    if _kinds_conflict(a, b):
        return "unlike"
    return "unknown"


def _numbered_apart(a: Act, b: Act) -> bool:
    """Two reports that each say which document they are, and differ."""
    conflict = (
        _conflict(a.own, b.own)
        or _conflict(a.own, b.identifiers)
        or _conflict(b.own, a.identifiers)
    )
    shared = (a.own & b.identifiers | b.own & a.identifiers) - _names_only(a, b)
    return conflict and not shared


def _names_only(a: Act, b: Act) -> set[str]:
    """Short titles, when the two reports give two bill numbers: companion bills in
    two chambers share a name and are two bills."""
    if not _conflict(_bills(a.own), _bills(b.own)):
        return set()
    return {i for i in a.identifiers | b.identifiers if i.startswith("act:")}


def _bills(ids: frozenset[str]) -> frozenset[str]:
    return frozenset(i for i in ids if i.startswith("bill:"))


def _quotes_title(a: Act, b: Act) -> bool:
    """`b` quotes or restates `a`'s official title (or its part before a colon)."""
    if not a.title_words:
        return False
    if a.title_phrase and f" {a.title_phrase} " in b.text_words:
        return True
    head = a.title_words.split(" : ")[0]
    if head.split()[-1] in _BODY_NOUNS:
        head = a.title_words  # "Federal Agency: Gaps in ...": the audited body, not the title
    heads = {a.title_words, head} if len(head.split()) >= 2 else {a.title_words}
    return bool(heads & b.quotes) or (
        len(head.split()) >= TITLE_WORDS and f" {head} " in b.text_words
    )


def shared_kinds(a: Act, b: Act) -> frozenset[str]:
    """The kinds of act both reports name (results, licence, hearing, ...)."""
    return a.kinds & b.kinds


def unnamed_letter(a: Act, b: Act) -> bool:
    """One report is about a letter, the other about some other deed and never
    mentions a letter: a letter about a licence is not the licence."""
    for letter, other in ((a, b), (b, a)):
        if "letter" in letter.mentions and "letter" not in alike(other.mentions) and other.kinds:
            return not any(f" {word}" in other.text_words for word in ("letter", "wrote ", "memo"))
    return False


def _two_documents(a: Act, b: Act) -> bool:
    """Two official documents of one type whose titles differ: two hearings, two letters."""
    return bool(
        a.title_words and b.title_words and a.doc_type == b.doc_type
        and a.doc_type in _FORMAL_TITLES
        and a.title_words != b.title_words
        and f" {a.title_words} " not in b.text_words and f" {b.title_words} " not in a.text_words
    )  # fmt: skip


def _weak(a: Act, b: Act) -> set[str]:
    """Identifiers that do not name this act: a named Act cited by a report not
    about legislation ("arrests give Chip Security Act backers a talking point")."""
    if _legislative(a) and _legislative(b):
        return set()
    return {i for i in a.identifiers & b.identifiers if i.startswith("act:")}


def _conflict(own: frozenset[str], other: frozenset[str]) -> bool:
    """Both give an identifier of the same kind, and none of that kind is shared."""
    if not (own and other):
        return False
    for kind in ("fr", "bill", "eo", "proc", "rin", "gao", "ftc-file", "memo", "act"):
        mine = {i for i in own if i.startswith(kind + ":")}
        theirs = {i for i in other if i.startswith(kind + ":")}
        if mine and theirs and not mine & theirs:
            return True
    return False


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
    if doc_type in ("report", "letter"):
        return frozenset({doc_type})
    return _kinds(title) | _IMPLIED.get(doc_type, frozenset()) or _kinds(lede)


def _kinds_conflict(a: Act, b: Act) -> bool:
    """Both say what was done, and neither names the other's deed anywhere in
    its title or lede: a rule and a comment request, a bill's introduction and
    a rule, results and a licence."""
    if not (a.kinds and b.kinds):
        return False
    return not (alike(a.kinds) & b.mentions or alike(b.kinds) & a.mentions)


def alike(kinds: frozenset[str]) -> frozenset[str]:
    """The kinds, and those coverage calls by each other's name (a memo sent to a
    committee is reported as a letter, and the other way round; a regulator's suit
    is reported as charges, a case, a complaint)."""
    if kinds.isdisjoint(_ANY_ALIKE):
        return kinds
    for pair in _CALLED_ALIKE:
        if not kinds.isdisjoint(pair):
            kinds = kinds | pair
    return kinds


_CALLED_ALIKE = (frozenset({"memo", "letter"}), frozenset({"suit", "charge"}))
_ANY_ALIKE = frozenset().union(*_CALLED_ALIKE)


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
# Last words of a body's name, which a report's title may lead with before a colon.
_BODY_NOUNS = frozenset("agency commission bureau office department administration board".split())
# Types whose documents carry one formal title: two titles, two documents.
_FORMAL_TITLES = frozenset(("executive-order", "proclamation", "notice", "rule", "export-control"))
_CONGRESS = CONGRESS_KINDS
_MONTHS = "january february march april may june july august september october november december"
_DAY = re.compile(rf"\b({_MONTHS.replace(' ', '|')}) (\d{{1,2}}), (20\d\d)\b", re.I)


def _stages(a: Act) -> frozenset[str]:
    """The legislative stages a report names; a bill's own record, dated by its
    introduction, stands for that stage."""
    stages = a.kinds & _CONGRESS
    return stages or (frozenset({"introduce"}) if a.doc_type == "bill" else stages)


def _stages_conflict(a: Act, b: Act) -> bool:
    """Two reports of one bill at two stages (introduced, marked up, passed),
    neither naming the other's."""
    ours, theirs = _stages(a), _stages(b)
    if not (ours and theirs):
        return False
    return not (ours & (b.mentions | theirs) or theirs & (a.mentions | ours))


def _legislative(a: Act) -> bool:
    return (
        a.doc_type in ("bill", "hearing")
        or bool(a.kinds & _CONGRESS)
        or any(i.startswith("bill:") for i in a.identifiers)
    )


def _named_day(text: str) -> date | None:
    found = _DAY.search(text)
    if not found:
        return None
    month = _MONTHS.split().index(found.group(1).lower()) + 1
    try:
        return datetime(int(found.group(3)), month, int(found.group(2))).date()
    except ValueError:
        return None


def _chamber(text: str) -> str | None:
    senate, house = bool(_SENATE.search(text)), bool(_HOUSE.search(text))
    return "senate" if senate and not house else "house" if house and not senate else None


def first_sentence(text: str) -> str:
    """The lede: the first sentence, at most `LEDE_CHARS` (text without sentence ends
    would otherwise be read whole for every kind of act)."""
    text = text[:LEDE_CHARS]
    end = _SENTENCE_END.search(text)
    return text[: end.start() + 1] if end else text
