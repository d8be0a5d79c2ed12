"""The fetch worker: claims due sources from the database and fetches them, for months.

Orchestration only. Each of `concurrency` threads claims one due source with
its host (`store.leases`), fetches it through `Pipeline.fetch_source`, and
gives the lease back; a heartbeat thread renews the leases and writes the
worker's heartbeat; a settle thread groups new items into events. Any number
of workers, in any number of processes and hosts, share one database.
"""

from __future__ import annotations

import logging
import os
import random
import socket
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from tracker.config import Settings
from tracker.models import WorkerBeat, utcnow
from tracker.pipeline import Outcome, Pipeline
from tracker.store import StoreError
from tracker.store import leases as store
from tracker.store.engine import session_scope
from tracker.store.leases import Claim

Report = Callable[[str], None]
log = logging.getLogger("tracker.worker")
# Re-read source addresses (an edited URL may move a source to another host).
HOSTS_EVERY = 60.0


@dataclass(frozen=True)
class WorkerSettings:
    """How one worker runs; the defaults come from `Settings` (TRACKER_WORKER_*)."""

    concurrency: int = 4
    host_gap: float = 2.0
    lease_seconds: float = 120.0
    heartbeat_seconds: float = 10.0
    idle_seconds: float = 2.0
    settle_seconds: float = 5.0
    # Seconds between two alert runs (decide due digests, deliver the outbox).
    alerts_seconds: float = 60.0
    # How long a fetch can run at most (fetch.FetchSettings.total_timeout).
    fetch_deadline: float = 60.0

    @classmethod
    def from_settings(cls, settings: Settings, **overrides: float) -> WorkerSettings:
        values: dict[str, float] = {
            "concurrency": settings.worker_concurrency,
            "host_gap": settings.host_gap,
            "lease_seconds": settings.lease_seconds,
            "heartbeat_seconds": settings.heartbeat_seconds,
        }
        values.update(overrides)
        return cls(**values)  # type: ignore[arg-type]


