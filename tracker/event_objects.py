"""What an act is about: the things a report names (a model, a firm, a
defendant), beside who acted and how. Pure.

Two reports of one act often share no words but one: the name of what the act
is about. "Hands-on with Ark 5" and "Introducing Ark 5"; "Tianmu rejects US
assessment" and CAISI's evaluation of Tianmu's model; a markets brief on
"Corvant shares" and Corvant's results. The taxonomy knows the field's
standing actors, not every product, firm or defendant in the news. A name the
field's coverage has never used (a stem the project's word table,
`tracker.event_rarity`, never saw) is a thing of this story alone: two reports
within a day that both write it are about one thing.

Two acts of one actor and one kind in one week differ in what they are aimed at:
the goods a trade act covers (`aims`: "Imports of Robotics" and "drone imports") and
whom a letter is written to (`addressees`: Meta, OpenAI). `tracker.event_conflicts`
holds two reports apart when each names its own and neither writes the other's.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from tracker import event_acts, event_background, event_names
from tracker.event_act_reading import LEDE_CHARS, OFFICIAL_TYPES, READ_CHARS
from tracker.event_rarity import rarity
from tracker.event_words import STOPWORDS, stem, tokens

if TYPE_CHECKING:
    from tracker.events import EventItem

# A name the word table never saw (rarity 1) is a thing of this story alone.
NAME_RARITY = 1.0
# Names are read from the headline and this much of the text.
NAME_CHARS = 600
_CAPITAL = re.compile(r"\b[A-Z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*")
_LOWER = re.compile(r"\b[a-z][a-z0-9]*")


@lru_cache(maxsize=16384)
def names(item: EventItem) -> frozenset[str]:
    """The stems of the names a report writes that coverage in this field never
    used. A name is a capitalised word the report never writes in lower case,
    wherever it stands (a headline starts with its subject: "Corvant forecast
    tops estimates"); a hyphenated name counts by its parts ("Qilin-4")."""
    text = f"{item.title}\n{item.text[:NAME_CHARS]}"
    lower = set(_LOWER.findall(text))
    found = set()
    for word in _CAPITAL.findall(text):
        for part in word.split("-"):
            low = part.lower()
            if len(part) < 3 or low in lower or low in event_names.COMMON:
                continue
            stemmed = stem(low)
            if stemmed not in STOPWORDS and rarity(stemmed) >= NAME_RARITY:
                found.add(stemmed)
    # A firm's own release names it by where it is published ("arkwright-blog").
    for who in event_names.publisher(item):
        stemmed = stem(who)
        if "-" not in who and rarity(stemmed) >= NAME_RARITY:
            found.add(stemmed)
    return frozenset(found)


def headline_names(item: EventItem) -> frozenset[str]:
    """The names a report puts in its headline or is published under: what it
    is about, as opposed to a name its text mentions in passing (or a footer
    every report of a source repeats, like "summarised for Policy Tracker")."""
    title_words = {
        stem(part.lower()) for word in _CAPITAL.findall(item.title) for part in word.split("-")
    }
    publishers = {stem(who) for who in event_names.publisher(item)}
    return frozenset(name for name in names(item) if name in title_words or name in publishers)


def shared_name(a: EventItem, b: EventItem) -> bool:
    """Both reports write a name no other coverage in this field uses, and at
    least one of them heads with it."""
    # Who published both is who acted (the FCC's release and the Register's printing
    # of an FCC rule), not what the act is about: the FCC adopts many rules a week.
    both = {stem(who) for who in event_names.publisher(a) & event_names.publisher(b)}
    shared = names(a) & names(b) - both
    return bool(shared & (headline_names(a) | headline_names(b)))


def named_apart(a: EventItem, b: EventItem) -> bool:
    """Each report heads with a name of its own that the other never writes
    (Meridian's case, Brightwell's settlement): two things acted on."""
    own_a, own_b = headline_names(a), headline_names(b)
    return bool(own_a and own_b) and own_a.isdisjoint(names(b)) and own_b.isdisjoint(names(a))


# What an act is aimed at, beside who did it: the goods an import investigation, a
# tariff or a control covers. One agency's two acts of one kind in one week differ
# in little else ("Section 232 Investigation of Imports of Robotics" and "...
# investigation of drone imports"; a proclamation on polysilicon beside the guidance
# on chip duties).
# The goods an act covers, as its headline or an official title writes them:
# "Imports of Polysilicon and Its Derivatives", "drone imports", "probe into drone
# imports", "tariffs on polysilicon", "investigation of robotics", "Semiconductor
# Tariffs" (plural: a singular "tariff" before a noun is "tariff relief", "tariff
# schedule", not the goods).
_GOODS = re.compile(
    r"\bimports? of ([^;:,.()]+)"
    r"|\b([a-z][\w-]+) imports\b(?! of)"
    r"|\b(?:probe|investigation|inquiry|tariffs?|duty|duties|levy|levies) (?:of|into|on) "
    r"(?!imports?\b)([^;:,.()]+)"
    r"|\b([a-z][\w-]+) (?:tariffs|duties|levy|levies)\b(?! on)",
    re.I,
)
_GOODS_HINT = re.compile(
    r"import|probe|investigation|inquiry|tariff|dut(?:y|ies)|lev(?:y|ies)", re.I
)
# Where a goods phrase ends: what follows names the trade, not the goods.
_GOODS_END = re.compile(r"\b(?:into|from|under|for|to|by|after|as|with|that|in|and its)\b.*", re.I)
# The Register's name for drones.
_UNMANNED = re.compile(r"\bunmanned aircraft(?: systems?)?", re.I)
# Words of a goods phrase that name no goods.
_NOT_GOODS = frozenset(
    tokens(
        "import imports product products derivative derivatives certain item items good goods "
        "article articles part parts component components related other its their new national "
        "security section us u.s american foreign all some more adjusting steep higher "
        "reciprocal retaliatory punitive sweeping existing"
    )
)


def aims(item: EventItem) -> frozenset[str]:
    """The goods a report names for its own act: in its headline's own clause (not the
    act it dates apart, "two days after robotics probe"), or, for an official record
    whose title names none, in its opening. Read once per report, with its conflicts
    (`tracker.event_conflicts.reading`)."""
    goods = _goods(event_background.own_clause(item.title))
    if not goods and (item.doc_type in OFFICIAL_TYPES or event_names.in_register(item)):
        goods = _goods(item.text[:LEDE_CHARS])
    return goods


@lru_cache(maxsize=4096)
def written(item: EventItem) -> frozenset[str]:
    """Every stem a report writes, less its headline's background clauses."""
    return _stems(item.title, item.text[:READ_CHARS])


@lru_cache(maxsize=4096)
def written_for_itself(item: EventItem) -> frozenset[str]:
    """`written`, less the sentences that tell of another act beside it ("A separate
    letter went to Apple"): whom a letter is to is read from what it says of itself."""
    kept = [s for s in _SENTENCES.split(item.text[:READ_CHARS]) if not _ANOTHER.search(s)]
    return _stems(item.title, " ".join(kept))


def _stems(title: str, text: str) -> frozenset[str]:
    """The stems of a headline's own clause and of `text`, drones however written."""
    own = event_background.own_clause(title)
    return frozenset(tokens(_UNMANNED.sub("drones", f"{own}\n{text}")))


_SENTENCES = re.compile(r"(?<=[.!?])\s+")
_ANOTHER = re.compile(
    r"\b(?:separate|similar|second|another|likewise|also (?:wrote|sent|asked|went))\b", re.I
)


def _goods(text: str) -> frozenset[str]:
    """The stems of the goods `text` names: "imports of X", "X imports", "a probe of X"."""
    if not _GOODS_HINT.search(text):
        return frozenset()  # most headlines name no trade act: skip the longer pattern
    found: set[str] = set()
    for m in _GOODS.finditer(_UNMANNED.sub("drones", text)):
        phrase = _GOODS_END.sub("", next(g for g in m.groups() if g))
        found.update(w for w in tokens(phrase) if w not in _NOT_GOODS and not w.isdigit())
    return frozenset(found)


# Whom a letter is written to, as a headline says it: "Letter to Stratacore CEO",
# "Demand Answers From Meta", "Press OpenAI on ...": a name's capitalised run.
_ADDRESSED = re.compile(
    r"\b(?:[Ll]etters? to|(?:[Dd]emand|[Ww]ant|[Ss]eek)s? [Aa]nswers [Ff]rom|"
    r"[Pp]ress(?:es|ed)?|[Pp]robes?|"
    r"[Qq]uestions?|[Aa]sks?|[Uu]rges?|[Dd]emands?|[Ww]arns?|[Ss]ends?|[Cc]alls? on)\s+"
    r"((?:[A-Z][\w&.'’-]*\s?)+(?:(?:and|&)\s(?:[A-Z][\w&.'’-]*\s?)+)?)"
)
# Words of an addressee that say what office or body it is, not who: a letter to two
# senators is also a letter "to Congress" in coverage.
_OFFICES = frozenset(
    tokens(
        "senators senator secretary honorable ceo chair chairman members committee leaders "
        "the us u.s federal administration department of commerce president congress senate "
        "house lawmakers panel subcommittee representatives "
        # A firm's form and trade, not which firm: "Kindred AI, Inc.", "Meta Platforms".
        "inc corp corporation llc ltd co company platforms technologies labs ai group "
        "holdings systems"
    )
)
# Capitalised words that end a name in a title-case headline ("Letter to Tim Cook
# Regarding Removal of ...": the addressee is Tim Cook, not the removal).
_AFTER_NAME = frozenset(
    "regarding re on about over concerning for to in with after amid following seeking "
    "requesting asking urging calling demanding".split()
)


# Who writes to a firm in coverage that names no letter ("Senators demand answers from
# Apple"): the addressee of their demand is the letter's.
_LAWMAKERS = re.compile(
    r"\b(?:[Ss]enators?|[Ll]awmakers|[Cc]ongress(?:wo)?m[ae]n|[Rr]epresentatives|[Ss]ens?\.|"
    r"[Rr]eps?\.|[Dd]emocrats|[Rr]epublicans|[Rr]anking [Mm]ember|[Cc]hair(?:man|woman)?)\b"
)


def _name_run(run: str) -> str:
    """A capitalised run up to the word that ends the name ("Tim Cook Regarding ...")."""
    words = run.split()
    for n, word in enumerate(words):
        if n and word.lower().strip(".,'’") in _AFTER_NAME:
            return " ".join(words[:n])
    return run


def addressees(item: EventItem) -> frozenset[str]:
    """The stems of whom a report's headline says its letter is written to ("Letter to
    Stratacore CEO", "Press OpenAI on ..."), outside its background clause ("a day
    after targeting Meta"); none for a report that names no letter. Read once per
    report, with its conflicts (`tracker.event_conflicts.reading`)."""
    if "letter" not in event_acts.alike(item.act.kinds | item.act.mentions) and not (
        _LAWMAKERS.search(item.title)
    ):
        return frozenset()  # lawmakers' letter is also told as their questions to a firm
    found: set[str] = set()
    for m in _ADDRESSED.finditer(event_background.own_clause(item.title)):
        found.update(w for w in tokens(_name_run(m.group(1))) if w not in _OFFICES)
    # A title-cased headline capitalises the words after the name ("Demand OpenAI
    # Explain Failures"): a word the report writes in lower case is no name.
    lower = set(tokens(" ".join(_LOWER.findall(f"{item.title}\n{item.text[:NAME_CHARS]}"))))
    return frozenset(found - lower) or frozenset(found)
