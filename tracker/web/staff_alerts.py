"""/account/alerts: a member of staff sees and manages their own alert subscriptions.

Their own means the subscriptions of the address set on their account with
`tracker set-email` (a username is never an address). The page changes how
often or stops each one with the same store functions as the signed manage
page; every POST carries the CSRF token, and a subscription of any other
address is a 404, whoever asks.
"""

from __future__ import annotations

from flask import Blueprint, Flask, abort, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from tracker.models import AlertSubscription
from tracker.store import accounts, subscriptions
from tracker.store.locks import write_scope
from tracker.web.alert_pages import FREQUENCY_LABELS
from tracker.web.auth import current_user, staff_required
from tracker.web.context import db, engine

bp = Blueprint("staff_alerts", __name__, url_prefix="/account")


@bp.get("/alerts")
@staff_required
def index() -> str:
    """The signed-in member of staff's live subscriptions, each with its frequency and a stop."""
    email = _email()
    subs: list[AlertSubscription] = []
    if email:
        with db() as session:
            subs = subscriptions.of_address(session, email)
    return render_template("staff_alerts.html", email=email, subs=subs,
                           frequencies=FREQUENCY_LABELS)  # fmt: skip


@bp.post("/alerts/<int:sub_id>/frequency")
@staff_required
def frequency(sub_id: int) -> Response:
    chosen = request.form.get("frequency", "")
    if chosen not in FREQUENCY_LABELS:
        abort(400, description="Choose as soon as items arrive, daily or weekly.")
    with write_scope(engine()) as session:
        sub = _own(session.get(AlertSubscription, sub_id))
        subscriptions.set_frequency(session, sub, chosen)
        flash(f"{sub.label or sub.path}: {FREQUENCY_LABELS[chosen].lower()}.", "ok")
    return redirect(url_for("staff_alerts.index"))


@bp.post("/alerts/<int:sub_id>/stop")
@staff_required
def stop(sub_id: int) -> Response:
    with write_scope(engine()) as session:
        sub = _own(session.get(AlertSubscription, sub_id))
        subscriptions.unsubscribe(session, sub)
        flash(f"Stopped: {sub.label or sub.path}.", "ok")
    return redirect(url_for("staff_alerts.index"))


def _email() -> str | None:
    user = current_user()
    assert user is not None  # staff_required
    with db() as session:
        return accounts.email_of(session, user.id)


def _own(sub: AlertSubscription | None) -> AlertSubscription:
    email = _email()
    if sub is None or not email or sub.email.lower() != email.lower() or sub.unsubscribed_at:
        abort(404, description="You have no such alert.")
    return sub


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
