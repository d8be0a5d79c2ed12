"""The `tracker` command. Each subcommand calls the pipeline, store or search.

Exit codes: 0 done; 2 some inputs were rejected (each with a one-line reason)
and the rest kept; 1 the command could not run at all (bad setting, database
unreachable). No input prints a traceback.
"""

from __future__ import annotations

import json
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click
from rich.text import Text

from tracker import staff_commands
from tracker.alerts_cli import alerts
from tracker.config import ConfigError, Settings
from tracker.kept_cli import check_kept, warm_kept
from tracker.quick_exit import leave
from tracker.sources import SourceConfigError
from tracker.tag_stream import run_tag_jsonl
from tracker.taxonomy import TaxonomyError
from tracker.terminal import (
    err,
    log_bugs,
    out,
    progress_bar,
    report_bugs,
    search_json,
    search_table,
    summary_table,
)

if TYPE_CHECKING:
    from tracker.pipeline import Pipeline
    from tracker.worker import Worker

F = TypeVar("F", bound=Callable[..., Any])


def expected() -> tuple[type[Exception], ...]:
    """The project's expected errors. The store and the index are imported only
    when one is raised: `tracker tag` starts in a tenth of the time without them."""
    from tracker.search import IndexBusy
    from tracker.store import StoreError

    return (ConfigError, StoreError, SourceConfigError, TaxonomyError, IndexBusy)


def fail(message: str, code: int = 1) -> None:
    err.print(f"[bold red]error:[/] {message}", soft_wrap=True)
    sys.exit(code)


@contextmanager
def expected_errors() -> Iterator[None]:
    """Turn the project's expected errors into one line and exit 1."""
    try:
        yield
    except expected() as exc:
        fail(str(exc))


@contextmanager
def stop_on_sigterm(running: Worker | None) -> Iterator[None]:
    """SIGTERM (systemd, docker, kill) stops like Ctrl+C: the worker first claims
    nothing more, then the server or the wait loop ends as on KeyboardInterrupt."""

    def handler(_signum: int, _frame: object) -> None:
        if running is not None:
            running.request_stop()
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a second SIGTERM changes nothing
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def pipeline() -> Pipeline:
    from tracker.pipeline import Pipeline

    return Pipeline(Settings.from_env())


def ready(p: Pipeline) -> None:
    """Bring the schema up to date, then place the items an interrupted run left
    out of events (saying how many), with the index caught up after them."""
    p.init()
    resume_grouping(p)


def resume_grouping(p: Pipeline) -> None:
    p.resume_grouping(lambda text: err.print(text, soft_wrap=True, markup=False))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Policy Tracker: collect, tag, search and publish policy documents."""


@main.command()
def init() -> None:
    """Create or upgrade the schema and load the taxonomy and sources (safe to repeat)."""
    with expected_errors():
        p = pipeline()
        ready(p)
        out.print(f"Database ready at {p.settings.database_url.split('@')[-1]}")


@main.command()
@click.argument("slugs", nargs=-1)
def fetch(slugs: tuple[str, ...]) -> None:
    """Fetch due sources (all, or those named), then print a summary table."""
    with expected_errors():
        p = pipeline()
        log_path = log_bugs(p.settings.home)
        ready(p)
        _refuse_unknown(p, slugs)
        with progress_bar() as bar:
            task = bar.add_task("fetching", total=None)

            def step(slug: str) -> None:
                bar.update(task, description=f"fetching {slug}")
                bar.advance(task)

            outcomes = p.fetch_all(slugs, progress=step)
    if not outcomes:
        out.print("No source is due. Name sources to fetch them now: tracker fetch SLUG ...")
        return
    summary_table(outcomes, "Source")
    report_bugs(outcomes, log_path)
    if any(o.status == "error" for o in outcomes):
        sys.exit(2)


@main.command()
@click.argument("slug")
@click.option(
    "--since",
    required=True,
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="The first day to fetch, e.g. 2026-01-01.",
)
def backfill(slug: str, since: Any) -> None:
    """Fill a paged source's history (Federal Register, congress.gov) back to a day."""
    from tracker.source_request import BackfillRefused, SourceSkipped

    with expected_errors():
        p = pipeline()
        log_path = log_bugs(p.settings.home)
        ready(p)
        _refuse_unknown(p, (slug,))
        try:
            with progress_bar() as bar:
                bar.add_task(f"backfilling {slug} since {since:%Y-%m-%d}", total=None)
                outcome = p.backfill(slug, since.date())
        except (BackfillRefused, SourceSkipped) as exc:
            fail(f"cannot backfill {slug}: {exc}", code=2)
    summary_table([outcome], "Source")
    report_bugs([outcome], log_path)
    if outcome.status == "error":
        sys.exit(2)


