"""The strings a pattern needs (anchors) and begins with (starts) must never
hide a match: checked on every pattern the project gates, over every
evaluation text."""

from __future__ import annotations

import json
import re

import pytest
from conftest import DATA

from tracker.doc_cues import CUES
from tracker.regex_anchors import anchors, starts
from tracker.taxonomy import load_taxonomy


def _texts() -> list[str]:
    found = []
    sets = (("tagging_eval.jsonl", ("title", "summary")), ("doctype_eval.jsonl", ("title", "text")))
    for name, fields in sets:
        for line in (DATA / name).read_text(encoding="utf-8").splitlines():
            item = json.loads(line)
            found.extend(item[f] for f in fields)
    return found


TEXTS = _texts()


def _patterns() -> list[re.Pattern[str]]:
    taxonomy = load_taxonomy()
    found = [cue.pattern for cue in CUES]
    for term in taxonomy:
        for rule in term.rules:
            found.extend(rule.unless_near)
            found.extend(rule.near)
            if rule.regex is not None:
                found.append(rule.regex)
    return found


@pytest.mark.parametrize(
    ("source", "flags", "expected"),
    [
        (r"do hereby proclaim", 0, ("do hereby proclaim",)),
        (r"\bSincerely,", 0, ("sincerely,",)),
        (
            r"\b(?:legal scholars|analysts|experts) (?:say|said)\b",
            0,
            ("analysts", "experts", "legal scholars"),
        ),
        (
            r"(?:Bureau of Industry and Security|BIS) (?:amends|revises)",
            re.I,
            (" amends", " revises"),
        ),
        (r"#{3}", 0, ()),  # nothing literal three characters long
        (r"\w+", 0, ()),
    ],
)
def test_anchors(source, flags, expected):
    assert anchors(re.compile(source, flags)) == expected


def test_anchors_pass_over_the_word_a_veto_guards():
    veto = re.compile(r"\bdistillation\s+(?:columns?|towers?)", re.I)
    assert anchors(veto) == ("distillation",)
    assert anchors(veto, frozenset({"distillation"})) == ("column", "tower")


def test_a_guarded_term_of_a_letter_or_two_passes_over_nothing():
    """ "e" of "DALL-E" and "s" of "U.S." are in nearly every string: avoided, they
    left OpenAI's and the Justice Department's vetoes with no gate at all."""
    assert anchors(re.compile(r"\bno relation\b"), frozenset({"e", "sam"})) == ("no relation",)
    state_doj = re.compile(r"\bstate(?: |-)(?:run )?Department of Justice")
    assert anchors(state_doj, frozenset({"department", "justice", "of", "s", "u"})) == ("state",)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (r"(?<![^\W_])(?:steal\w*|stole|theft)\s+x", ("stole", "steal", "theft")),
        (r"\bcop(?:y|ied)\b", ("copied", "copy")),
        (r"(?:the\s+)?chips", ("chips", "the")),  # with "the", or without it
        (r"(?:a |the )?chips", ("a ", "chips", "the ")),
        (r"[A-Z]\w+", ()),
    ],
)
def test_starts(source, expected):
    assert tuple(sorted(starts(re.compile(source, re.I)))) == tuple(sorted(expected))


def test_no_match_is_hidden_by_a_gate():
    for pattern in _patterns():
        needed, begins = anchors(pattern), starts(pattern)
        for text in TEXTS:
            for match in pattern.finditer(text):
                lowered = text.lower()
                if needed:
                    assert any(a in lowered for a in needed), (pattern.pattern, text)
                if begins:
                    assert lowered.startswith(begins, match.start()), (pattern.pattern, text)


def test_cues_that_start_with_a_caret_are_tied_to_the_start():
    """doc_types runs such cues with match(), which is the same only if every
    branch of the pattern begins at the start of the text."""
    from re import _constants as constants  # type: ignore[attr-defined]
    from re import _parser as parser  # type: ignore[attr-defined]

    for cue in CUES:
        if cue.pattern.pattern.startswith("^"):
            first = next(iter(parser.parse(cue.pattern.pattern, cue.pattern.flags)))
            assert first[0] is constants.AT, cue.pattern.pattern


def test_grouping_gates_never_skip_a_pattern_that_matches() -> None:
    # Event grouping runs a kind's or an identifier's pattern only when the text
    # holds what it needs (fails before: there were no gates, `lowered`/`may_match`).
    from tracker import event_ids, event_kinds
    from tracker.regex_anchors import lowered, may_match

    odd = ["SENATE HEARİNG ON ſANCTIONS", "Sen. Hawley's hearıng", "H.R. 5512 and S. 3890",
           "Docket No. RM26-4-000, 2027-18290, NSPM-7, M-25-21, GAO-25-107123"]  # fmt: skip
    gates = [(p, g) for _, p, g in event_kinds._GATED] + [(event_kinds._HEARSAY, ())]
    runs = skipped = 0
    for text in [*TEXTS, *odd]:
        low = lowered(text)
        for pattern, gate in gates:
            if may_match(gate, low):
                runs += 1
            else:
                skipped += 1
                assert not pattern.search(text), (pattern.pattern, text)
        if not event_ids._DASHED.search(text):
            for _, pattern, needs_dash in event_ids._IDENTIFIERS:
                assert not (needs_dash and pattern.search(text)), (pattern.pattern, text)
        if not event_ids._BILL_GATE.search(text):
            assert not event_ids.find_bill_refs(text), text
    assert lowered("SENATE HEARİNG") is None and lowered("Nvidia’s results") is not None
    assert skipped > runs  # most patterns are skipped on most texts
