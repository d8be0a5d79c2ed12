"""The "Get alerts" pages: sign up to a view, confirm, manage, unsubscribe.

`/alerts/new?path=/topics/distillation&type=letter` is the form for the page
`/topics/distillation?type=letter`; listing and search pages link to it with
a small form (`_alerts_form.html`), so a reader's page sets no cookie. Every
POST needs the CSRF token and counts against TRACKER_RATE_ALERTS, except the
one-click unsubscribe of RFC 8058, which mail programs post without a
session and which is safe to repeat.
"""

from __future__ import annotations

import re
from email.headerregistry import Address
from urllib.parse import parse_qsl

from flask import Blueprint, Flask, abort, render_template, request
from werkzeug.wrappers import Response

from tracker.alerts import links, transport, views, webhook_payload, webhooks
from tracker.alerts.send import deliver
from tracker.models import AlertSubscription
from tracker.store import subscriptions
from tracker.store.locks import write_scope
from tracker.web import csrf, site_url
from tracker.web.context import db, engine, settings

bp = Blueprint("alerts", __name__)
FREQUENCY_LABELS = {"immediate": "As soon as items arrive", "daily": "Once a day",
                    "weekly": "Once a week"}  # fmt: skip
_EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")


class FormError(ValueError):
    """What was wrong with a sign-up, in words for the reader."""


@bp.get("/alerts/new")
def new() -> Response | str:
    """The sign-up form for the view named by `path` and the other arguments."""
    path, args = _target(request.args.items(multi=True))
    try:
        view = views.parse(path, args)
        with db() as session:
            views.check_exists(session, view)
            label = views.label(session, view)
    except views.ViewError as exc:
        abort(404, description=str(exc))
    return _form(view, label, email="", frequency="daily")


@bp.post("/alerts/new")
def subscribe() -> Response | str:
    path, args = _target(request.form.items(multi=True))
    query = request.form.get("query", "")
    email = (request.form.get("email") or "").strip()
    frequency = request.form.get("frequency") or "daily"
    try:
        view = views.parse(path, query or args)
    except views.ViewError as exc:
        abort(400, description=str(exc))
    with db() as session:
        label = views.label(session, view)
    try:
        address = checked_address(email)
        if frequency not in subscriptions.FREQUENCIES:
            raise FormError("Choose how often: as soon as items arrive, daily or weekly.")
        hook = _webhook(request.form.get("webhook_url", ""), request.form.get("webhook_style"))
        with write_scope(engine()) as session:
            views.check_exists(session, view)
            signup = subscriptions.subscribe(
                session, email=address, path=view.path, query=view.canonical, label=label,
                frequency=frequency, site=site_url.root(), webhook_url=hook[0],
                webhook_style=hook[1], webhook_only=bool(request.form.get("webhook_only")),
            )  # fmt: skip
    except (FormError, views.ViewError, webhooks.Refused) as exc:
        return _form(view, label, email=email, frequency=frequency, error=str(exc), status=400)
    if signup.outbox_id is not None:
        deliver(settings(), engine(), only=signup.outbox_id)  # a failure is retried by the worker
    return render_template("alerts_sent.html", email=address, label=label, view=view,
                           where=_where())  # fmt: skip


def _target(pairs: object) -> tuple[str, list[tuple[str, str]]]:
    items = list(pairs)  # type: ignore[call-overload]
    path = next((v for k, v in items if k == "path"), "")
    kept = [(k, v) for k, v in items if k in views.KEPT]
    return path, kept


def _webhook(url: str, style: str | None) -> tuple[str, str]:
    """The optional webhook's URL (checked now, and again at each post) and payload style."""
    if not url.strip():
        return "", "json"
    if style not in webhook_payload.STYLES:
        raise FormError("Choose the webhook's payload: plain JSON or Slack-compatible.")
    webhooks.check(url, settings().webhook_allow_loopback)
    return url.strip(), style


def checked_address(email: str) -> str:
    """The address as it will be stored, or `FormError` saying what is wrong with it."""
    if not email:
        raise FormError("Enter the email address the alerts should go to.")
    if len(email) > 254 or not _EMAIL.match(email):
        raise FormError(f"{email[:80]!r} is not an email address like name@example.org.")
    try:
        return Address(addr_spec=email).addr_spec
    except (ValueError, IndexError):
        raise FormError(f"{email[:80]!r} is not an email address like name@example.org.") from None