def worker_name() -> str:
    """Host, process and a random part: unique even when a pid is reused."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


class Worker:
    """One fetch worker: start(), then stop() (or run() until a stop is requested)."""

    def __init__(
        self,
        pipeline: Pipeline,
        settings: WorkerSettings,
        *,
        embedded: bool = False,
        report: Report | None = None,
    ) -> None:
        self.pipeline, self.settings, self.embedded = pipeline, settings, embedded
        self.name = worker_name()
        self.report = report or log.info
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._held: dict[int, Claim] = {}
        self._counts = {"fetched": 0, "failed": 0, "stored": 0}
        self._threads: list[threading.Thread] = []
        self._started = utcnow()

    def start(self) -> None:
        """Register the heartbeat, learn the hosts, and start the threads."""
        with session_scope(self.pipeline.engine) as session:
            store.sync_hosts(session)
        self._beat("running")
        self.pipeline.taxonomy  # noqa: B018  # load it once, not in every thread at once
        targets = [self._fetch_loop] * self.settings.concurrency + [self._heartbeat_loop]
        targets.append(self._settle_loop)
        for n, target in enumerate(targets):
            thread = threading.Thread(target=target, name=f"worker-{n}", daemon=True)
            thread.start()
            self._threads.append(thread)

    def request_stop(self) -> None:
        """Claim nothing more (safe from a signal handler)."""
        self.stopping.set()

    def stop(self, grace: float) -> bool:
        """Stop claiming, let running fetches finish for up to `grace` seconds, and give
        back what is held. True when every fetch finished in time."""
        self.stopping.set()
        self._beat_safely("stopping")
        deadline = time.monotonic() + grace
        for thread in self._threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        with self._lock:
            unfinished = list(self._held.values())
        try:
            with session_scope(self.pipeline.engine) as session:
                # A fetch still running is abandoned with the process; its lease
                # runs out in two seconds, when the process is surely gone, so
                # no other worker can start the same source while it still runs.
                until = utcnow() + timedelta(seconds=2) if unfinished else None
                store.release_all(session, self.name, until)
            self._settle()
        except StoreError as exc:
            self.report(f"could not give back the leases ({exc}); they run out by themselves")
        self._beat_safely("stopped")
        for claim in unfinished:
            self.report(f"stopped while fetching {claim.name}; it will be fetched again")
        return not unfinished

    def run(self, grace: float) -> bool:
        """Start, work until `request_stop()`, then stop; see `stop`."""
        self.start()
        while not self.stopping.wait(1.0):
            pass
        return self.stop(grace)

    # --- threads -------------------------------------------------------------

    def _fetch_loop(self) -> None:
        while not self.stopping.is_set():
            try:
                claim = self._claim()
                if claim is None:
                    # Jitter: idle workers do not all ask the database at once.
                    self.stopping.wait(self.settings.idle_seconds * (0.5 + random.random()))
                    continue
                self._fetch(claim)
            except StoreError as exc:
                self.report(f"database unavailable ({exc}); trying again shortly")
                self.stopping.wait(self.settings.idle_seconds * 5)

    def _claim(self) -> Claim | None:
        with session_scope(self.pipeline.engine) as session:
            claim = store.claim(session, self.name, utcnow(), self.settings.lease_seconds)
        if claim is not None:
            with self._lock:
                self._held[claim.source_id] = claim
        return claim

    def _fetch(self, claim: Claim) -> None:
        outcome: Outcome | None = None
        try:
            outcome = self.pipeline.fetch_source(claim.slug)
        finally:
            # Given back even when the database failed mid-fetch (else it runs out).
            retry_after = outcome.retry_after if outcome else None
            with session_scope(self.pipeline.engine) as session:
                released = store.release(
                    session, self.name, claim, utcnow(), self.settings.host_gap, retry_after
                )
            with self._lock:
                self._held.pop(claim.source_id, None)
        if outcome is not None:
            self._tell(claim, outcome, released)

    def _tell(self, claim: Claim, outcome: Outcome, released: store.Released) -> None:
        """One line per fetch; a failure says when the source will be tried again."""
        with self._lock:
            self._counts["fetched" if outcome.status != "error" else "failed"] += 1
            self._counts["stored"] += outcome.new + outcome.updated
        if outcome.status != "error":
            if outcome.new or outcome.updated:
                self.report(f"fetched {claim.name}: {outcome.new} new, {outcome.updated} updated")
            return
        when = released.next_attempt_at
        at = when.strftime("%Y-%m-%d %H:%M UTC") if when else "when it is next due"
        streak = f"{released.failures} failures in a row" if released.failures > 1 else "failed"
        self.report(f"failed {claim.name}: {outcome.error} ({streak}; next attempt {at})")

    def _heartbeat_loop(self) -> None:
        last_hosts = time.monotonic()
        while not self.stopping.wait(self.settings.heartbeat_seconds):
            try:
                with session_scope(self.pipeline.engine) as session:
                    until = utcnow() + timedelta(seconds=self.settings.lease_seconds)
                    store.renew(session, self.name, until)
                    if time.monotonic() - last_hosts >= HOSTS_EVERY:
                        store.sync_hosts(session)
                        last_hosts = time.monotonic()
                self._beat("running")
            except StoreError as exc:
                self.report(f"heartbeat failed ({exc})")

    def _settle_loop(self) -> None:
        settled, alerted = 0, time.monotonic()
        while not self.stopping.wait(self.settings.settle_seconds):
            with self._lock:
                stored = self._counts["stored"]
            if stored != settled:
                settled = stored
                self._settle()
            if time.monotonic() - alerted >= self.settings.alerts_seconds:
                alerted = time.monotonic()
                self._send_alerts()

    def _send_alerts(self) -> None:
        """Queue the digests that are due and deliver the outbox (`tracker alerts send`)."""
        from tracker.alerts import send

        try:
            done = send.run(self.pipeline.settings, self.pipeline.engine)
        except Exception:  # a bad mail setting or a bug must not stop grouping
            log.exception("alerts could not be sent; trying again later")
            return
        if done.queued or done.states:
            states = ", ".join(f"{n} {state}" for state, n in sorted(done.states.items()))
            self.report(f"alerts: {done.queued} digest(s) queued; mails: {states or 'none'}")

    def _settle(self) -> None:
        """Group new items into events (and, inside the site, index them)."""
        from tracker.search import IndexBusy

        try:
            self.pipeline.settle(index=self.embedded)
        except (StoreError, IndexBusy) as exc:
            self.report(f"could not group new items yet ({exc}); trying again")

    def _beat(self, state: str) -> None:
        with self._lock:
            counts, in_flight = dict(self._counts), len(self._held)
        record = WorkerBeat(
            name=self.name,
            hostname=socket.gethostname(),
            pid=os.getpid(),
            embedded=self.embedded,
            state=state,
            started_at=self._started,
            beat_at=utcnow(),
            in_flight=in_flight,
            fetched=counts["fetched"],
            failed=counts["failed"],
        )
        with session_scope(self.pipeline.engine) as session:
            store.beat(session, record)

    def _beat_safely(self, state: str) -> None:
        try:
            self._beat(state)
        except StoreError as exc:
            self.report(f"heartbeat failed ({exc})")
