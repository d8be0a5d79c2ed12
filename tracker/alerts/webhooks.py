"""Posting a digest to a subscription's webhook, guarded like fetching.

A webhook URL is the reader's, so it is checked as a source URL is: http or
https, and every address its host resolves to must be public (the rules of
`tracker.addresses`), when the reader signs up and again at each post.
Each post connects to the very address that was checked (the URL's host is
replaced by it; `Host` and TLS SNI keep the name, and the certificate is
checked for the name), so a DNS answer that changes in between cannot
redirect the post inside. Redirects are never followed, the wait is short
and at most READ_CAP bytes of an answer are read.

TRACKER_WEBHOOK_ALLOW_LOOPBACK=1 (tests only) admits loopback addresses and
nothing else: private, link-local and metadata addresses stay refused.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass

import httpx

from tracker.addresses import IPAddress, refusal_reason
from tracker.alerts import webhook_payload
from tracker.config import Settings
from tracker.fetch import DEFAULT_USER_AGENT, resolve_addresses
from tracker.models import AlertOutbox, AlertSubscription

KIND = "webhook"
TIMEOUT = httpx.Timeout(connect=5.0, read=10.0, write=10.0, pool=5.0)
READ_CAP = 64 * 1024  # bytes of an answer read at most; the rest is dropped
MAX_URL = 2000
_RETRY_STATUSES = frozenset({408, 425, 429})


class Refused(ValueError):
    """A webhook URL that may not be posted to; `str()` says why, for the reader."""


@dataclass(frozen=True)
class Target:
    """A checked URL and the addresses to connect to for it, in the resolver's order."""

    url: httpx.URL
    addresses: tuple[IPAddress, ...]

    @property
    def address(self) -> IPAddress:
        return self.addresses[0]


def check(raw: str, allow_loopback: bool = False) -> Target:
    """`raw` parsed and its host resolved; Refused if it is not a public http(s) URL."""
    raw = raw.strip()
    if len(raw) > MAX_URL:
        raise Refused(f"The webhook URL is longer than {MAX_URL} characters.")
    try:
        url = httpx.URL(raw)
    except (httpx.InvalidURL, ValueError):
        raise Refused(f"{raw[:80]!r} is not a URL like https://hooks.example.org/…") from None
    if url.scheme not in ("http", "https") or not url.raw_host:
        raise Refused(f"{raw[:80]!r} is not an http or https URL with a host.")
    if url.userinfo:
        raise Refused("The webhook URL must not carry a user name or password.")
    host = url.raw_host.decode("ascii")
    try:
        addresses = resolve_addresses(host, url.port or (443 if url.scheme == "https" else 80))
    except (socket.gaierror, UnicodeError, OSError) as exc:
        raise Refused(f"The webhook's host {host!r} could not be resolved ({exc}).") from None
    for address in addresses:
        reason = refusal_reason(address)
        if reason and not (allow_loopback and address.is_loopback):
            raise Refused(f"Webhooks may only post to public addresses: {host} resolves to "
                          f"{address}, {reason}.")  # fmt: skip
    if not addresses:
        raise Refused(f"The webhook's host {host!r} has no address.")
    return Target(url, tuple(dict.fromkeys(addresses)))


def post(
    settings: Settings, box: AlertOutbox, sub: AlertSubscription, root: str
) -> tuple[str, str | None]:
    """Post the outbox row `box` to `sub`'s webhook; the outcome for `alert_outbox.finish`:
    ("sent", None), ("retry", why) or ("failed", why)."""
    if sub.confirmed_at is None:
        return "failed", "not confirmed"
    if not sub.webhook_url or not sub.webhook_secret:
        return "failed", "the subscription has no webhook"
    try:
        target = check(sub.webhook_url, settings.webhook_allow_loopback)
    except Refused as exc:
        return "failed", str(exc)
    payload = webhook_payload.body(box, sub, root)
    headers = webhook_payload.headers(sub.webhook_secret, payload, box.id or 0,
                                      settings.user_agent or DEFAULT_USER_AGENT)  # fmt: skip
    headers["Host"] = target.url.netloc.decode("ascii")
    extensions = {"sni_hostname": target.url.host} if target.url.scheme == "https" else {}
    # trust_env=False: a proxy from the environment would connect elsewhere than checked.
    with httpx.Client(trust_env=False, follow_redirects=False, timeout=TIMEOUT) as client:
        failure = "the webhook's host has no address"
        for address in target.addresses:  # the next checked address only if one can't connect
            pinned = target.url.copy_with(host=str(address))
            request = client.build_request("POST", pinned, content=payload, headers=headers,
                                           extensions=extensions)  # fmt: skip
            try:
                response = client.send(request, stream=True)
                try:
                    answer = _read_capped(response)
                finally:
                    response.close()
            except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
                failure = f"the webhook could not be reached: {exc}"
                continue
            except httpx.TimeoutException:
                return "retry", "the webhook did not answer in time"
            except httpx.HTTPError as exc:
                return "retry", f"the webhook could not be reached: {exc}"
            return _outcome(response, answer)
    return "retry", failure


def _read_capped(response: httpx.Response) -> bytes:
    kept = b""
    for chunk in response.iter_raw():
        kept += chunk[: READ_CAP - len(kept)]
        if len(kept) >= READ_CAP:
            break
    return kept


def _outcome(response: httpx.Response, answer: bytes) -> tuple[str, str | None]:
    status = response.status_code
    said = answer[:200].decode("utf-8", errors="replace").strip()
    reason = f"the webhook answered {status}" + (f": {said}" if said else "")
    if 200 <= status < 300:
        return "sent", None
    if 300 <= status < 400:
        where = response.headers.get("Location", "")[:200]
        return "failed", f"the webhook answered {status} (to {where}): redirects are not followed"
    if status >= 500 or status in _RETRY_STATUSES:
        return "retry", reason
    return "failed", reason
