"""HTTP stage: one guarded, bounded, conditional GET per source.

Only this module talks HTTP. `fetch_url` returns a `Fetched` (new bytes, or
"not modified") or raises `FetchError` with a one-line reason.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import httpx

from tracker.addresses import IPAddress, refusal_reason
from tracker.content_coding import ACCEPT_ENCODING, BodyDecoder, CodingRefused
from tracker.types import Fetched

__all__ = ["FetchError", "FetchSettings", "IPAddress", "fetch_url", "refusal_reason"]

_MIB = 1024 * 1024
# Sites that get a misbehaving client's requests want someone to write to; the
# default cannot name one, so it says how to (README, "Settings").
DEFAULT_USER_AGENT = (
    "PolicyTracker/0.1 (+https://github.com/policy-tracker; "
    "no contact set: the operator should set TRACKER_USER_AGENT)"
)
_REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})


class FetchError(Exception):
    """A fetch that gave no usable answer; `str()` is a one-line reason.

    `url` is the URL being fetched when it failed (after redirects, the last
    hop); `status` is the HTTP status if the server answered at all;
    `retry_after` the seconds a 429 or 503 asked us to wait, if it said.
    """

    def __init__(
        self, url: str, message: str, status: int | None = None, retry_after: float | None = None
    ) -> None:
        super().__init__(message)
        self.url = url
        self.status = status
        self.message = message
        self.retry_after = retry_after


@dataclass(frozen=True)
class FetchSettings:
    """Limits for one fetch. `retries` counts attempts in all, the first included."""

    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    total_timeout: float = 60.0
    max_bytes: int = 20 * _MIB
    max_redirects: int = 5
    retries: int = 3
    backoff: float = 0.5
    user_agent: str = DEFAULT_USER_AGENT
    allow_private: bool = False


class _Transient(FetchError):
    """A failure another attempt may not meet: a time-out, a reset, a 5xx."""


@dataclass(frozen=True)
class _Job:
    """What one `fetch_url` call allows (limits, deadline) and sent (validators)."""

    settings: FetchSettings
    deadline: float
    etag: str | None
    last_modified: str | None
    headers: Mapping[str, str] = field(default_factory=dict)


def fetch_url(
    url: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    settings: FetchSettings = FetchSettings(),
    client: httpx.Client | None = None,
    headers: Mapping[str, str] | None = None,
) -> Fetched:
    """GET `url` within `settings`' limits; a 304 comes back with ``not_modified=True``.

    `headers` are sent with every request of the call (an API key, an Accept);
    they are never put in an error message. Raises `FetchError` for a refused
    URL or address, a 4xx, a body too big or too slow, too many redirects, or
    failures that outlast the retries. A caller's `client` is left open and
    its redirect policy ignored.
    """
    start = _checked_url(url)
    # One deadline for the whole call (hops, retries, back-off, body) so a
    # scheduler can rely on a fetch never holding a worker past total_timeout.
    deadline = time.monotonic() + settings.total_timeout
    job = _Job(settings, deadline, etag, last_modified, dict(headers or {}))
    # trust_env=False: an HTTP(S)_PROXY from the environment would connect to
    # the proxy, not to the address the guard checked.
    http = client if client is not None else httpx.Client(trust_env=False)
    try:
        attempts = max(1, settings.retries)
        for attempt in range(1, attempts + 1):
            try:
                return _follow(http, start, job)
            except _Transient as exc:
                failure = exc
            delay = settings.backoff * 2 ** (attempt - 1)
            if attempt == attempts or time.monotonic() + delay >= deadline:
                break
            time.sleep(delay)
        raise FetchError(failure.url, _gave_up(failure, attempt), failure.status)
    finally:
        if client is None:
            http.close()


def resolve_addresses(host: str, port: int) -> list[IPAddress]:
    """Every address `host` resolves to, as the system resolver answers now."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [ipaddress.ip_address(str(info[4][0])) for info in infos]