@main.command(name="follow-bill")
@click.argument("congress", type=int)
@click.argument("bill_type", metavar="TYPE")
@click.argument("number", type=int)
def follow_bill(congress: int, bill_type: str, number: int) -> None:
    """Follow a bill by number, e.g. `tracker follow-bill 119 hr 8283`."""
    with expected_errors():
        p = pipeline()
        p.init()
        try:
            slug, name, created = p.follow_bill(congress, bill_type, number)
        except ValueError as exc:
            fail(str(exc), code=2)
    if created:
        said = f"Now following {name} as the source {slug}; `tracker fetch {slug}` fetches it."
    else:
        said = f"{name} is already followed (source {slug})."
    out.print(Text(said), soft_wrap=True)


def _refuse_unknown(p: Pipeline, slugs: tuple[str, ...]) -> None:
    """Exit 2 naming every unknown source, each with the closest known names."""
    unknown = p.unknown_sources(slugs)
    for slug, close in unknown.items():
        hint = f"; closest known: {', '.join(close)}" if close else ""
        err.print(Text(f"error: there is no source {slug!r}{hint}"), soft_wrap=True)
    if unknown:
        sys.exit(2)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--source", "source", help="Store the items under this source slug.")
@click.option(
    "--kind",
    type=click.Choice(["rss", "federal-register", "billstatus", "congress-api", "senate-hearings"]),
    help="Format of the files; detected from the content when omitted.",
)
def ingest(paths: tuple[Path, ...], source: str | None, kind: str | None) -> None:
    """Put local files through the same pipeline as fetched sources."""
    with expected_errors():
        p = pipeline()
        log_path = log_bugs(p.settings.home)
        ready(p)
        outcomes = []
        with progress_bar() as bar:
            task = bar.add_task("ingesting", total=len(paths))
            for path in paths:
                bar.update(task, description=f"ingesting {path.name}")
                outcomes.append(p.ingest_file(path, source, kind))
                bar.advance(task)
            bar.update(task, description="grouping into events")
            p.settle()
    summary_table(outcomes, "File")
    report_bugs(outcomes, log_path)
    leave(2 if any(o.status == "error" for o in outcomes) else 0, p.engine)


@main.command()
@click.option("--jsonl", is_flag=True, required=True, help="Read and write JSON lines.")
def tag(jsonl: bool) -> None:
    """Tag JSON lines from stdin (title, summary, url, source) to JSON lines on stdout."""
    with expected_errors():
        bad = run_tag_jsonl(Settings.from_env(), sys.stdin.buffer, sys.stdout)
    if bad:
        err.print(f"{bad} input line(s) could not be read; each has an 'error' field.")
        sys.exit(2)


@main.command()
def retag() -> None:
    """Re-apply the taxonomy to every stored item, keeping people's decisions."""
    with expected_errors():
        p = pipeline()
        ready(p)
        with progress_bar() as bar:
            task = bar.add_task("retagging", total=None)

            def step(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total)

            seen, changed = p.retag(step)
    out.print(f"Retagged {seen:,} items: {changed:,} changed, manual decisions kept.")


@main.command()
@click.option("--output", "-o", type=click.Path(path_type=Path), help="Write to FILE, not stdout.")
def export(output: Path | None) -> None:
    """Everything stored as JSON lines: sources, topics, entities, bills, events, items,
    staff accounts (password hashes included: keep the file secret), the audit log
    and the fetch log."""
    with expected_errors():
        p = pipeline()
        p.init()
        from tracker.store.engine import session_scope
        from tracker.store.export import export_records

        stream = output.open("w", encoding="utf-8") if output else sys.stdout
        count = 0
        try:
            with session_scope(p.engine) as session:
                for record in export_records(session):
                    stream.write(json.dumps(record, ensure_ascii=False) + "\n")
                    count += 1
        finally:
            if output:
                stream.close()
        if output:
            out.print(f"Wrote {count:,} records to {output}")