def _form(view: views.AlertView, label: str, *, email: str, frequency: str, error: str = "",
          status: int = 200) -> Response | str:  # fmt: skip
    html = render_template("alerts_new.html", view=view, label=label, email=email,
                           frequency=frequency, frequencies=FREQUENCY_LABELS, error=error,
                           where=_where(), styles=webhook_payload.STYLES,
                           hook=request.form)  # fmt: skip
    return Response(html, status=status, mimetype="text/html") if status != 200 else html


def _where() -> str:
    """Said on the page when no mail server is set: where the mails are written instead."""
    return "" if settings().smtp_url else transport.describe(settings())


def _subscription(purpose: str, signed: str) -> AlertSubscription:
    read = links.read(links.secret(settings()), purpose, signed)
    if read is None:
        abort(404, description="This link is not valid (or has expired). Sign up again.")
    with db() as session:
        sub = subscriptions.find(session, *read)
    if sub is None:
        abort(404, description="This link was replaced by a newer one, or its alerts ended.")
    return sub


@bp.route("/alerts/confirm/<signed>", methods=["GET", "POST"])
def confirm(signed: str) -> str:
    """GET shows a button (link scanners open links); POST starts the alerts."""
    sub = _subscription("confirm", signed)
    done, secret = False, ""
    if request.method == "POST":
        with write_scope(engine()) as session:
            fresh = session.get(AlertSubscription, sub.id)
            if fresh is not None:
                if subscriptions.confirm(session, fresh):
                    secret = fresh.webhook_secret  # shown on this page only, once
                sub = fresh
        done = True
    manage = f"/alerts/manage/{links.sign(links.secret(settings()), 'manage', sub)}"
    return render_template("alerts_confirm.html", sub=sub, done=done, manage=manage,
                           active=sub.confirmed_at is not None and not sub.unsubscribed_at,
                           frequencies=FREQUENCY_LABELS, secret=secret,
                           styles=webhook_payload.STYLES)  # fmt: skip


@bp.route("/alerts/manage/<signed>", methods=["GET", "POST"])
def manage(signed: str) -> str:
    """One subscription: how often, or stop it."""
    sub = _subscription("manage", signed)
    message = ""
    if request.method == "POST":
        frequency = request.form.get("frequency", "")
        if frequency not in subscriptions.FREQUENCIES:
            abort(400, description="Choose as soon as items arrive, daily or weekly.")
        with write_scope(engine()) as session:
            fresh = session.get(AlertSubscription, sub.id)
            if fresh is not None:
                subscriptions.set_frequency(session, fresh, frequency)
                sub = fresh
        message = f"Saved: {FREQUENCY_LABELS[frequency].lower()}."
    key = links.secret(settings())
    with db() as session:
        others = [(o, f"/alerts/manage/{links.sign(key, 'manage', o)}")
                  for o in subscriptions.of_address(session, sub.email) if o.id != sub.id
                  and o.confirmed_at is not None]  # fmt: skip
    return render_template("alerts_manage.html", sub=sub, signed=signed, message=message,
                           frequencies=FREQUENCY_LABELS, others=others)  # fmt: skip


@bp.route("/alerts/unsubscribe/<signed>", methods=["GET", "POST"])
def unsubscribe(signed: str) -> str:
    """GET asks; POST (a person's button or a mail program's one click) stops the alerts."""
    sub = _subscription("manage", signed)
    if request.method == "POST":
        with write_scope(engine()) as session:
            fresh = session.get(AlertSubscription, sub.id)
            if fresh is not None:
                subscriptions.unsubscribe(session, fresh)
                sub = fresh
    return render_template("alerts_unsubscribe.html", sub=sub, signed=signed,
                           done=sub.unsubscribed_at is not None)  # fmt: skip


def form_fields() -> list[tuple[str, str]]:
    """The hidden fields of the small "Get alerts" form on this page."""
    try:
        view = views.parse(request.path, list(request.args.items(multi=True)))
    except views.ViewError:
        return []
    return [("path", view.path), *parse_qsl(view.canonical)]


def init_app(app: Flask) -> None:
    """Register the pages, limited like logins, with the one-click unsubscribe exempt from CSRF."""
    limiter = app.extensions["tracker.limiter"]
    # Mail providers post one-click unsubscribes for many readers from few addresses.
    limiter.limit(
        app.extensions["tracker.settings"].rate_alerts,
        methods=["POST"],
        exempt_when=lambda: request.endpoint == "alerts.unsubscribe",
    )(bp)
    app.register_blueprint(bp)
    csrf.exempt("alerts.unsubscribe", methods=("POST",))
    app.jinja_env.globals["alert_fields"] = form_fields
