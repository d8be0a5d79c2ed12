"""Load and validate `data/sources.toml` and the demo manifest. No database."""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from tracker.parse.bill_fields import bill_type_of
from tracker.parse.billstatus import bill_url
from tracker.types import BILL_TYPE_LABELS, DOC_TYPES, SOURCE_KINDS, SourceConfig, bill_label

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,99}$")
# A year: a longer interval would push the next fetch past any date there is.
MAX_INTERVAL = 525_600


class SourceConfigError(Exception):
    """A sources file cannot be used; the message names the file and line."""


@dataclass(frozen=True)
class DemoFile:
    """One file of the bundled demo corpus and the sample source it belongs to."""

    path: Path
    source: SourceConfig


def load_sources(path: Path) -> list[SourceConfig]:
    """Every source in a sources.toml file, validated."""
    return parse_sources(_read(path), str(path))


def parse_sources(text: str, origin: str = "<string>") -> list[SourceConfig]:
    """Validate the `[[source]]` tables of a sources file."""
    document = _toml(text, origin)
    tables = document.get("source", [])
    if not isinstance(tables, list):
        raise SourceConfigError(f"{origin}: 'source' must be a list of [[source]] tables")
    seen: set[str] = set()
    sources = []
    for table in tables:
        source = _source(table, text, origin)
        if source.slug in seen:
            line = _line_of(text, source.slug)
            raise SourceConfigError(f"{origin}:{line}: duplicate source slug {source.slug!r}")
        seen.add(source.slug)
        sources.append(source)
    return sources


def source_from_fields(fields: dict[str, Any], origin: str = "form") -> SourceConfig:
    """One source from a mapping (e.g. a web form), validated like a sources.toml table."""
    return _source(fields, "", origin)


def load_demo_manifest(demo_dir: Path) -> list[DemoFile]:
    """The demo corpus files with the sample sources they belong to."""
    manifest = demo_dir / "manifest.toml"
    text = _read(manifest)
    document = _toml(text, str(manifest))
    files = []
    for table in document.get("file", []):
        if not isinstance(table, dict) or "path" not in table:
            raise SourceConfigError(f"{manifest}: every [[file]] needs a path")
        fields = {k: v for k, v in table.items() if k not in {"path", "source"}}
        fields["slug"] = table.get("source")
        fields.setdefault("url", "")
        source = _source(fields, text, str(manifest), local=True)
        files.append(DemoFile(path=demo_dir / str(table["path"]), source=source))
    return files


def closest_slugs(name: str, known: list[str], limit: int = 3) -> list[str]:
    """The known slugs most like `name` (a typo, a missing prefix), best first."""
    close = difflib.get_close_matches(name, known, n=limit, cutoff=0.5)
    containing = [slug for slug in known if name and name in slug and slug not in close]
    found = (close + containing)[:limit]
    # Nothing alike: still the nearest few, so the message always names some.
    return found or difflib.get_close_matches(name, known, n=limit, cutoff=0.0)


