"""One alerts run: decide every due subscription's digest, then deliver the outbox.

`tracker alerts send` runs it by hand; the fetch worker calls `run` after its
rounds. Deciding and delivering are separate steps joined only by the
outbox, so a run killed between them leaves the mails queued, and the next
run (of any process) delivers each exactly once.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from tracker import search
from tracker.alerts import links, mail, transport, views, webhooks
from tracker.config import Settings
from tracker.models import AlertSubscription, utcnow
from tracker.store import alert_outbox, directory, subscriptions
from tracker.store.engine import session_scope
from tracker.store.listings import ListingFilter
from tracker.store.locks import write_scope

BATCH = 500  # subscriptions decided per transaction
SEND_BATCH = 100  # mails claimed per round
DEFAULT_ROOT = "http://127.0.0.1:5000"


@dataclass
class Report:
    queued: int = 0
    states: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)


def run(settings: Settings, engine: Engine, now: datetime | None = None) -> Report:
    """Decide, then deliver: what `tracker alerts send` does."""
    report = Report(queued=decide_all(settings, engine, now))
    deliver(settings, engine, report, now=now)
    return report


def decide_all(settings: Settings, engine: Engine, now: datetime | None = None) -> int:
    """Queue a digest for every due subscription with news; the number queued.

    Subscriptions are taken in order of their view and starting point, so one
    read of a view's new items serves every subscription that shares them.
    """
    now = now or utcnow()
    with session_scope(engine) as session:
        subs = subscriptions.due(session, now)
        names = directory.tag_names(session)
    subs.sort(key=lambda s: (s.path, s.query, s.last_sent_seq))
    filters: dict[tuple[str, str], ListingFilter | None] = {}
    queued = 0
    for start in range(0, len(subs), BATCH):
        batch = subs[start : start + BATCH]
        for s in batch:  # searches run outside the lock, once per view
            if (s.path, s.query) not in filters:
                filters[(s.path, s.query)] = _filter(settings, s)
        with write_scope(engine) as session:
            found: dict[tuple[str, str, int], alert_outbox.Found | None] = {}
            fresh = {s.id: s for s in _reread(session, [s.id or 0 for s in batch])}
            work = []
            for stale in batch:
                sub, f = fresh.get(stale.id), filters[(stale.path, stale.query)]
                if sub is None or f is None or not _still_due(sub, stale, now):
                    continue
                key = (sub.path, sub.query, sub.last_sent_seq)
                if key not in found:
                    found[key] = alert_outbox.find_new(session, f, sub.last_sent_seq, names)
                work.append((sub, found[key]))
            queued += alert_outbox.decide(session, work, now)
    return queued


def _reread(session: Session, ids: list[int]) -> list[AlertSubscription]:
    table = AlertSubscription.__table__  # type: ignore[attr-defined]
    return list(session.exec(select(AlertSubscription).where(table.c.id.in_(ids))))


def _still_due(sub: AlertSubscription, read: AlertSubscription, now: datetime) -> bool:
    # Another process may have decided it since it was read: then it is not ours.
    return (
        sub.unsubscribed_at is None
        and sub.last_sent_seq == read.last_sent_seq
        and subscriptions.is_due(sub, now)
    )


def _filter(settings: Settings, sub: AlertSubscription) -> ListingFilter | None:
    try:
        view = views.parse(sub.path, sub.query)
    except views.ViewError:
        return None
    if not view.is_search:
        return view.filter
    found = search.search(settings, view.query, filters=view.search_filters(), sort="newest",
                          page=1, per_page=alert_outbox.MAX_ITEMS)  # fmt: skip
    return ListingFilter(item_ids=tuple(hit.id for hit in found.hits))


def deliver(
    settings: Settings,
    engine: Engine,
    report: Report | None = None,
    *,
    only: int | None = None,
    now: datetime | None = None,
) -> Report:
    """Send due mails until none is left (only the outbox row `only`, when given)."""
    report = report or Report()
    key = links.secret(settings)
    with transport.Transport(settings) as carrier:
        while True:
            moment = now or utcnow()
            ids = alert_outbox.claim(engine, SEND_BATCH, moment, only=only)
            if not ids:
                return report
            outcomes = _send(settings, engine, carrier, key, ids, moment, report)
            alert_outbox.finish(engine, outcomes, moment)
            if only is not None:
                return report


def _send(
    settings: Settings,
    engine: Engine,
    carrier: transport.Transport,
    key: str,
    ids: list[int],
    now: datetime,
    report: Report,
) -> dict[int, tuple[str, str | None]]:
    with Session(engine, expire_on_commit=False) as session:
        rows = alert_outbox.load(session, ids)
        counts = alert_outbox.sent_recently(session, (s.email for _, s in rows), now)
    outcomes: dict[int, tuple[str, str | None]] = {}
    for box, sub in rows:
        mail_id = box.id or 0
        if sub.unsubscribed_at is not None:
            outcomes[mail_id] = ("failed", "unsubscribed")
        elif box.kind == webhooks.KIND:
            root = settings.base_url or sub.site or DEFAULT_ROOT
            outcomes[mail_id] = webhooks.post(settings, box, sub, root)
            if outcomes[mail_id][1]:
                report.errors.append(f"webhook {mail_id} of {sub.email}: {outcomes[mail_id][1]}")
        elif box.kind == "digest" and sub.confirmed_at is None:
            outcomes[mail_id] = ("failed", "not confirmed")
        elif counts.get(sub.email, 0) >= settings.alert_cap:
            outcomes[mail_id] = ("later", f"{sub.email} reached its cap of {settings.alert_cap}")
        else:
            root = settings.base_url or sub.site or DEFAULT_ROOT
            message = mail.compose(settings, box, sub, links.urls(root, key, sub), root, now)
            try:
                carrier.send(message, f"{mail_id:08d}-{box.kind}")
            except transport.Permanent as exc:
                outcomes[mail_id] = ("failed", str(exc))
                report.errors.append(f"mail {mail_id} to {sub.email}: {exc}")
            except transport.Temporary as exc:
                outcomes[mail_id] = ("retry", str(exc))
                report.errors.append(f"mail {mail_id} to {sub.email}: {exc}")
            else:
                outcomes[mail_id] = ("sent", None)
                counts[sub.email] = counts.get(sub.email, 0) + 1
        report.states[outcomes[mail_id][0]] += 1
    return outcomes
