"""Editors at work: the queue of suggested tags, an item's tags, its event.

Every view here needs an editor or an admin. Forms post here and redirect
back (post/redirect/get), with a one-line message of what was done; the
store does the work and writes the audit log.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from sqlmodel import Session
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from tracker.inputs import InputError, record_id
from tracker.models import Event
from tracker.store import EditRefused, NotFound
from tracker.store import tag_edits as store
from tracker.store.event_edits import merge_events, nearby_events, split_item
from tracker.web.auth import current_user, local_target, staff_required
from tracker.web.context import db
from tracker.web.evidence import tag_evidence
from tracker.web.filters import tag_name
from tracker.web.listing_args import page_number

bp = Blueprint("review", __name__, url_prefix="/review")
PER_PAGE = 50
MAX_TAGS = 500  # one bulk decision: ten pages of the queue


@bp.get("")
@staff_required
def queue() -> str:
    """Suggested tags with their evidence, newest items first; filter by slug."""
    return _queue_page(request.args, back=request.full_path)


def _queue_page(args: MultiDict[str, str], back: str) -> str:
    slug = args.get("slug", "").strip() or None
    page = page_number(args.get("page", ""))
    with db() as session:
        rows, total = store.review_queue(
            session, slug, limit=PER_PAGE, offset=(page - 1) * PER_PAGE
        )
        slugs = store.queue_slugs(session)
    entries = [
        {"row": row, "evidence": tag_evidence([row], row.title, row.text)[0]} for row in rows
    ]
    pages = {
        "page": page,
        "prev_url": url_for(".queue", slug=slug, page=page - 1) if page > 1 else None,
        "next_url": url_for(".queue", slug=slug, page=page + 1)
        if page * PER_PAGE < total
        else None,
    }
    return render_template("review.html", entries=entries, total=total, slug=slug,
                           slugs=slugs, pages=pages, back=back)  # fmt: skip


@bp.post("/decide")
@staff_required
def decide() -> Response | tuple[str, int]:
    """Confirm or reject one tag (its own button) or every ticked one (the bulk buttons)."""
    back = local_target(request.form.get("back", ""), url_for(".queue"))
    one = request.form.get("one", "")
    if one:
        decision, _, tag_id = one.partition(":")
        picked = [tag_id]
    else:
        decision = request.form.get("bulk", "")
        picked = request.form.getlist("tag_id")
    if len(picked) > MAX_TAGS:
        return _refuse(f"Decide at most {MAX_TAGS} tags at once, not {len(picked)}.", back)
    try:
        ids = [record_id(v, "A tag number") for v in picked]
        with db() as session:
            count = store.decide_tags(session, ids, decision, _actor())
    except InputError as exc:
        return _refuse(str(exc), back)
    except EditRefused as exc:
        flash(str(exc), "error")
    else:
        done = {"confirm": "Confirmed", "reject": "Rejected"}[decision]
        flash(f"{done} {count} tag{'s' if count != 1 else ''}.", "ok")
    return redirect(back)


@bp.get("/items/<id:item_id>")
@staff_required
def item(item_id: int) -> str:
    """An item's tags (rejected ones too), a form to add one, and its event."""
    return _item_page(item_id, back=request.path)


def _item_page(item_id: int, back: str) -> str:
    with db() as session:
        try:
            review = store.item_review(session, item_id)
        except NotFound as exc:
            abort(404, description=str(exc))
        choices = store.tag_choices(session)
        nearby = nearby_events(session, review.event.id) if review.event else []  # type: ignore[arg-type]
    evidence = tag_evidence(review.tags, review.item.title, review.item.text)
    rows: list[dict[str, Any]] = [
        {"tag": tag, "evidence": ev} for tag, ev in zip(review.tags, evidence, strict=True)
    ]
    taken = {tag.slug for tag in review.tags if tag.status == "confirmed"}
    return render_template("review_item.html", review=review, rows=rows,
                           choices=[c for c in choices if c[1] not in taken],
                           nearby=nearby, back=back)  # fmt: skip


@bp.post("/items/<id:item_id>/tags")
@staff_required
def add_tag(item_id: int) -> Response:
    """Add a topic or entity by hand; it is confirmed at once."""
    slug = request.form.get("slug", "").strip()
    try:
        with db() as session:
            kind, confirmed = store.add_manual_tag(session, item_id, slug, _actor())
    except EditRefused as exc:
        flash(str(exc), "error")
    except NotFound as exc:
        abort(404, description=str(exc))
    else:
        done = "Confirmed the suggested" if confirmed else "Added the"
        flash(f"{done} {kind} {tag_name(slug)}.", "ok")
    return redirect(url_for(".item", item_id=item_id))


@bp.post("/items/<id:item_id>/split")
@staff_required
def split(item_id: int) -> Response:
    """Move the item out of its event into a new event of its own."""
    try:
        with db() as session:
            split_item(session, item_id, _actor())
    except EditRefused as exc:
        flash(str(exc), "error")
    except NotFound as exc:
        abort(404, description=str(exc))
    else:
        flash("The item is now alone in an event of its own.", "ok")
    return redirect(url_for(".item", item_id=item_id))


@bp.post("/events/merge")
@staff_required
def merge() -> Response | tuple[str, int]:
    """Merge another event into this one: its items join, its number goes."""
    back = local_target(request.form.get("back", ""), url_for(".queue"))
    try:
        keep = record_id(request.form.get("keep", ""), "This event's number")
        other = record_id(request.form.get("other", ""), "The number of the event to merge")
    except InputError as exc:
        return _refuse(f"{exc} Give the number of the event to merge into this one.", back)
    try:
        with db() as session:
            names = [_headline(session, keep), _headline(session, other)]
            moved = merge_events(session, keep, other, _actor())
    except (EditRefused, NotFound) as exc:
        flash(str(exc), "error")
    else:
        items = f"{moved} item{'' if moved == 1 else 's'}"
        flash(f"Merged “{names[1]}” into “{names[0]}”: {items} moved.", "ok")
    return redirect(back)


def _headline(session: Session, event_id: int) -> str:
    event = session.get(Event, event_id)
    return event.headline if event is not None else f"event {event_id}"


def _refuse(message: str, back: str) -> tuple[str, int]:
    """The page the form was on, shown again with why it was refused: a 400."""
    flash(message, "error")
    target = urlsplit(back)
    found = re.fullmatch(r"/review/items/([0-9]{1,10})", target.path)
    if found:
        return _item_page(int(found.group(1)), back), 400
    return _queue_page(MultiDict(parse_qsl(target.query)), back), 400


def _actor() -> str:
    user = current_user()
    assert user is not None, "staff_required lets no reader through"
    return user.username
