"""What /sources says about the fetch workers and each source's health.

Computed here, shown by the template: whether a worker is still heard from,
what it is doing, and each source's failures and next attempt in words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from tracker.models import Source, WorkerBeat

# A worker missing this many heartbeats in a row is presumed gone (killed, or
# its host down); the leases it held run out by themselves.
MISSED_BEATS = 3


@dataclass(frozen=True)
class WorkerRow:
    """One worker as the page shows it."""

    where: str  # "host-a, process 412"
    kind: str  # "inside the site" | "tracker worker"
    state: str  # "fetching 2 sources", "waiting for due sources", "stopped", ...
    alive: bool
    started_at: datetime
    beat_at: datetime
    fetched: int
    failed: int


def worker_rows(beats: list[WorkerBeat], now: datetime, heartbeat: float) -> list[WorkerRow]:
    """The workers heard from recently, each with its state in words."""
    silent_after = timedelta(seconds=heartbeat * MISSED_BEATS)
    rows = []
    for beat in beats:
        alive = beat.state != "stopped" and now - beat.beat_at <= silent_after
        if beat.state == "stopped":
            state = "stopped"
        elif not alive:
            state = "not heard from since its last heartbeat"
        elif beat.state == "stopping":
            state = "stopping"
        elif beat.in_flight:
            state = f"fetching {beat.in_flight} source{'s' if beat.in_flight != 1 else ''}"
        else:
            state = "waiting for due sources"
        rows.append(
            WorkerRow(
                where=f"{beat.hostname}, process {beat.pid}",
                kind="inside the site" if beat.embedded else "tracker worker",
                state=state,
                alive=alive,
                started_at=beat.started_at,
                beat_at=beat.beat_at,
                fetched=beat.fetched,
                failed=beat.failed,
            )
        )
    return rows


def failures_label(source: Source) -> str:
    """'' after a success; '1 failure' or '4 failures in a row' otherwise."""
    if source.failures <= 0:
        return ""
    if source.failures == 1:
        return "1 failure"
    return f"{source.failures} failures in a row"
