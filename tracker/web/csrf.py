"""Cross-site request forgery: every POST must carry the session's own token.

A page with a form asks for `csrf_token()`, which creates a random token in
the signed session cookie; every state-changing request must send it back
(form field `csrf_token` or header `X-CSRF-Token`). Another site can make a
browser post a form here, but cannot read the token to put in it. SameSite=Lax
cookies already stop most of that; the token also covers old browsers and
same-site subdomains. Readers' GET pages create no token and set no cookie.
"""

from __future__ import annotations

import hmac
import secrets
from urllib.parse import urlsplit

from flask import Flask, abort, current_app, request, session

FIELD = "csrf_token"
HEADER = "X-CSRF-Token"
SESSION_KEY = "csrf"
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# (endpoint, method) pairs that need no token: a POST that is safe from anyone,
# like the one-click unsubscribe of RFC 8058, which mail programs send bare.
EXEMPT: set[tuple[str, str]] = set()
EXPIRED = "This form has expired or came from another site. Reload the page and try again."


def csrf_token() -> str:
    """The session's token, created on first use."""
    token = session.get(SESSION_KEY)
    if not isinstance(token, str) or not token:
        token = secrets.token_urlsafe(32)
        session[SESSION_KEY] = token
    return token


def new_token() -> str:
    """Replace the token: after logging in or out, an old page's token must not work."""
    session.pop(SESSION_KEY, None)
    return csrf_token()


def check_request() -> None:
    """Refuse an unsafe request without the session's token, or sent from another origin."""
    # A request no route takes gets its own 404 or 405; only real handlers are guarded.
    if request.method not in UNSAFE or request.routing_exception is not None:
        return
    if (request.endpoint or "", request.method) in EXEMPT:
        return
    origin = request.headers.get("Origin")
    # The host alone is compared: behind a TLS proxy the app sees http, the browser https;
    # the proxy may also pass on its own Host, so the site's configured address counts too.
    own = {_host(request.host_url), _host(current_app.extensions["tracker.settings"].base_url)}
    if origin and _host(origin) not in own - {""}:
        abort(400, description=EXPIRED)
    expected = session.get(SESSION_KEY)
    sent = request.form.get(FIELD) or request.headers.get(HEADER) or ""
    if not isinstance(expected, str) or not expected or not hmac.compare_digest(expected, sent):
        abort(400, description=EXPIRED)


def exempt(endpoint: str, methods: tuple[str, ...] = ("POST",)) -> None:
    """Let `endpoint` take these methods without the token (it must be safe to forge)."""
    EXEMPT.update((endpoint, method) for method in methods)


def _host(url: str) -> str:
    return urlsplit(url).netloc.lower()


def init_app(app: Flask) -> None:
    """Check every unsafe request of `app`, and give templates `csrf_token()`."""
    app.before_request(check_request)
    app.jinja_env.globals["csrf_token"] = csrf_token