@main.command(name="import")
@click.argument("path", type=click.Path(path_type=Path, dir_okay=False))
def import_(path: Path) -> None:
    """Load a `tracker export` file into an empty database, ids and all."""
    from tracker.store.engine import session_scope
    from tracker.store.importer import ImportRefused, import_records

    with expected_errors():
        p = pipeline()
        p.init()
        try:
            with path.open(encoding="utf-8") as lines, session_scope(p.engine) as session:
                counts = import_records(session, lines)
        except (ImportRefused, UnicodeDecodeError) as exc:
            fail(f"cannot import {path}: {exc}", code=2)
        except OSError as exc:
            fail(f"cannot import {path}: {exc}")
        finally:
            p.engine.dispose()
    summary = ", ".join(_records(kind, n) for kind, n in counts.items())
    out.print(f"Imported {summary}.")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option(
    "--no-worker", "no_worker", is_flag=True,
    help="Do not fetch sources from this process (run `tracker worker` elsewhere).",
)  # fmt: skip
def serve(host: str, port: int, no_worker: bool) -> None:
    """Serve the site and fetch due sources; an empty database first gets the demo corpus."""
    with expected_errors():
        p = pipeline()
        p.init()
        if p.is_empty():
            out.print("The database is empty: loading the bundled demo snapshot.")
            _load_demo(p)
        elif p.demo_is_outdated():
            out.print("The database holds an older demo snapshot: `tracker demo load` replaces it.")
        # The site starts at once; items left waiting are grouped meanwhile.
        threading.Thread(target=_resume_in_background, args=(p,), daemon=True).start()
        from tracker.web import create_app, warm_up

        app = create_app({"SETTINGS": p.settings})
        warm_up(app)
        worker = None if no_worker else _start_worker(p, embedded=True)
    tracking = "" if worker is None else "; fetching due sources"
    out.print(f"Policy Tracker on http://{host}:{port}/{tracking}  (Ctrl+C to stop)")
    with stop_on_sigterm(worker):
        try:
            app.run(host=host, port=port, debug=False, use_reloader=False)
        finally:
            if worker is not None:
                _stop_worker(worker, grace=10.0)


@main.command()
@click.option(
    "--concurrency", type=click.IntRange(1, 64),
    help="Sources fetched at once (default: TRACKER_WORKER_CONCURRENCY).",
)  # fmt: skip
@click.option(
    "--grace", default=30.0, show_default=True, type=click.FloatRange(0, 3600),
    help="On SIGTERM or Ctrl+C, seconds to let running fetches finish.",
)  # fmt: skip
def worker(concurrency: int | None, grace: float) -> None:
    """Fetch due sources until stopped; run as many as you like, on any host."""
    # From the first moment: a SIGTERM while starting stops the worker as soon
    # as it has started, cleanly, instead of killing it half-way.
    asked = threading.Event()
    signal.signal(signal.SIGTERM, lambda _signum, _frame: asked.set())
    with expected_errors():
        p = pipeline()
        # Only the schema: loading the taxonomy and sources is `tracker init`'s
        # (or serve's) job, done once; ten workers starting at once on ten
        # hosts would otherwise all rewrite the same rows.
        from tracker.store.engine import migrate

        migrate(p.engine)
        if not p.has_remote_sources():
            err.print("No sources to fetch yet: run `tracker init` to load data/sources.toml.")
        running = _start_worker(p, embedded=False, concurrency=concurrency)
    out.print(f"Worker {running.name} fetching due sources (Ctrl+C or SIGTERM to stop)")
    signal.signal(signal.SIGTERM, lambda _signum, _frame: running.request_stop())
    if asked.is_set():
        running.request_stop()
    try:
        while not running.stopping.wait(1.0):
            pass
    except KeyboardInterrupt:
        pass
    _stop_worker(running, grace)


def _start_worker(p: Pipeline, embedded: bool, concurrency: int | None = None) -> Worker:
    from tracker.worker import Worker, WorkerSettings

    overrides = {"concurrency": concurrency} if concurrency else {}
    running = Worker(
        p, WorkerSettings.from_settings(p.settings, **overrides), embedded=embedded,
        report=lambda line: err.print(line, markup=False, highlight=False, soft_wrap=True),
    )  # fmt: skip
    running.start()
    return running


def _stop_worker(running: Worker, grace: float) -> None:
    err.print("Stopping: letting running fetches finish ...", markup=False)
    with expected_errors():
        finished = running.stop(grace)
    err.print("Worker stopped." if finished else "Worker stopped; unfinished fetches given back.")


@main.group()
def demo() -> None:
    """The bundled demo snapshot: the verified story in data/demo/, kept apart from live data."""


