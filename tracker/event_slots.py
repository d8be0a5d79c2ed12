"""Coverage joins the one official act nearby whose actor it names (experiment). Pure.

When no event takes a report of coverage, and exactly one candidate event within
`SLOT_WINDOW` holds an official record by an actor the report names, the report
is coverage of that act: the act's slot takes it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import TYPE_CHECKING

from tracker import event_acts, event_names

if TYPE_CHECKING:
    from tracker.events import EventCandidate, EventItem

ON = False
SLOT_WINDOW = timedelta(days=5)


def slot(item: EventItem, events: Sequence[EventCandidate]) -> int | None:
    """The one event holding an official record by an actor `item` names, else None."""
    from tracker.events import AUTHORITY, act, when

    if not ON or AUTHORITY[item.doc_type] == 2:
        return None
    actors = event_names.actors(item)
    if not actors:
        return None
    found = [
        event.event_id
        for event in events
        if any(
            AUTHORITY[m.doc_type] == 2
            and abs(when(m) - when(item)) <= SLOT_WINDOW
            and actors & event_names.actors(m)
            and (ON < 2 or event_acts.shared_kinds(act(m), act(item)))
            for m in event.items
        )
    ]
    return found[0] if len(found) == 1 else None