def bill_source(congress: int, bill_type: str, number: int) -> SourceConfig:
    """The BILLSTATUS source that follows one bill, e.g. 119 hr 8283 → bill-119-hr8283.

    govinfo keeps one file per bill at a fixed address (its bulk-data layout),
    updated as the bill moves. Raises ValueError for an unknown bill type.
    """
    kind = bill_type_of(bill_type)
    if kind is None:
        raise ValueError(f"unknown bill type {bill_type!r}; one of {', '.join(BILL_TYPE_LABELS)}")
    if not 0 < congress < 1000 or not 0 < number < 100_000:
        raise ValueError(f"no bill {congress} {kind} {number}: check the congress and the number")
    return SourceConfig(
        slug=f"bill-{congress}-{kind}{number}",
        name=f"BILLSTATUS: {bill_label(kind, number)} ({_ordinal(congress)} Congress)",
        kind="billstatus",
        url=f"https://www.govinfo.gov/bulkdata/BILLSTATUS/{congress}/{kind}/"
        f"BILLSTATUS-{congress}{kind}{number}.xml",
        doc_type="bill",
        owner="U.S. Government Publishing Office",
        homepage=bill_url(congress, kind, number),
        interval_minutes=360,
    )


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _source(table: Any, text: str, origin: str, local: bool = False) -> SourceConfig:
    if not isinstance(table, dict):
        raise SourceConfigError(f"{origin}: each source must be a table")
    slug = table.get("slug")
    where = f"{origin}:{_line_of(text, slug) if slug else '?'}"
    if not isinstance(slug, str) or not SLUG.match(slug):
        raise SourceConfigError(f"{where}: slug {slug!r} must be lowercase letters, digits, '-'")
    kind = table.get("kind")
    if kind not in SOURCE_KINDS:
        raise SourceConfigError(f"{where}: kind {kind!r} of {slug!r} is not one of {SOURCE_KINDS}")
    doc_type = table.get("doc_type", "news")
    if doc_type not in DOC_TYPES:
        raise SourceConfigError(f"{where}: doc_type {doc_type!r} of {slug!r} is not one of "
                                f"{', '.join(DOC_TYPES)}")  # fmt: skip
    url = table.get("url", "")
    if not local and urlsplit(str(url)).scheme not in {"http", "https"}:
        raise SourceConfigError(f"{where}: url of {slug!r} must be http or https, got {url!r}")
    selectors = table.get("selectors", {})
    if kind == "html" and not {"item", "title"} <= set(selectors):
        raise SourceConfigError(f"{where}: html source {slug!r} needs selectors item and title")
    if _key_in_query(str(url)):
        raise SourceConfigError(f"{where}: url of {slug!r} carries an API key; set "
                                "TRACKER_CONGRESS_API_KEY instead (the key is sent as a "
                                "header, never stored)")  # fmt: skip
    reason = table.get("disabled_reason")
    if reason is not None and (not isinstance(reason, str) or not 0 < len(reason.strip()) <= 500):
        raise SourceConfigError(f"{where}: disabled_reason of {slug!r} must be text of 1 to "
                                "500 characters")  # fmt: skip
    interval = table.get("interval_minutes", 60)
    if not isinstance(interval, int) or not 1 <= interval <= MAX_INTERVAL:
        raise SourceConfigError(f"{where}: interval_minutes of {slug!r} must be a whole number "
                                f"of minutes from 1 to {MAX_INTERVAL:,} (a year)")  # fmt: skip
    return SourceConfig(
        slug=slug,
        name=str(table.get("name") or slug),
        kind=kind,
        url=str(url),
        doc_type=doc_type,
        owner=table.get("owner"),
        homepage=table.get("homepage"),
        # A stated reason to be off keeps the source off, whatever `enabled` says.
        enabled=bool(table.get("enabled", True)) and reason is None,
        interval_minutes=interval,
        selectors={str(k): str(v) for k, v in selectors.items()},
        disabled_reason=" ".join(reason.split()) if reason else None,
    )


def _key_in_query(url: str) -> bool:
    """Whether a URL names an API key in its query (api_key=, apikey=, key=)."""
    names = {part.split("=", 1)[0].lower() for part in urlsplit(url).query.split("&")}
    return bool(names & {"api_key", "apikey", "api-key", "key"})


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceConfigError(f"{path}: cannot read: {exc}") from None


def _toml(text: str, origin: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SourceConfigError(f"{origin}: {exc}") from None


def _line_of(text: str, slug: object) -> int | str:
    """The line that declares `slug`, so an error can point at it."""
    pattern = re.compile(r"^\s*(slug|source)\s*=\s*[\"']" + re.escape(str(slug)) + r"[\"']", re.M)
    match = pattern.search(text)
    return text.count("\n", 0, match.start()) + 1 if match else "?"