@demo.command(name="load")
def demo_load() -> None:
    """Load the bundled demo snapshot, replacing any demo loaded before."""
    with expected_errors():
        p = pipeline()
        ready(p)
        p.remove_demo()
        _load_demo(p)


@demo.command(name="remove")
def demo_remove() -> None:
    """Delete the demo snapshot: its items, tags, events, bills, sources and index entries."""
    with expected_errors():
        p = pipeline()
        ready(p)
        gone = p.remove_demo()
    counts = [_n(gone.items, "item"), _n(gone.bills, "bill"), _n(gone.events, "event")]
    out.print(
        f"Removed the demo snapshot: {', '.join(counts)} and {_n(gone.sources, 'source')}. "
        "Live data is untouched."
    )


# What `tracker import` calls each kind of record it counts: one, many.
RECORD_NAMES = {
    "entity": ("entity", "entities"), "user": ("staff account", "staff accounts"),
    "audit": ("audit log entry", "audit log entries"),
    "fetch_log": ("fetch log entry", "fetch log entries"),
}  # fmt: skip


def _records(kind: str, count: int) -> str:
    one, many = RECORD_NAMES.get(kind, (kind, kind + "s"))
    return f"{count:,} {one if count == 1 else many}"


def _resume_in_background(p: Pipeline) -> None:
    """`resume_grouping` for `tracker serve`: a failure is logged, and the site stays up."""
    try:
        resume_grouping(p)
    except expected() as exc:
        err.print(f"Grouping waiting items stopped: {exc}", soft_wrap=True, markup=False)


def _n(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def _load_demo(p: Pipeline) -> None:
    outcomes = p.load_demo()
    stored = sum(o.new + o.updated for o in outcomes)
    out.print(
        f"Loaded {_n(stored, 'demo snapshot item')} from {_n(len(outcomes), 'file')}; "
        "`tracker demo remove` deletes them."
    )
    failed = [o for o in outcomes if o.status == "error"]
    for outcome in failed:
        err.print(f"{outcome.name}: {outcome.error}", soft_wrap=True)
    if failed:
        sys.exit(2)


@main.command(context_settings={"ignore_unknown_options": True})
@click.argument("query", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 100))
def search(query: tuple[str, ...], as_json: bool, limit: int) -> None:
    """Search the index: top hits with highlights, then facet counts.

    Words must all match; also OR, -word, "a phrase", type:letter, topic:,
    entity:, source:, bill:119-s-1705, after:2026-04-01, before:2026-06-30.
    """
    from tracker import search as index
    from tracker.search.querylang import parse_query

    text = " ".join(query)
    with expected_errors():
        settings = Settings.from_env()
        if not index.index_status(settings).exists:
            fail(f"there is no search index in {settings.index_dir}; run `tracker reindex` first")
        result = index.search(settings, text, per_page=limit, collapse=True)
    if as_json:
        sys.stdout.write(json.dumps(search_json(result), ensure_ascii=False, indent=2) + "\n")
    else:
        search_table(result)
    if parse_query(text).notices:  # part of the query was not read as written: said in the note
        sys.exit(2)


@main.command()
@click.option("--catch-up", "catch_up", is_flag=True, help="Only index what changed since.")
def reindex(catch_up: bool) -> None:
    """Rebuild the search index from the database, or bring it up to date."""
    import time

    from tracker import search as index

    with expected_errors():
        p = pipeline()
        ready(p)
        started = time.perf_counter()
        try:
            with progress_bar() as bar:
                task = bar.add_task("catching up" if catch_up else "indexing", total=None)

                def step(done: int, total: int) -> None:
                    bar.update(task, completed=done, total=total or None)

                if catch_up:
                    count = index.catch_up(p.settings, p.engine, progress=step)
                else:
                    count = index.rebuild(p.settings, p.engine, step)
        except (index.IndexBusy, index.RebuildFailed) as exc:
            fail(str(exc))
        status = index.index_status(p.settings)
    elapsed = time.perf_counter() - started
    verb = "Caught up" if catch_up else "Rebuilt the index with"
    out.print(
        f"{verb} {count:,} items in {elapsed:.1f} s; the index holds {status.items:,} items "
        f"({status.size_bytes / 1e6:.1f} MB)."
    )


# Staff accounts: create-user, set-password, set-role.
for _command in staff_commands.COMMANDS:
    main.add_command(_command)
main.add_command(alerts)  # tracker alerts send | list
main.add_command(check_kept)
main.add_command(warm_kept)


if __name__ == "__main__":
    main()
