"""Signed links in alert mails: confirm, manage and one-click unsubscribe.

A link carries the subscription's id and a hash of its secret, signed with
the site's key (itsdangerous). A new sign-up replaces the secret, so older
links stop working; a confirmation link also expires after a week.
"""

from __future__ import annotations

from itsdangerous import BadData, URLSafeTimedSerializer

from tracker.config import Settings
from tracker.models import AlertSubscription
from tracker.store.subscriptions import token_digest

CONFIRM_AGE = 7 * 24 * 3600
PURPOSES = ("confirm", "manage")


def secret(settings: Settings) -> str:
    """The key the site signs with: TRACKER_SECRET_KEY, else the one kept in TRACKER_HOME."""
    from tracker.web import _instance_secret

    return settings.secret_key or _instance_secret(settings)


def _serializer(key: str, purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(key, salt=f"tracker-alerts-{purpose}")


def sign(key: str, purpose: str, sub: AlertSubscription) -> str:
    return _serializer(key, purpose).dumps([sub.id, token_digest(sub.token)])


def read(key: str, purpose: str, signed: str) -> tuple[int, str] | None:
    """(subscription id, secret hash) of a link, or None when forged, altered or expired."""
    max_age = CONFIRM_AGE if purpose == "confirm" else None
    try:
        value = _serializer(key, purpose).loads(signed, max_age=max_age)
    except BadData:
        return None
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not isinstance(value[0], int)
        or not isinstance(value[1], str)
    ):
        return None
    return value[0], value[1]


def urls(root: str, key: str, sub: AlertSubscription) -> dict[str, str]:
    """The absolute links of one subscription's mails."""
    manage = sign(key, "manage", sub)
    return {
        "confirm": f"{root}/alerts/confirm/{sign(key, 'confirm', sub)}",
        "manage": f"{root}/alerts/manage/{manage}",
        "unsubscribe": f"{root}/alerts/unsubscribe/{manage}",
        "view": f"{root}{_page(sub)}",
    }


def _page(sub: AlertSubscription) -> str:
    return f"{sub.path}?{sub.query}" if sub.query else sub.path
