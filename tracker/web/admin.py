"""Admins' pages: sources (add, edit, pause, test-fetch) and the audit log."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from tracker.inputs import whole_number
from tracker.preview import preview_source
from tracker.sources import SourceConfigError, bill_source, load_sources
from tracker.store import EditRefused, NotFound, audit
from tracker.store import sources as source_store
from tracker.types import BILL_TYPE_LABELS, SourceConfig
from tracker.web.auth import admin_required, current_user
from tracker.web.context import db, settings, taxonomy
from tracker.web.filters import source_name
from tracker.web.listing_args import page_number
from tracker.web.source_form import SourceForm

bp = Blueprint("admin", __name__, url_prefix="/admin")
AUDIT_PER_PAGE = 50


@bp.get("")
@admin_required
def index() -> Response:
    return redirect(url_for(".sources"))


@bp.get("/sources")
@admin_required
def sources() -> tuple[str, int]:
    """Every source with its state, and a form to add one."""
    return _sources_page(SourceForm.empty())


def _sources_page(
    form: SourceForm, status: int = 200, bill: dict[str, str] | None = None
) -> tuple[str, int]:
    with db() as session:
        rows = source_store.all_sources(session)
    bill = bill or {"congress": "119", "bill_type": "hr", "number": "", "error": ""}
    page = render_template("admin_sources.html", rows=rows, form=form, from_file=_file_slugs(),
                           bill=bill, bill_types=BILL_TYPE_LABELS)  # fmt: skip
    return page, status


@bp.post("/bills/follow")
@admin_required
def follow_bill() -> Response | tuple[str, int]:
    """Follow a bill by number: a source for its BILLSTATUS file, unless one exists."""
    typed = {
        name: request.form.get(name, "").strip() for name in ("congress", "bill_type", "number")
    }
    try:
        congress = whole_number(typed["congress"], "The congress", 1, 999)
        number = whole_number(typed["number"], "The bill number", 1, 99_999)
        config = bill_source(congress, typed["bill_type"], number)
    except ValueError as exc:  # InputError is one; so is an unknown bill type
        return _sources_page(SourceForm.empty(), 400, {**typed, "error": str(exc)})
    with db() as session:
        source, created = source_store.follow_bill(session, config, _actor())
        slug, name = source.slug, source.name
    flash(f"Now following {name}." if created else f"{name} was already followed.", "ok")
    return redirect(url_for(".source", slug=slug))


@bp.post("/sources")
@admin_required
def add_source() -> Response | tuple[str, int]:
    """Add a source from the form; shown again with the reason if it is not valid."""
    form = SourceForm.read(request.form)
    config = form.config()
    if config is None:
        return _sources_page(form, 400)
    try:
        with db() as session:
            source_store.add_source(session, config, _actor())
    except EditRefused as exc:
        form.error = str(exc)
        return _sources_page(form, 400)
    flash(f"Added the source {config.name}. Test it before it is next fetched.", "ok")
    return redirect(url_for(".source", slug=config.slug))


@bp.route("/sources/<slug>", methods=["GET", "POST"])
@admin_required
def source(slug: str) -> Response | tuple[str, int] | str:
    """One source's settings: editable if the site added it, else read-only."""
    with db() as session:
        try:
            row = source_store.get_source(session, slug)
        except NotFound as exc:
            abort(404, description=str(exc))
    editable = not row.is_local and slug not in _file_slugs()
    form = SourceForm.of(row)
    if request.method == "POST":
        posted = SourceForm.read(request.form, slug=slug)
        config = posted.config()
        try:
            if config is not None:
                with db() as session:
                    changed = source_store.update_source(session, config, _actor(), _file_slugs())
                flash("Saved." if changed else "Nothing changed.", "ok")
                return redirect(url_for(".source", slug=slug))
        except EditRefused as exc:
            posted.error = str(exc)
        # A source that cannot be edited here keeps showing what is stored.
        form = posted if editable else SourceForm.of(row)
        form.error = posted.error
    page = render_template("admin_source.html", source=row, form=form, editable=editable)
    return (page, 400) if form.error else page


@bp.post("/sources/<slug>/enabled")
@admin_required
def set_enabled(slug: str) -> Response:
    """Pause or resume fetching."""
    enabled = request.form.get("enabled") == "1"
    try:
        with db() as session:
            source_store.set_enabled(session, slug, enabled, _actor())
    except NotFound as exc:
        abort(404, description=str(exc))
    flash(f"{'Resumed' if enabled else 'Paused'} {source_name(slug)}.", "ok")
    return redirect(url_for(".source", slug=slug))


@bp.post("/sources/<slug>/test")
@admin_required
def test_fetch(slug: str) -> str:
    """Fetch, parse, normalise and tag the source now, and show it; nothing is stored."""
    with db() as session:
        try:
            row = source_store.get_source(session, slug)
        except NotFound as exc:
            abort(404, description=str(exc))
    if row.is_local or not row.url:
        abort(400, description=f"{slug!r} has no address to fetch: it is filled from files.")
    config = SourceConfig(slug=row.slug, name=row.name, kind=row.kind, url=row.url,
                          doc_type=row.doc_type, selectors=dict(row.selectors))  # fmt: skip
    preview = preview_source(config, settings(), taxonomy())
    return render_template("admin_test.html", source=row, preview=preview)


@bp.get("/audit")
@admin_required
def audit_log() -> str:
    """Every change people made, newest first: who, when, what, before and after."""
    page = page_number()
    actor = request.args.get("actor", "").strip() or None
    with db() as session:
        found = audit.audit_page(session, limit=AUDIT_PER_PAGE,
                                 offset=(page - 1) * AUDIT_PER_PAGE, actor=actor)  # fmt: skip
        rows = audit.readable(session, found.entries)
    pages = {
        "page": page,
        "prev_url": url_for(".audit_log", page=page - 1, actor=actor) if page > 1 else None,
        "next_url": url_for(".audit_log", page=page + 1, actor=actor)
        if page * AUDIT_PER_PAGE < found.total
        else None,
    }
    return render_template("admin_audit.html", rows=rows, total=found.total,
                           pages=pages, actor=actor)  # fmt: skip


def _file_slugs() -> frozenset[str]:
    """Slugs of `data/sources.toml`: those sources are edited in the file."""
    try:
        return frozenset(s.slug for s in load_sources(settings().data_dir / "sources.toml"))
    except SourceConfigError:
        return frozenset()


def _actor() -> str:
    user = current_user()
    assert user is not None, "admin_required lets no one else through"
    return user.username
