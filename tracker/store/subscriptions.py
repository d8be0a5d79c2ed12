"""Alert subscriptions: sign-up, confirmation and unsubscription, each idempotent.

Sign-up writes (or renews) an unconfirmed subscription and queues its
confirmation mail in the outbox, in one transaction. Nothing else is ever
queued for a subscription before it is confirmed. Confirming starts the
subscription at the store's current item sequence: items that arrive later
are its news, not the whole back catalogue.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, select

from tracker.models import AlertOutbox, AlertSubscription, Item, table_of, utcnow

FREQUENCIES = ("immediate", "daily", "weekly")
PERIODS = {"immediate": timedelta(0), "daily": timedelta(days=1), "weekly": timedelta(days=7)}
# A second confirmation mail to one address for one view waits this long.
CONFIRM_GAP = timedelta(minutes=10)


@dataclass(frozen=True)
class SignUp:
    subscription_id: int
    outbox_id: int | None  # the confirmation mail queued now, if any
    state: str  # new | pending | renewed | active


def token_digest(token: str) -> str:
    """What a signed link carries of a subscription's secret: a short hash of it."""
    return hashlib.sha256(token.encode()).hexdigest()[:20]


def subscribe(
    session: Session,
    *,
    email: str,
    path: str,
    query: str,
    label: str,
    frequency: str,
    site: str = "",
    now: datetime | None = None,
    webhook_url: str = "",
    webhook_style: str = "json",
    webhook_only: bool = False,
) -> SignUp:
    """Sign `email` up for a view; queue a confirmation unless one went out just now.

    An active subscription is left as it is (a stranger must not be able to
    change someone's alerts), and so is a recent pending one.
    """
    if frequency not in FREQUENCIES:
        raise ValueError(f"frequency must be one of {', '.join(FREQUENCIES)}")
    now = now or utcnow()
    sub = session.exec(
        select(AlertSubscription).where(
            AlertSubscription.email == email,
            AlertSubscription.path == path,
            AlertSubscription.query == query,
        )
    ).first()
    if sub is not None and sub.confirmed_at is not None and sub.unsubscribed_at is None:
        return SignUp(sub.id or 0, None, "active")
    state = "renewed" if sub is not None else "new"
    if sub is None:
        sub = AlertSubscription(email=email, path=path, query=query, token="", created_at=now)
    elif sub.confirmed_at is None and _confirm_sent_since(session, sub, now - CONFIRM_GAP):
        return SignUp(sub.id or 0, None, "pending")
    sub.label, sub.frequency, sub.site = label[:300], frequency, site[:300]
    sub.token = secrets.token_urlsafe(32)  # links of an earlier sign-up stop working
    # A webhook's secret is made on confirmation and shown then, once.
    sub.webhook_url, sub.webhook_style, sub.webhook_secret = webhook_url, webhook_style, ""
    sub.webhook_only = webhook_only and bool(webhook_url)
    sub.confirmed_at = sub.unsubscribed_at = None
    session.add(sub)
    session.flush()
    mail = AlertOutbox(subscription_id=sub.id or 0, kind="confirm", created_at=now,
                       next_attempt_at=now)  # fmt: skip
    session.add(mail)
    session.flush()
    return SignUp(sub.id or 0, mail.id, state)


def _confirm_sent_since(session: Session, sub: AlertSubscription, since: datetime) -> bool:
    box = table_of(AlertOutbox).c
    stmt = sa.select(sa.func.count()).where(
        box.subscription_id == sub.id, box.kind == "confirm", box.created_at >= since
    )
    return bool(session.execute(stmt).scalar_one())


def find(session: Session, subscription_id: int, digest: str) -> AlertSubscription | None:
    """The subscription a signed link names, if its secret is still the one signed."""
    sub = session.get(AlertSubscription, subscription_id)
    if sub is None or not secrets.compare_digest(token_digest(sub.token), digest):
        return None
    return sub


def confirm(session: Session, sub: AlertSubscription, now: datetime | None = None) -> bool:
    """Start the subscription (True), or leave an active one as it is (False)."""
    if sub.confirmed_at is not None and sub.unsubscribed_at is None:
        return False
    now = now or utcnow()
    sub.confirmed_at, sub.unsubscribed_at, sub.last_digest_at = now, None, now
    top = session.execute(sa.select(sa.func.max(table_of(Item).c.seq))).scalar_one()
    sub.last_sent_seq = int(top or 0)
    if sub.webhook_url:
        sub.webhook_secret = secrets.token_hex(32)
    session.add(sub)
    return True


def unsubscribe(session: Session, sub: AlertSubscription, now: datetime | None = None) -> bool:
    """End the subscription and drop its unsent mails (True); False if it had ended."""
    if sub.unsubscribed_at is not None:
        return False
    now = now or utcnow()
    sub.unsubscribed_at = now
    session.add(sub)
    box = table_of(AlertOutbox).c
    session.execute(
        sa.update(table_of(AlertOutbox))
        .where(box.subscription_id == sub.id, box.sent_at.is_(None), box.failed_at.is_(None))
        .values(failed_at=now, last_error="unsubscribed")
    )
    return True


def set_frequency(session: Session, sub: AlertSubscription, frequency: str) -> None:
    if frequency not in FREQUENCIES:
        raise ValueError(f"frequency must be one of {', '.join(FREQUENCIES)}")
    sub.frequency = frequency
    session.add(sub)


def of_address(session: Session, email: str) -> list[AlertSubscription]:
    """Every live subscription of one address, for its manage page."""
    stmt = (
        select(AlertSubscription)
        .where(AlertSubscription.email == email, AlertSubscription.unsubscribed_at.is_(None))  # type: ignore[union-attr]
        .order_by(AlertSubscription.id)  # type: ignore[arg-type]
    )
    return list(session.exec(stmt))


def due(session: Session, now: datetime) -> list[AlertSubscription]:
    """Confirmed, live subscriptions whose next digest may be decided now."""
    sub = table_of(AlertSubscription).c
    stmt = (
        sa.select(table_of(AlertSubscription))
        .where(sub.confirmed_at.is_not(None), sub.unsubscribed_at.is_(None))
        .order_by(sub.id)
    )
    subs = [AlertSubscription.model_validate(dict(r._mapping)) for r in session.execute(stmt)]
    return [s for s in subs if is_due(s, now)]


def is_due(sub: AlertSubscription, now: datetime) -> bool:
    """Whether the subscription's next digest may be decided at `now`."""
    period = PERIODS.get(sub.frequency, PERIODS["daily"])
    # A minute's slack: a daily run at the same time each day still counts a day.
    return sub.last_digest_at is None or sub.last_digest_at + period - timedelta(minutes=1) <= now
