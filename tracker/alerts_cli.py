"""`tracker alerts`: send the alert mails that are due, and list subscriptions."""

from __future__ import annotations

import time

import click

from tracker.terminal import err, out


@click.group()
def alerts() -> None:
    """Email alerts: subscriptions to listings and searches."""


@alerts.command()
@click.option("--deliver-only", is_flag=True, help="Send queued mails; decide no new digests.")
def send(deliver_only: bool) -> None:
    """Decide the digests that are due, queue them, and deliver every queued mail."""
    from tracker.alerts import send as sending
    from tracker.alerts import transport
    from tracker.cli import expected_errors, pipeline

    with expected_errors():
        p = pipeline()
        p.init()
        started = time.perf_counter()
        queued = 0 if deliver_only else sending.decide_all(p.settings, p.engine)
        report = sending.deliver(p.settings, p.engine)
        p.engine.dispose()
    for line in report.errors:
        err.print(line, markup=False, soft_wrap=True)
    states = ", ".join(f"{n} {state}" for state, n in sorted(report.states.items())) or "none"
    out.print(
        f"Queued {queued} digest(s); mails: {states}; {transport.describe(p.settings)}; "
        f"{time.perf_counter() - started:.1f} s.",
        markup=False,
        soft_wrap=True,
    )


@alerts.command(name="list")
def list_subscriptions() -> None:
    """Every subscription: address, view, frequency and state."""
    from sqlmodel import select

    from tracker.cli import expected_errors, pipeline
    from tracker.models import AlertSubscription
    from tracker.store.engine import session_scope

    with expected_errors():
        p = pipeline()
        p.init()
        with session_scope(p.engine) as session:
            subs = list(session.exec(select(AlertSubscription).order_by(AlertSubscription.id)))  # type: ignore[arg-type]
        p.engine.dispose()
    for sub in subs:
        state = ("unsubscribed" if sub.unsubscribed_at else
                 "active" if sub.confirmed_at else "unconfirmed")  # fmt: skip
        view = f"{sub.path}?{sub.query}" if sub.query else sub.path
        out.print(f"{sub.id}\t{sub.email}\t{view}\t{sub.frequency}\t{state}", markup=False)
