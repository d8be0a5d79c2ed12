"""One registry of settings: name, default, help. Read from the environment.

Nothing here creates an engine or an app; callers ask for a `Settings` and
pass it on. Every setting is documented in the README (a test checks).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

REPO_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("TRACKER_HOME", "./instance", "Folder for the SQLite database and the search index."),
    Setting(
        "TRACKER_DATABASE_URL",
        "",
        "SQLAlchemy URL of the database; empty means SQLite at TRACKER_HOME/tracker.db. "
        "PostgreSQL: postgresql+psycopg://user@host/db",
    ),
    Setting(
        "TRACKER_DATA_DIR",
        str(REPO_ROOT / "data"),
        "Folder of taxonomy.toml, topic_model.json, type_model.json and sources.toml.",
    ),
    Setting("TRACKER_DEMO_DIR", "", "Folder of the demo corpus; empty means DATA_DIR/demo."),
    Setting(
        "TRACKER_ALLOW_PRIVATE_FETCH",
        "0",
        "1 lets sources on loopback or private addresses be fetched (tests only).",
    ),
    Setting("TRACKER_FETCH_TIMEOUT", "30", "Seconds to wait for a source's answer."),
    Setting(
        "TRACKER_USER_AGENT",
        "",
        "User-Agent sent to every source: name the tracker and a contact address, e.g. "
        "'PolicyTracker/0.1 (+https://example.org; ops@example.org)'. Empty: a default that "
        "names the project and says to set this.",
    ),
    Setting(
        "TRACKER_CONGRESS_API_KEY",
        "",
        "api.data.gov key for the congress.gov API v3 sources, sent as the X-Api-Key header; "
        "never stored or logged. Empty: those sources are skipped with a message.",
    ),
    Setting("TRACKER_FETCH_MAX_BYTES", str(20 * 1024 * 1024), "Largest response body accepted."),
    Setting("TRACKER_MAX_FILE_BYTES", str(20 * 1024 * 1024), "Largest file ingest reads."),
    Setting(
        "TRACKER_WORKER_CONCURRENCY",
        "4",
        "Sources one fetch worker (`tracker worker`, or the one inside `tracker serve`) "
        "fetches at once.",
    ),
    Setting(
        "TRACKER_HOST_GAP",
        "2",
        "Seconds between the end of one request to a host and the start of the next, "
        "across every worker (a host's Retry-After can make it longer).",
    ),
    Setting(
        "TRACKER_LEASE_SECONDS",
        "120",
        "How long a worker's claim on a source lasts without a heartbeat: the sources of "
        "a worker that died are fetched by another after this long.",
    ),
    Setting("TRACKER_HEARTBEAT_SECONDS", "10", "Seconds between two heartbeats of a worker."),
    Setting("TRACKER_SECRET_KEY", "", "Flask secret key; empty means a random key per start."),
    Setting("TRACKER_PAGE_SIZE", "50", "Items per page on listings."),
    Setting(
        "TRACKER_GROUPING_BATCH",
        "200",
        "Items placed into events per transaction; each transaction takes the write lock "
        "and lets other writers in when it commits.",
    ),
    Setting("TRACKER_REDIS_URL", "", "Redis for shared rate-limit counts; empty: in memory."),
    Setting(
        "TRACKER_RATE_SEARCH",
        "60/minute",
        "Searches one client may run, in any format (page, feeds, CSV, API), e.g. 60/minute.",
    ),
    Setting(
        "TRACKER_RATE_LISTING",
        "120/minute",
        "Listing pages one client may ask for, with their feeds, CSV and API answers; "
        "a 304 to a conditional request does not count.",
    ),
    Setting(
        "TRACKER_RATE_EXPORT",
        "1 per 5 seconds",
        "CSV exports one client may download (each also counts as a listing or a search); "
        "a short window, so that no client can take every worker with a burst of exports.",
    ),
    Setting("TRACKER_RATE_API", "300/minute", "API requests one client may make."),
    Setting("TRACKER_RATE_LOGIN", "10/minute", "Login attempts one client may make."),
    Setting(
        "TRACKER_SECURE_COOKIES",
        "auto",
        "Mark the staff session cookie Secure: auto (when the request came over HTTPS), "
        "1 (always, e.g. behind a TLS proxy) or 0.",
    ),
    Setting(
        "TRACKER_BASE_URL",
        "",
        "The site's public address, e.g. https://tracker.example.org: every absolute link "
        "(feeds, OPML, API, citations) uses it, whatever Host a request names. Empty: links "
        "use the request's Host, and feeds and API answers may be kept by the reader's own "
        "cache only (Cache-Control: private).",
    ),
    Setting(
        "TRACKER_SMTP_URL",
        "",
        "Where alert mails go: smtp://user:password@host:587?starttls=1 or smtps://host:465. "
        "Empty: each mail is written as an .eml file under TRACKER_HOME/mail.",
    ),
    Setting("TRACKER_MAIL_FROM", "Policy Tracker <alerts@localhost>", "Sender of alert mails."),
    Setting("TRACKER_ALERT_CAP", "20", "Most alert mails one address is sent in 24 hours."),
    Setting(
        "TRACKER_RATE_ALERTS", "10/minute", "Alert sign-ups and confirmations one client may post."
    ),
    Setting(
        "TRACKER_WEBHOOK_ALLOW_LOOPBACK",
        "0",
        "1 lets alert webhooks post to loopback addresses (tests only); private, link-local "
        "and metadata addresses stay refused.",
    ),
)

_BY_NAME = {s.name: s for s in SETTINGS}


_TRUE = {"1", "true", "yes", "on"}


class ConfigError(Exception):
    """A setting has a value that cannot be used."""


def _number(name: str, raw: str, kind: type[int] | type[float]) -> int | float:
    try:
        value = kind(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a number") from None
    if value <= 0:
        raise ConfigError(f"{name}={raw!r} must be greater than 0")
    return value


def _tristate(name: str, raw: str) -> bool | None:
    """auto → None; 1/true/yes/on → True; 0/false/no/off → False."""
    value = raw.strip().lower()
    if value in {"", "auto"}:
        return None
    if value in _TRUE:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(f"{name}={raw!r} must be auto, 1 or 0")


def _base_url(raw: str) -> str:
    """An http(s) address with a host and no query, without its trailing slash."""
    value = raw.strip()
    if not value:
        return ""
    parts = urlsplit(value)
    if parts.scheme not in {"http", "https"} or not parts.hostname or parts.query or parts.fragment:
        raise ConfigError(
            f"TRACKER_BASE_URL={raw!r} must be an address like https://tracker.example.org"
        )
    return value.rstrip("/")


def _user_agent(raw: str) -> str:
    """One line of printable ASCII (a header value), or empty for the default."""
    value = raw.strip()
    if value and (not value.isascii() or not value.isprintable()):
        raise ConfigError(
            f"TRACKER_USER_AGENT={raw!r} must be one line of printable ASCII, "
            "e.g. 'PolicyTracker/0.1 (+https://example.org; ops@example.org)'"
        )
    return value


@dataclass(frozen=True)
class Settings:
    """Resolved settings; build with `Settings.from_env()`."""

    home: Path
    database_url: str
    data_dir: Path
    demo_dir: Path
    allow_private_fetch: bool
    fetch_timeout: float
    fetch_max_bytes: int
    max_file_bytes: int
    secret_key: str
    page_size: int
    redis_url: str = ""
    rate_search: str = "60/minute"
    rate_api: str = "300/minute"
    rate_login: str = "10/minute"
    rate_listing: str = "120/minute"
    rate_export: str = "1 per 5 seconds"
    secure_cookies: bool | None = None  # None: Secure when the request is HTTPS
    base_url: str = ""  # empty: links follow the request's Host
    grouping_batch: int = 200
    user_agent: str = ""  # empty: fetch.DEFAULT_USER_AGENT
    # repr=False: a Settings printed in a log or a traceback must not show the key.
    congress_api_key: str = field(default="", repr=False)
    worker_concurrency: int = 4
    host_gap: float = 2.0
    lease_seconds: float = 120.0
    heartbeat_seconds: float = 10.0
    smtp_url: str = field(default="", repr=False)  # may carry a password
    mail_from: str = "Policy Tracker <alerts@localhost>"
    alert_cap: int = 20
    rate_alerts: str = "10/minute"
    webhook_allow_loopback: bool = False

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Read every setting from `env` (default `os.environ`), then apply overrides."""
        env = os.environ if env is None else env

        def get(name: str) -> str:
            return env.get(name, _BY_NAME[name].default)

        home = Path(get("TRACKER_HOME")).expanduser().resolve()
        data_dir = Path(get("TRACKER_DATA_DIR")).expanduser().resolve()
        demo = get("TRACKER_DEMO_DIR")
        values: dict[str, object] = {
            "home": home,
            "database_url": get("TRACKER_DATABASE_URL") or f"sqlite:///{home / 'tracker.db'}",
            "data_dir": data_dir,
            "demo_dir": Path(demo).expanduser().resolve() if demo else data_dir / "demo",
            "allow_private_fetch": get("TRACKER_ALLOW_PRIVATE_FETCH").lower()
            in {"1", "true", "yes"},
            "fetch_timeout": _number("TRACKER_FETCH_TIMEOUT", get("TRACKER_FETCH_TIMEOUT"), float),
            "fetch_max_bytes": _number(
                "TRACKER_FETCH_MAX_BYTES", get("TRACKER_FETCH_MAX_BYTES"), int
            ),
            "max_file_bytes": _number("TRACKER_MAX_FILE_BYTES", get("TRACKER_MAX_FILE_BYTES"), int),
            "secret_key": get("TRACKER_SECRET_KEY"),
            "page_size": _number("TRACKER_PAGE_SIZE", get("TRACKER_PAGE_SIZE"), int),
            "grouping_batch": _number("TRACKER_GROUPING_BATCH", get("TRACKER_GROUPING_BATCH"), int),
            "redis_url": get("TRACKER_REDIS_URL"),
            "rate_search": get("TRACKER_RATE_SEARCH"),
            "rate_api": get("TRACKER_RATE_API"),
            "rate_login": get("TRACKER_RATE_LOGIN"),
            "rate_listing": get("TRACKER_RATE_LISTING"),
            "rate_export": get("TRACKER_RATE_EXPORT"),
            "base_url": _base_url(get("TRACKER_BASE_URL")),
            "user_agent": _user_agent(get("TRACKER_USER_AGENT")),
            "congress_api_key": get("TRACKER_CONGRESS_API_KEY").strip(),
            "worker_concurrency": _number(
                "TRACKER_WORKER_CONCURRENCY", get("TRACKER_WORKER_CONCURRENCY"), int
            ),
            "host_gap": _number("TRACKER_HOST_GAP", get("TRACKER_HOST_GAP"), float),
            "lease_seconds": _number("TRACKER_LEASE_SECONDS", get("TRACKER_LEASE_SECONDS"), float),
            "heartbeat_seconds": _number(
                "TRACKER_HEARTBEAT_SECONDS", get("TRACKER_HEARTBEAT_SECONDS"), float
            ),
            "smtp_url": get("TRACKER_SMTP_URL").strip(),
            "mail_from": get("TRACKER_MAIL_FROM").strip(),
            "alert_cap": _number("TRACKER_ALERT_CAP", get("TRACKER_ALERT_CAP"), int),
            "rate_alerts": get("TRACKER_RATE_ALERTS"),
            "webhook_allow_loopback": get("TRACKER_WEBHOOK_ALLOW_LOOPBACK").lower()
            in {"1", "true", "yes"},
            "secure_cookies": _tristate("TRACKER_SECURE_COOKIES", get("TRACKER_SECURE_COOKIES")),
        }
        values.update(overrides)
        return cls(**values)  # type: ignore[arg-type]

    @property
    def index_dir(self) -> Path:
        return self.home / "index"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")