def _guard(url: httpx.URL, settings: FetchSettings) -> None:
    """Refuse to connect to `url`'s host if any of its addresses is not public.

    Why the checked address is not pinned: httpx resolves the name again to
    connect, so a DNS server that answers differently the second time (DNS
    rebinding) slips past. Pinning needs a transport that dials the IP but
    sends Host and SNI and checks the certificate for the name. Sources are an
    operator-edited list; the guard is there to stop redirects and typos from
    reaching the metadata service or internal hosts, and it does.
    """
    if settings.allow_private:
        return
    host = url.raw_host.decode("ascii")
    port = url.port or (443 if url.scheme == "https" else 80)
    try:
        addresses = resolve_addresses(host, port)
    except socket.gaierror as exc:
        message = f"could not resolve {host}: {exc.strerror}"
        if exc.errno == socket.EAI_AGAIN:  # the resolver is struggling, the name may be fine
            raise _Transient(str(url), message) from exc
        raise FetchError(str(url), message) from exc
    # Any bad answer refuses the host: with several records, the connecting
    # code may pick whichever one an attacker put there.
    for address in addresses:
        reason = refusal_reason(address)
        if reason:
            raise FetchError(str(url), f"refused: {address} is {reason}")


def _checked_url(raw: str) -> httpx.URL:
    """`raw` parsed, if it is an http(s) URL with a host; FetchError otherwise."""
    try:
        url = httpx.URL(raw)
    except httpx.InvalidURL as exc:
        raise FetchError(raw, f"refused: invalid URL ({exc})") from exc
    if url.scheme not in ("http", "https"):
        raise FetchError(raw, f"refused: only http and https are fetched, not {url.scheme!r}")
    if not url.raw_host or not 0 < (url.port or 80) < 65536:
        raise FetchError(raw, "refused: URL has no host or a bad port")
    return url


def _follow(http: httpx.Client, url: httpx.URL, job: _Job) -> Fetched:
    """One attempt: request, follow redirects ourselves (guarding each hop), read."""
    settings = job.settings
    origin = (url.scheme, url.host, url.port)
    plain = {"User-Agent": settings.user_agent, "Accept-Encoding": ACCEPT_ENCODING}
    if job.etag:
        plain["If-None-Match"] = job.etag
    if job.last_modified:
        plain["If-Modified-Since"] = job.last_modified
    for _hop in range(settings.max_redirects + 1):
        # A caller's headers (an API key) go to the origin asked for only: a
        # redirect to another host or scheme must not carry the key there.
        same_origin = (url.scheme, url.host, url.port) == origin
        headers = {**job.headers, **plain} if same_origin else plain
        _guard(url, settings)
        left = job.deadline - time.monotonic()
        if left <= 0:
            raise _over_deadline(str(url), settings)
        # Shrink each wait so that no single read outlives the deadline.
        connect, read = min(settings.connect_timeout, left), min(settings.read_timeout, left)
        timeout = httpx.Timeout(connect=connect, read=read, write=read, pool=connect)
        request = http.build_request("GET", url, headers=headers, timeout=timeout)
        try:
            # follow_redirects=False even for a caller's client: httpx would
            # connect to the next hop before we could check its address.
            response = http.send(request, stream=True, follow_redirects=False)
            try:
                if response.status_code in _REDIRECT_CODES:
                    url = _redirect_target(url, response)
                    continue
                return _answer(response, job)
            finally:
                response.close()
        except httpx.HTTPError as exc:
            raise _map_error(exc, str(request.url), timeout, job) from exc
        except httpx.InvalidURL as exc:
            # httpx works out every redirect's next request inside send(), even
            # one it will not follow, and a Location such as "http:\\host/x"
            # makes that raise InvalidURL, which is no HTTPError.
            message = f"refused: the server redirected to an invalid URL ({exc})"
            raise FetchError(str(url), message) from exc
    raise FetchError(str(url), f"too many redirects ({settings.max_redirects + 1})")


def retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds from `now` a Retry-After header asks for (delay or HTTP date); None if unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # an HTTP date is always GMT
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


def _redirect_target(current: httpx.URL, response: httpx.Response) -> httpx.URL:
    """The absolute URL a redirect points to, checked like the first one."""
    location = response.headers.get("location")
    if not location:
        status = response.status_code
        raise FetchError(str(current), f"HTTP {status} redirect without a Location", status)
    try:
        target = current.join(location)
    except httpx.InvalidURL as exc:
        raise FetchError(str(current), f"refused: invalid redirect {location!r}") from exc
    return _checked_url(str(target))


