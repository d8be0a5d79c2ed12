"""Acts that differ although their words agree: two publishers' reports, a Senate
and a House deed, two companies' results, a report and the deed it is about,
a bill and an agency's rule. Pure.

`relation` is `tracker.event_acts.relation` for two reports, sharpened by who
published them and who their headlines say acted, which the acts alone do not
carry.
"""

from __future__ import annotations

import re
from datetime import timedelta
from functools import lru_cache
from typing import TYPE_CHECKING

from tracker import (
    event_acts,
    event_conflicts,
    event_filings,
    event_hearings,
    event_kinds,
    event_links,
    event_names,
)
from tracker.event_words import tokens

if TYPE_CHECKING:
    from tracker.events import EventItem

# Deeds a company does; two companies doing one of them are two acts.
COMPANY_DEEDS = frozenset({"results", "licence", "launch"})
# Deeds of the executive branch, which no bill does.
AGENCY_DEEDS = frozenset({"rule", "guidance", "comment", "listing", "sanction", "charge"})
# A deed named as one: a determiner, up to three words, a singular noun of an act.
# The determiner may be an article ("an executive order") or an owner ("OMB's
# acquisition memo"), and the noun plural when one grant or one tariff is meant
# ("The H30 Licenses", "the Section 232 Semiconductor Tariffs"); a bare noun
# ("monitoring of award milestones") names deeds at large.
_ONE_DEED = re.compile(
    r"\b(?:the|this|new|its|today['’]s|an?|[\w-]+['’]s)\s+(?:[\w'’-]+\s+){0,3}?"
    r"(rules?|orders?|hearing|memo|memorandum|proclamation|proposal|bill|directive|settlement|"
    r"case|lawsuit|decision|complaint|indictment|licen[cs]es)\b",
    re.I,
)
# Deed nouns `tracker.event_kinds.kinds` reads only with a verb ("issues a rule"):
# after a determiner they name the deed.
_NOUN_KINDS = {
    "rule": "rule", "rules": "rule", "case": "suit",
    "memorandum": "memo", "licences": "licence", "licenses": "licence",
}  # fmt: skip
# A Register document printed within this of a report can be the same announcement
# under its formal name (a USTR release and its notice two days later); later than
# this, it prints an act the report would name, if it were the report's act.
PRINTED_LATER = timedelta(days=3)
# An act a headline dates "a day" or more before its own came out this long before it.
DATED_APART = timedelta(hours=12)
_BILL = re.compile(r"\b(?:bill|legislation)\b", re.I)


def relation(a: EventItem, b: EventItem) -> event_acts.Relation:
    """`event_acts.relation` of the two reports' acts; and two reports that two
    publishers each issued under their own titles (a GAO report and a CRS In
    Focus the same day) are two documents, whatever their subject.

    Every rule reads the two reports alike, so the answer is read once per pair
    (the lower id first), though grouping asks for it both ways round
    (tests/test_events_unlike.py holds each rule to that).
    """
    return _relation(a, b) if a.id <= b.id else _relation(b, a)


