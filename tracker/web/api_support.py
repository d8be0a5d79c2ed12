"""What every API view shares: paging, validators, answers and the error shape."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify, request
from sqlmodel import Session

from tracker.store.versions import catalog_changed_at, catalog_version
from tracker.web import conditional, site_url
from tracker.web.context import db
from tracker.web.query_args import int_arg

PER_PAGE = 50
MAX_PER_PAGE = 100


def error_response(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    """The one shape of every API error."""
    response = jsonify(status=status, message=message)
    response.status_code = status
    response.headers.update(headers or {})
    return response


def pages(page: int, per_page: int, total: int) -> dict[str, Any]:
    """`page`, `per_page`, `total` and absolute `next` / `prev` links that keep the filters."""

    def link(n: int) -> str:
        args = [(k, v) for k, v in request.args.items(multi=True) if k != "page"]
        return site_url.url(request.path, [*args, ("page", str(n))])

    return {
        "total": total,
        "page": page,
        "per_page": per_page,
        "next": link(page + 1) if page * per_page < total else None,
        "prev": link(page - 1) if page > 1 else None,
    }


def paging() -> tuple[int, int]:
    """The `page` and `per_page` arguments, checked."""
    return int_arg("page", 1), int_arg("per_page", PER_PAGE, high=MAX_PER_PAGE)


def validators(*parts: object, changed: Any) -> conditional.Validators:
    """Validators for this path and query string and whatever else the body shows."""
    args = sorted(request.args.items(multi=True))
    return conditional.validators("api", request.path, args, *parts, changed=changed)


def catalog_validators(session: Session) -> conditional.Validators:
    """Validators for answers that show records other than one listing's items."""
    version = catalog_version(session)
    return validators(version, changed=catalog_changed_at(version))


def catalog(*_args: object, **_view_args: object) -> conditional.Validators:
    """`catalog_validators` for `conditional_get`: whatever the view's arguments."""
    with db() as session:
        return catalog_validators(session)
