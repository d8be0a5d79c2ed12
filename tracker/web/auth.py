"""Staff log in and out; who is logged in; which views need which role.

Readers never need an account and public pages set no cookie. Staff sessions
live in Flask's signed cookie, which is HttpOnly, SameSite=Lax, Secure over
HTTPS (or always, with TRACKER_SECURE_COOKIES=1) and lasts a working day. The
cookie carries the user's session generation, which logging out, a new
password and a new role bump: every cookie signed before stops working.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any, TypeVar, cast

from flask import (
    Blueprint,
    Flask,
    Request,
    Response,
    abort,
    current_app,
    g,
    has_request_context,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from werkzeug.wrappers import Response as Redirect

from tracker.accounts import is_admin, is_staff
from tracker.store import accounts
from tracker.store.accounts import StaffUser
from tracker.web.context import db
from tracker.web.csrf import new_token

bp = Blueprint("auth", __name__)
F = TypeVar("F", bound=Callable[..., Any])
USER_KEY = "uid"
GENERATION_KEY = "gen"
LIFETIME = timedelta(hours=8)


class StaffSessionInterface(SecureCookieSessionInterface):
    """Flask's signed cookie, marked Secure when the request came over HTTPS."""

    def get_cookie_secure(self, app: Flask) -> bool:
        forced = app.extensions["tracker.settings"].secure_cookies
        if forced is not None:
            return bool(forced)
        return has_request_context() and request.is_secure

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        """An empty session at once for a request without the cookie (every reader's):
        Flask would build the signing serializer first, a tenth of a small request."""
        if app.secret_key and not request.cookies.get(self.get_cookie_name(app)):
            return self.session_class()
        return super().open_session(app, request)


def current_user() -> StaffUser | None:
    """The logged-in member of staff, or None for a reader."""
    return cast("StaffUser | None", g.get("user"))


def staff_required(view: F) -> F:
    """Editors and admins only; anyone else is sent to log in."""

    @wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        user = current_user()
        if user is None or not is_staff(user.role):
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)

    return cast(F, guarded)


def admin_required(view: F) -> F:
    """Admins only: editors get 403, readers are sent to log in."""

    @wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        user = current_user()
        if user is None:
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        if not is_admin(user.role):
            abort(403, description="This page is for admins.")
        return view(*args, **kwargs)

    return cast(F, guarded)


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    """The log-in form; on success, on to where the user was going."""
    target = local_target(request.values.get("next", ""))
    if request.method == "GET":
        if current_user() is not None:
            return redirect(target)
        return render_template("login.html", next=target, message="", username="")
    username = request.form.get("username", "")
    with db() as s:
        result = accounts.attempt_login(s, username, request.form.get("password", ""))
    if result.user is None:
        page = render_template("login.html", next=target, message=result.message,
                               username=username)  # fmt: skip
        if result.retry_after:
            return Response(page, 429, headers={"Retry-After": str(result.retry_after)})
        return page
    session.clear()  # a new session: nothing a visitor had before logging in carries over
    session[USER_KEY] = result.user.id
    session[GENERATION_KEY] = result.user.generation
    session.permanent = True
    new_token()
    return redirect(target)


@bp.post("/logout")
def logout() -> Redirect:
    """End the session; a POST, so no link or image on another site can log staff out.

    Every session of the user ends, here and on any other device: a copy of
    the cookie (from a shared computer, a proxy log) opens nothing after this.
    """
    user = current_user()
    if user is not None:
        with db() as s:
            accounts.end_sessions(s, user.id)
    session.clear()
    return redirect(url_for("pages.home"))


def local_target(target: str, default: str | None = None) -> str:
    """`target` if it is a path on this site, else `default` (the review queue).

    Forms say where to go back to; an address on another site would make this
    a redirector for phishing.
    """
    # Browsers drop tabs and newlines and read a backslash as "/": "/<tab>/evil" is "//evil".
    plain = all(" " <= c != "\x7f" for c in target) and "\\" not in target
    if plain and target.startswith("/") and not target.startswith("//"):
        return target
    return default or url_for("review.queue")


def _load_user() -> None:
    # Only a request that carries the session cookie reads it: readers' pages
    # then neither set a cookie nor vary by one, and caches may keep them.
    g.user = None
    if current_app.config["SESSION_COOKIE_NAME"] not in request.cookies:
        return
    user_id, generation = session.get(USER_KEY), session.get(GENERATION_KEY)
    if not isinstance(user_id, int) or not isinstance(generation, int):
        return
    with db() as s:
        user = accounts.staff_user(s, user_id)
    # A cookie from before the last logout, password change or role change is over.
    if user is None or user.generation != generation:
        session.clear()
        return
    g.user = user


def _private(response: Response) -> Response:
    # A page made for a member of staff holds their token and their tools:
    # no shared cache may keep it.
    if g.get("user") is not None:
        response.headers["Cache-Control"] = "private, no-store"
    return response


def init_app(app: Flask) -> None:
    """Session cookie settings, the current user, the log-in pages, template globals."""
    app.session_interface = StaffSessionInterface()
    app.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
                      PERMANENT_SESSION_LIFETIME=LIFETIME)  # fmt: skip
    app.before_request(_load_user)
    app.after_request(_private)
    app.register_blueprint(bp)

    @app.context_processor
    def staff_context() -> dict[str, Any]:
        user = g.get("user")
        return {"staff": user, "staff_is_admin": user is not None and is_admin(user.role)}