@lru_cache(maxsize=65536)
def _relation(a: EventItem, b: EventItem) -> event_acts.Relation:
    found = event_acts.relation(a.act, b.act)
    if (
        found == "different"
        and event_names.printing(a, b)
        and not event_acts.numbered_apart(a.act, b.act)
    ):
        # The Register prints an agency's document under its formal title, and the
        # agency's release heads it otherwise: two titles, one document.
        found = "unknown"
    if found == "unlike" and (_answers_deed(a, b) or _answers_deed(b, a)):
        found = "unknown"  # "What BIS's December Rule Does" beside the rule: its analysis
    if found != "same" and (_two_reports(a, b) or _two_releases(a, b)):
        return "different"
    if found == "same" and _companions(a, b):
        return "different"
    if found in ("unknown", "unlike") and event_conflicts.apart(a, b):
        return "different"  # two laws, results beside another deed, two chambers' bills
    if found in ("unknown", "unlike") and (linked := event_links.relation(a, b)) != "unknown":
        found = linked  # a link to the other report's document, read as its identifier
    if found in ("unknown", "unlike") and _filed(a, b):
        return "same"  # "FTC sues Arborly" beside the docket's "FTC v. Arborly, Inc., No. ..."
    if found in ("unknown", "unlike") and (_party_release(a, b) or _party_release(b, a)):
        return "same"  # the Register's notice on a party's matter and the release naming it
    if found in ("unknown", "unlike") and (_sponsor_leads(a, b) or _sponsor_leads(b, a)):
        return "same"  # the sponsor's name and "introduces" heading a report of the bill
    if found in ("unknown", "unlike") and (_witness_named(a, b) or _witness_named(b, a)):
        return "same"  # a listed witness in the headline on the hearing's day
    if found == "unknown" and _two_chambers(a, b) and _both_hearings(a, b):
        return "different"  # a Senate hearing and a House one are two, and an event is one
    if found == "unknown" and (
        _printed_later(a, b)
        or _dated_apart(a, b)
        or _set_beside(a, b)
        or _two_chambers(a, b)
        or _two_companies(a, b)
        or _report_and_deed(a, b)
        or _bill_and_agency(a, b)
    ):
        return "unlike"
    return found


def _filed(a: EventItem, b: EventItem) -> bool:
    """One is a court's docket entry and the other reports the act it records
    (`tracker.event_filings.covers`)."""
    return event_filings.covers(a, b) or event_filings.covers(b, a)


def _printed_later(a: EventItem, b: EventItem) -> bool:
    """A Register notice printed days after another publisher's report that names
    none of its kinds: a request for comments days after coverage of an order is
    its own act. (A rule or a President's document prints what was adopted or
    signed days before, whatever coverage called it: FERC's "order" is a rule.)"""
    early, late = (a, b) if a.published <= b.published else (b, a)
    if late.doc_type != "notice" or not event_names.in_register(late):
        return False  # a rule or a President's document prints what was adopted or signed
    if late.published - early.published <= PRINTED_LATER or event_names.in_register(early):
        return False
    if event_names.printing(early, late) or _party_named(late, early):
        return False  # the agency's own release: the Register prints it under a formal name
    return bool(late.act.kinds) and not event_acts.alike(late.act.kinds) & early.act.mentions


def _party_named(notice: EventItem, other: EventItem) -> bool:
    """A Register notice titled by the party it concerns ("Brightpath Tutoring, Inc.;
    Analysis of Agreement ...") whose name the other report's headline writes."""
    head, semicolon, _ = notice.title.partition(";")
    if not semicolon:
        return False
    words = set(_title_words(head)) - _CORPORATE
    return bool(words) and words <= _title_words(other.title)


def _party_release(notice: EventItem, release: EventItem) -> bool:
    """A Register notice on one party's matter (a consent order, a penalty) and a
    release, before it, whose headline names that party: the agency's announcement."""
    if release.doc_type != "press-release" or not event_names.in_register(notice):
        return False
    return release.published <= notice.published and _party_named(notice, release)


_CORPORATE = frozenset(tokens("inc llc corp corporation co ltd company the"))


def _dated_apart(a: EventItem, b: EventItem) -> bool:
    """The later report dates an earlier act apart from its own in words the
    earlier report's headline uses ("A day after Ohio campus news, Arvelle inks
    nuclear deal" beside "Arvelle Announces AI Campus in Ohio"): another act."""
    early, late = (a, b) if a.published <= b.published else (b, a)
    named = _earlier_words(late)
    if not named or late.published - early.published < DATED_APART:
        return False  # "a day after one study, another ...": the other is today's
    return not named.isdisjoint(_title_words(early.title))


@lru_cache(maxsize=16384)
def _title_words(title: str) -> frozenset[str]:
    return frozenset(tokens(title))


@lru_cache(maxsize=16384)
def _earlier_words(item: EventItem) -> frozenset[str]:
    """The words of the acts a report's headline dates before its own (a lede's
    "two days after" more often dates the act's own background)."""
    phrases = event_acts.EARLIER.findall(item.title)
    return frozenset(w for p in phrases for w in tokens(p)) - _TIME_WORDS


