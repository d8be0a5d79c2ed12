"""How the `tracker` command shows things: progress, summaries, search results.

Tables and progress go through rich; results and tables to stdout, progress
and rejections to stderr, so `tracker search --json` and pipes stay clean.
"""

from __future__ import annotations

import html as htmllib
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:  # for annotations only: `tracker tag` must not load the store or index
    from tracker.pipeline import Outcome
    from tracker.search import SearchResult

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)


def search_json(result: SearchResult) -> dict[str, Any]:
    """A search result as the JSON `tracker search --json` prints."""
    return {
        "query": result.query,
        "read_as": result.query_echo,
        "total": result.total,
        "notice": result.notice,
        "suggestion": result.suggestion,
        "corrected": result.corrected,
        "names": [{"kind": c.kind, "slug": c.slug, "name": c.name} for c in result.cards],
        "hits": [
            {
                "id": hit.id,
                "title": hit.title,
                "date": hit.published.isoformat(),
                "type": hit.doc_type,
                "source": hit.source,
                "score": None if hit.score is None else round(hit.score, 4),
                "tags": {"topics": list(hit.topics), "entities": list(hit.entities)},
                "why": list(hit.why),
                "more_reports": hit.folded,
                "highlights": {"title": str(hit.title_html), "text": list(hit.fragments_html)},
            }
            for hit in result.hits
        ],
        "facets": {name: dict(counts) for name, counts in result.facets.items()},
    }


def search_table(result: SearchResult) -> None:
    """A search result as a table of hits, then a line of counts per facet."""
    if result.notice:
        err.print(f"[yellow]note:[/] {result.notice}", soft_wrap=True, markup=True, highlight=False)
    if result.corrected:
        err.print(Text(f"No item matches {result.query}; showing results for {result.suggestion}."))
    elif result.suggestion:
        err.print(Text(f"Did you mean: {result.suggestion}?"))
    shown = result.query_echo or "(everything)"
    out.print(Text(f"{result.total:,} result(s) for {shown}"))
    if not result.hits:
        return
    table = Table(show_lines=False)
    for column in ("#", "Date", "Type", "Title and passages", "Score"):
        table.add_column(column, overflow="fold")
    for rank, hit in enumerate(result.hits, 1):
        cell = _marked_text(hit.title_html, "bold")
        for passage in hit.fragments_html:
            cell.append("\n").append_text(_marked_text(passage, "dim"))
        if hit.why:
            cell.append("\nwhy: " + "; ".join(hit.why), style="italic")
        if hit.folded:
            cell.append(f"\n+ {hit.folded} more report(s) of this event", style="italic")
        score = "" if hit.score is None else f"{hit.score:.2f}"
        table.add_row(str(rank), hit.published.strftime("%Y-%m-%d"), hit.doc_type, cell, score)
    out.print(table)
    for name, counts in result.facets.items():
        if counts:
            line = " · ".join(f"{value} {count:,}" for value, count in counts[:8])
            out.print(Text(f"{name}: {line}"))


def _marked_text(html: str, style: str) -> Text:
    """Highlight HTML (escaped text with <mark> tags) as rich text."""
    text = Text(style=style)
    for index, part in enumerate(str(html).replace("</mark>", "<mark>").split("<mark>")):
        text.append(htmllib.unescape(part), style="reverse" if index % 2 else "")
    return text


def progress_bar() -> Progress:
    """A progress bar on stderr that disappears when done."""
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    )


# A summary must read in a plain 80-column terminal (and in CI logs cut there).
SUMMARY_WIDTH = 80
_WORD_STYLES = {"ok": "green", "not-modified": "green", "skipped": "yellow"}


def summary_table(outcomes: Sequence[Outcome], first: str) -> None:
    """One row per source or file and a line of totals on stdout; then on stderr
    each error, skip or warning once, with its reason."""
    width = min(out.width, SUMMARY_WIDTH)
    table = Table(title=None, show_lines=False, width=width)
    table.add_column(first, overflow="fold", ratio=1)
    table.add_column("Result", no_wrap=True)
    for column in ("New", "Updated", "Unchanged"):
        table.add_column(column, justify="right", no_wrap=True)
    for o in outcomes:
        word = o.word
        style = _WORD_STYLES.get(word, "red")
        table.add_row(Text(o.name), Text(word, style=style), f"{o.new:,}", f"{o.updated:,}",
                      f"{o.unchanged:,}")  # fmt: skip
    out.print(table, width=width)
    out.print(Text(_totals(outcomes, first)), width=width)
    for o in outcomes:
        # One line each, never cut: a terminal wraps them, and grep finds them whole.
        if o.error:
            err.print(Text(f"{o.word} {o.name}: {o.error}"), soft_wrap=True)
        shown = o.warnings[:3]
        for warning in shown:
            err.print(Text(f"note {o.name}: {warning}"), soft_wrap=True)
        if len(o.warnings) > len(shown):
            more = len(o.warnings) - len(shown)
            err.print(Text(f"note {o.name}: and {more:,} more warning(s)"), soft_wrap=True)


def _totals(outcomes: Sequence[Outcome], first: str) -> str:
    """``3 sources: 12 new, 1 updated; 1 failed, 1 skipped.``"""
    noun = first.lower() + ("" if len(outcomes) == 1 else "s")
    new, updated = sum(o.new for o in outcomes), sum(o.updated for o in outcomes)
    words: dict[str, int] = {}
    for o in outcomes:
        if o.word not in ("ok", "not-modified"):
            words[o.word] = words.get(o.word, 0) + 1
    order = ["failed", "broken", "rejected", "error", "skipped"]
    ranked = sorted(words.items(), key=lambda pair: order.index(pair[0]) if pair[0] in order else 9)
    problems = ", ".join(f"{count:,} {word}" for word, count in ranked)
    return f"{len(outcomes):,} {noun}: {new:,} new, {updated:,} updated" + (
        f"; {problems}." if problems else "."
    )


def log_bugs(home: Path) -> Path:
    """Send the tracker's log (tracebacks of unexpected errors) to HOME/tracker.log.

    A batch command tells people one line per failed source or file; the
    traceback a developer needs goes to this file rather than to the terminal.
    """
    path = home / "tracker.log"
    logger = logging.getLogger("tracker")
    if not any(getattr(h, "baseFilename", None) == str(path) for h in logger.handlers):
        home.mkdir(parents=True, exist_ok=True)
        handler = logging.FileHandler(path, encoding="utf-8", delay=True)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        logger.addHandler(handler)
    logger.propagate = False
    return path


def report_bugs(outcomes: Sequence[Outcome], log_path: Path) -> None:
    """Say where the tracebacks of unexpected errors went, if there were any."""
    if any(o.bug for o in outcomes):
        err.print(f"Unexpected errors are bugs; their tracebacks are in {log_path}", markup=False)
