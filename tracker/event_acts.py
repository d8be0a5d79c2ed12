"""Whether two reports are about one act: the identifiers, titles and verbs that name it. Pure.

Two reports are one happening when they are about the same act (the same
document, hearing, filing, announcement or vote), not when they share an
agency, a topic and a week. What each report says about its act is read by
`tracker.event_act_reading` (re-exported here: `act_of`, `Act`); `relation`
compares two reports' acts: the same act, different acts, or nothing known
either way (word overlap decides).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from tracker.event_act_reading import BESIDE as BESIDE
from tracker.event_act_reading import EARLIER as EARLIER
from tracker.event_act_reading import OFFICIAL_TYPES as OFFICIAL_TYPES
from tracker.event_act_reading import TITLE_WORDS
from tracker.event_act_reading import Act as Act
from tracker.event_act_reading import act_of as act_of
from tracker.event_act_reading import first_sentence as first_sentence
from tracker.event_kinds import CONGRESS_KINDS

Relation = Literal["same", "different", "unlike", "unknown"]


@lru_cache(maxsize=65536)
def relation(a: Act, b: Act) -> Relation:
    """Whether two reports cover the same act, different acts, or nothing says.

    "different" is certain (two document numbers, two hearings on two days,
    two official titles); "unlike" is what the words suggest (a Senate and a
    House report, a rule and a request for comments) and yields to overlap.
    """
    if numbered_apart(a, b):
        return "different"
    shared = a.identifiers & b.identifiers - _weak(a, b)
    if shared:
        # A bill is one act at each stage: its introduction is not its markup,
        # and an event holding one stage takes no report of another.
        if all(i[:4] in ("bill", "act:") for i in shared):
            if _stages_conflict(a, b):
                return "different"
            if kinds_conflict(a, b):
                return "unlike"
        return "same"
    if _quotes_title(a, b) or _quotes_title(b, a):
        return "same"
    if _two_documents(a, b) or (a.held_on and b.held_on and a.held_on != b.held_on):
        return "different"
    if a.chamber and b.chamber and a.chamber != b.chamber and (_legislative(a) or _legislative(b)):
        return "unlike"
    if kinds_conflict(a, b):
        return "unlike"
    return "unknown"


def numbered_apart(a: Act, b: Act) -> bool:
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


def kinds_conflict(a: Act, b: Act) -> bool:
    """Both say what was done, and neither names the other's deed anywhere in
    its title or lede: a rule and a comment request, a bill's introduction and
    a rule, results and a licence."""
    if not (a.kinds and b.kinds):
        return False
    return not (alike(a.kinds) & b.mentions or alike(b.kinds) & a.mentions)


def alike(kinds: frozenset[str]) -> frozenset[str]:
    """The kinds, and those coverage calls by each other's name (a memo sent to a
    committee is reported as a letter, and the other way round; a regulator's suit
    is reported as charges, a case, a complaint; lawmakers' letter to a company is
    reported as senators questioning or pressing it, the words of a hearing)."""
    if kinds.isdisjoint(_ANY_ALIKE):
        return kinds
    for pair in _CALLED_ALIKE:
        if not kinds.isdisjoint(pair):
            kinds = kinds | pair
    return kinds


_CALLED_ALIKE = (
    frozenset({"memo", "letter"}),
    frozenset({"suit", "charge"}),
    frozenset({"letter", "hearing"}),
)
_ANY_ALIKE = frozenset().union(*_CALLED_ALIKE)


# Last words of a body's name, which a report's title may lead with before a colon.
_BODY_NOUNS = frozenset("agency commission bureau office department administration board".split())
# Types whose documents carry one formal title: two titles, two documents.
_FORMAL_TITLES = frozenset(("executive-order", "proclamation", "notice", "rule", "export-control"))
_CONGRESS = CONGRESS_KINDS


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
