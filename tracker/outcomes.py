"""What happened to one source or one file, and how an error becomes that.

Shared by the pipeline (fetch, ingest) and the command line, which prints
it: one row a source, one word for what happened, one line for why.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field

from tracker.parse import ParseError
from tracker.store.ingest import StoreReport
from tracker.types import ParseResult

log = logging.getLogger("tracker.pipeline")


@dataclass
class Outcome:
    """What happened to one source or one file."""

    name: str
    source: str
    status: str  # ok | not-modified | skipped | error
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    http_status: int | None = None
    error: str | None = None
    retry_after: float | None = None  # seconds a 429 or 503 asked us to wait
    warnings: list[str] = field(default_factory=list)
    bug: bool = False  # the error was unexpected; its traceback is in the log
    # What kind of error: "failed" (the source did not answer usably: network,
    # HTTP status), "broken" (it answered, but not in a form we can read: a
    # changed page, a bad feed), "rejected" (a file `tracker ingest` refused)
    # or "error" (ours: the store, a bug).
    failure: str = ""
    pages: int = 0

    @property
    def word(self) -> str:
        """What happened, in one word: ok, not-modified, skipped, failed, broken, error."""
        return (self.failure or "error") if self.status == "error" else self.status


def record_unexpected(outcome: Outcome, exc: Exception, redact: Callable[[str], str] = str) -> None:
    """Record an error nobody foresaw against its own source or file, and go on.

    It is a bug, so the traceback goes to the log; the person running the
    command gets one line, and the other sources are still fetched. (A
    database that stops answering is a `StoreError`, expected; if it is down
    for good, logging the attempt raises it again and the command ends.)
    `redact` takes secrets (an API key an answer repeated) out of both.
    """
    trace = "".join(traceback.format_exception(exc)).rstrip()
    hidden = redact(trace)
    if hidden == trace:  # nothing secret in it: the traceback as logging records it
        log.error("unexpected error in %s (%s)", outcome.name, outcome.source, exc_info=exc)
    else:
        log.error("unexpected error in %s (%s)\n%s", outcome.name, outcome.source, hidden)
    outcome.status, outcome.bug = "error", True
    outcome.error = f"unexpected error, a bug ({type(exc).__name__}: {first_line(exc)})"


def first_line(exc: Exception) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0][:200] if lines else "no message"


def count_into(outcome: Outcome, report: StoreReport, parsed: ParseResult) -> None:
    """Add one document's (or one page's) counts to the outcome."""
    outcome.new += report.new
    outcome.updated += report.updated
    outcome.unchanged += report.unchanged + report.linked
    outcome.warnings.extend(parsed.warnings)


def failure_of(exc: Exception) -> str:
    from tracker import fetch  # httpx only when a fetch failed: `tracker ingest` needs neither

    if isinstance(exc, fetch.FetchError):
        return "failed"
    return "broken" if isinstance(exc, ParseError) else "error"
