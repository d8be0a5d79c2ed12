"""When to fetch a source again, and which host a fetch is polite towards. Pure.

After a success a source is due again one interval later. After failures in
a row it waits its interval times 2, 4, 8, ... (at most a day), with jitter
so that sources which failed together (one host's outage) do not all come
back in the same second; and never sooner than a server's Retry-After.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime, timedelta
from urllib.parse import urlsplit

BACKOFF_CAP = timedelta(days=1)
# The random share of a back-off: a wait of W becomes one between 0.75 W and W.
JITTER = 0.25


def next_attempt(
    now: datetime,
    interval_minutes: int,
    failures: int,
    retry_after: float | None = None,
    rand: Callable[[], float] = random.random,
) -> datetime:
    """When a source fetched at `now` is due again, after `failures` failures in a row."""
    interval = timedelta(minutes=max(1, interval_minutes))
    wait = interval
    if failures > 0:
        # 2 ** 20 intervals passes any cap; the exponent is bounded so a source
        # that failed for years does not build a huge integer.
        backoff = min(interval * 2 ** min(failures - 1, 20), max(BACKOFF_CAP, interval))
        wait = backoff * (1 - JITTER * rand())
        wait = max(wait, interval)
    if retry_after is not None:
        wait = max(wait, timedelta(seconds=min(retry_after, BACKOFF_CAP.total_seconds())))
    return now + wait


def host_key(url: str) -> str | None:
    """What politeness counts as one host: scheme, host name and port of `url`."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    port = port or (443 if parts.scheme == "https" else 80)
    return f"{parts.scheme}://{parts.hostname.lower()}:{port}"[:300]
