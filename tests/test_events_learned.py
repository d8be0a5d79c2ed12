"""The learned correction of the pair score (`tracker.event_learned`): bounded, off at
BETA 0, and splitting two regulators' penalties on one company that the rules merged."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from event_items import labelled, report

from tracker import event_learned, events
from tracker.events import group

START = datetime(2027, 3, 2, 14, tzinfo=UTC)


def test_the_correction_moves_a_score_by_at_most_half_of_beta() -> None:
    a = report(1, "FTC settles with Nimbral over children's data", "The FTC said.", start=START)
    b = report(2, "Nimbral agrees to pay FTC penalty", "A settlement.", start=START, hours=3)
    for base in (0.0, 0.1, 0.25, 0.6, 1.0):
        moved = event_learned.adjusted(a, b, base, "unknown", 0.1)
        assert abs(moved - base) <= event_learned.BETA / 2 + 1e-12
        assert 0.0 <= moved <= 1.0


def test_beta_zero_leaves_the_rules_score(monkeypatch: pytest.MonkeyPatch) -> None:
    a = report(1, "Commerce issues chip rule", "The rule caps exports.", start=START)
    b = report(2, "New chip export rule from Commerce", "Caps on exports.", start=START, hours=2)
    learned = events.score(a, b)
    monkeypatch.setattr(event_learned, "BETA", 0.0)
    assert event_learned.adjusted(a, b, 0.3, "unknown", 0.0) == 0.3
    assert events.score(a, b) != learned  # the model moved it; off, the rules' score stands


def test_two_regulators_fining_one_company_are_two_events() -> None:
    """The FTC's settlement with Nimbral and the UK ICO's fine of it, days apart
    (tests/data/events_unseen7.jsonl): one company, one subject, two acts. The
    rules merged them; the learned correction splits them (fails before)."""
    items, happening = labelled("events_unseen7.jsonl")
    chosen = [item for item in items if item.id in {53, 54, 56, 58, 77, 78, 80}]
    found = group(chosen)
    for members in found:
        assert len({happening[m] for m in members}) == 1, found
    assert any(len(members) >= 2 for members in found)  # each act's reports still join