_TIME_WORDS = frozenset(tokens("day days week weeks month months after before since few several"))


def _set_beside(a: EventItem, b: EventItem) -> bool:
    """One report sets an act beside its own ("the order, issued alongside the final
    rule") and the other reports an act of that kind only: the other act."""
    for x, y in ((a.act, b.act), (b.act, a.act)):
        if x.beside and y.kinds and y.kinds <= x.beside and not y.kinds & x.mentions:
            return True
    return False


def _answers_deed(report: EventItem, other: EventItem) -> bool:
    """A report that is a report only, whose headline points at one deed of the
    other's kind ("Reading the March Rule", "Treasury's Outbound Proposal"): the
    kinds conflict only because `tracker.event_kinds` reads a bare noun as no deed."""
    if report.act.kinds != {"report"} or not other.act.kinds - {"report"}:
        return False
    if report.act.chamber and other.act.chamber and report.act.chamber != other.act.chamber:
        return False
    if not event_acts.kinds_conflict(report.act, other.act):
        return False
    return bool(_names_one_deed(report.title) & event_acts.alike(other.act.kinds))


def _report_and_deed(a: EventItem, b: EventItem) -> bool:
    """One is about a published report (GAO's, a watchdog's, a think tank's), the
    other about a deed it never calls a report: a GAO report on CHIPS awards is
    not the award, whatever the report's title mentions."""
    for item, rep, other in ((a, a.act, b.act), (b, b.act, a.act)):
        if "results" in rep.kinds or "report" not in rep.kinds:
            continue  # a quarterly report is the results
        if not other.kinds or "report" in other.kinds | other.mentions:
            continue
        if not _names_one_deed(item.title) & other.kinds - {"report"}:
            return True  # unless "our first read of the new rule": a response to that deed
    return False


@lru_cache(maxsize=16384)
def _names_one_deed(title: str) -> frozenset[str]:
    """The kinds of the one deed a title points at ("the new compute rule", "the
    order", "this proposal"): a response to it, not a report on deeds at large
    ("monitoring of award milestones"); or the title's head before a colon names it."""
    head, colon, _ = title.partition(":")
    found = event_kinds.kinds(head) if colon else frozenset()  # "CIRCIA final rule: a ..."
    for match in _ONE_DEED.finditer(title):
        found |= event_kinds.kinds(match.group(0))
        if kind := _NOUN_KINDS.get(match.group(1).lower()):
            found |= {kind}
    return found


def _bill_and_agency(a: EventItem, b: EventItem) -> bool:
    """A bill (its headline says so) and an agency's deed (a rule, guidance, a
    listing) whose report never mentions a bill: a member's bill on export
    controls is not Commerce's rule on them."""
    for bill, other in ((a, b), (b, a)):
        if (
            _BILL.search(bill.title)
            and not bill.act.kinds & AGENCY_DEEDS
            and other.act.kinds & AGENCY_DEEDS
            and not _BILL.search(f"{other.title} {other.text[:400]}")
        ):
            return True
    return False


def _two_chambers(a: EventItem, b: EventItem) -> bool:
    """A Senate and a House report of congressional deeds, the chamber read from the
    words or, for a committee's own page, from its source: two hearings, two bills."""
    chambers = [i.act.chamber or event_names.source_chamber(i) for i in (a, b)]
    if None in chambers or chambers[0] == chambers[1]:
        return False
    return event_names.legislative(a) or event_names.legislative(b)


def _companions(a: EventItem, b: EventItem) -> bool:
    """Joined only by a bill's short title, from two chambers: a Senate bill and its
    House companion share a name and are two bills (two sponsors, two numbers)."""
    shared = a.act.identifiers & b.act.identifiers
    if not shared or any(not i.startswith("act:") for i in shared):
        return False
    chambers = [i.act.chamber or event_names.source_chamber(i) for i in (a, b)]
    return None not in chambers and chambers[0] != chambers[1]