def _answer(response: httpx.Response, job: _Job) -> Fetched:
    """Turn a final (non-redirect) response into a `Fetched`, or raise."""
    url, status = str(response.url), response.status_code
    not_modified = status == 304
    wait = retry_after(response.headers.get("retry-after"), datetime.now(UTC))
    if status == 429 or (status == 503 and wait is not None):
        # The server said when to come back: trying again within this call
        # would ignore it, so the scheduler gets the wait instead.
        message = f"HTTP {status} {response.reason_phrase}".rstrip()
        if wait is not None:
            message += f" (Retry-After {wait:g} s)"
        raise FetchError(url, message, status, retry_after=wait)
    if status >= 500:
        raise _Transient(url, f"HTTP {status}", status)
    if status >= 300 and not not_modified:
        raise FetchError(url, f"HTTP {status} {response.reason_phrase}".rstrip(), status)
    headers = response.headers
    return Fetched(
        url=url,
        status=status,
        content=b"" if not_modified else _read_body(response, job),
        content_type=headers.get("content-type"),
        # A 304 may carry fresh validators; if not, the ones we sent still hold.
        etag=headers.get("etag") or (job.etag if not_modified else None),
        last_modified=headers.get("last-modified") or (job.last_modified if not_modified else None),
        fetched_at=datetime.now(UTC),
        not_modified=not_modified,
    )


def _read_body(response: httpx.Response, job: _Job) -> bytes:
    """The decoded body, stopped as soon as it passes max_bytes or the deadline.

    The raw bytes are decoded here in bounded steps rather than by httpx,
    whose decoders inflate a whole network chunk at once (a gzip bomb's
    gigabytes before any check runs); see `content_coding`.
    """
    url, status, limit = str(response.url), response.status_code, job.settings.max_bytes
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        message = f"response larger than {_size(limit)} (Content-Length {declared})"
        raise FetchError(url, message, status)
    try:
        decoder = BodyDecoder(response.headers.get_list("content-encoding", split_commas=True))
        body = bytearray()
        raw_size = 0
        # The deadline check between pieces is what stops a server that drips
        # one byte at a time, each well within the read time-out.
        for raw in response.iter_raw():
            raw_size += len(raw)
            if raw_size > limit:
                raise FetchError(url, f"response larger than {_size(limit)}", status)
            for piece in decoder.feed(raw):
                body += piece
                if len(body) > limit:
                    raise FetchError(url, _too_big(limit, decoder.coding), status)
                if time.monotonic() >= job.deadline:
                    raise _over_deadline(url, job.settings)
            if time.monotonic() >= job.deadline:
                raise _over_deadline(url, job.settings)
        body += decoder.finish()
    except CodingRefused as exc:
        raise FetchError(url, str(exc), status) from None
    if len(body) > limit:
        raise FetchError(url, _too_big(limit, decoder.coding), status)
    return bytes(body)


def _too_big(limit: int, coding: str | None) -> str:
    unpacked = f" once {coding}-decoded" if coding else ""
    return f"response larger than {_size(limit)}{unpacked}"


def _map_error(exc: httpx.HTTPError, url: str, timeout: httpx.Timeout, job: _Job) -> FetchError:
    """Map an httpx error to a retryable `_Transient` or a final `FetchError`."""
    if time.monotonic() >= job.deadline:
        return _over_deadline(url, job.settings)
    if isinstance(exc, httpx.ConnectTimeout):
        return _Transient(url, f"timed out after {timeout.connect:g}s connecting to {url}")
    if isinstance(exc, httpx.TimeoutException):
        return _Transient(url, f"timed out after {timeout.read:g}s reading {url}")
    if isinstance(exc, httpx.NetworkError | httpx.RemoteProtocolError):
        return _Transient(url, f"connection failed for {url}: {exc or type(exc).__name__}")
    # Bad encodings, local protocol errors and the like: trying again won't help.
    return FetchError(url, f"{type(exc).__name__}: {exc}")


def _over_deadline(url: str, settings: FetchSettings) -> FetchError:
    return FetchError(url, f"timed out after {settings.total_timeout:g}s in total fetching {url}")


def _gave_up(failure: _Transient, attempts: int) -> str:
    """``HTTP 500 after 3 attempts``; ``timed out ... (3 attempts)``."""
    suffix = f" after {attempts} attempts" if failure.status else f" ({attempts} attempts)"
    return failure.message + (suffix if attempts > 1 else "")


def _size(n: int) -> str:
    return f"{n / _MIB:g} MiB" if n >= _MIB else f"{n:,} bytes"