def _sponsor_leads(record: EventItem, other: EventItem) -> bool:
    """A bill's record and, within `SPONSOR_DAYS`, a headline that leads with its
    sponsor and says a bill was introduced ("Castellano Introduces Legislation ...")."""
    if record.doc_type != "bill" or other.doc_type == "bill":
        return False
    if abs(other.published - record.published) > SPONSOR_DAYS:
        return False
    name = event_hearings.sponsor(record.text)
    if not name or "introduce" not in other.act.kinds:
        return False
    return event_hearings.leads(name, other.title)


SPONSOR_DAYS = timedelta(days=2)


def _witness_named(notice: EventItem, other: EventItem) -> bool:
    """`other` names a witness `notice` lists, in its headline or lede, on the day
    the hearing is held or the next two: its coverage, whatever words it uses."""
    if notice.doc_type != "hearing" or other.doc_type == "hearing":
        return False
    names = event_hearings.witnesses(notice.text)
    if not names:
        return False
    held = notice.act.held_on
    day = (
        notice.published
        if held is None
        else notice.published.replace(year=held.year, month=held.month, day=held.day)
    )
    head = f"{other.title} {event_acts.first_sentence(other.text)}"
    return event_hearings.heard(day, names, other.published, head)


def _both_hearings(a: EventItem, b: EventItem) -> bool:
    return "hearing" in a.act.kinds and "hearing" in b.act.kinds


def _two_companies(a: EventItem, b: EventItem) -> bool:
    """One kind of company deed (results, a licence, a launch) by two companies:
    Nvidia's results are not Alibaba's, whatever words the releases share."""
    if not event_acts.shared_kinds(a.act, b.act) & COMPANY_DEEDS:
        return False
    who_a, who_b = event_names.headline_actors(a), event_names.headline_actors(b)
    if not (who_a and who_b) or not who_a.isdisjoint(who_b):
        return False
    # A licence has a grantor and a holder, and results are reported under a ticker:
    # a report naming the other's actor in its title or lede tells of the same deed.
    named = any(f" {w} " in b.act.text_words for w in who_a)
    return not (named or any(f" {w} " in a.act.text_words for w in who_b))


def _two_reports(a: EventItem, b: EventItem) -> bool:
    if a.doc_type != "report" or b.doc_type != "report":
        found = _two_publishers_reports(a, b)
    elif not a.source or not b.source or a.source == b.source:
        return False
    else:
        found = a.act.title_words != b.act.title_words
    return found and not (_headline_names(a, b) or _headline_names(b, a))


def _headline_names(a: EventItem, b: EventItem) -> bool:
    """`b`'s headline writes who `a`'s headline says acted: a response to a's
    document ("The FTC's Surveillance Pricing Report Confuses ..."), not another."""
    head = f" {' '.join(tokens(b.title))} "
    return any(f" {' '.join(tokens(w))} " in head for w in event_names.headline_actors(a) if w)


def _two_publishers_reports(a: EventItem, b: EventItem) -> bool:
    """A report and another publisher's release about a report of its own (a
    committee's report and a company's threat report the next day), neither
    naming the other's publisher (a statement on "the GAO report" is about it)."""
    if "news" in (a.doc_type, b.doc_type) or "report" not in a.act.kinds & b.act.kinds:
        return False
    who_a, who_b = event_names.publisher(a), event_names.publisher(b)
    if not (who_a and who_b) or not who_a.isdisjoint(who_b):
        return False
    named = any(f" {w} " in b.act.text_words for w in who_a)
    return not (named or any(f" {w} " in a.act.text_words for w in who_b))


def _two_releases(a: EventItem, b: EventItem) -> bool:
    """Two press releases from one newsroom under two titles: a newsroom issues
    one release for each act (a fact sheet goes beside another document)."""
    if a.doc_type != "press-release" or b.doc_type != "press-release":
        return False
    if not a.source or a.source != b.source or a.title == b.title:
        return False
    return not (_FACT_SHEET.match(a.title) or _FACT_SHEET.match(b.title))


_FACT_SHEET = re.compile(r"\s*fact sheet\b", re.I)
