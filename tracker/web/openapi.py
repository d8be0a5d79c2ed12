"""The API's OpenAPI 3 document, written by hand, served at `/api/v1/openapi.json`.

A test runs schemathesis against this document on the app: every documented
response must match what the endpoints send, and none may be a server error.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, Response, jsonify

from tracker.inputs import MAX_ID
from tracker.types import DOC_TYPES
from tracker.web import conditional
from tracker.web.openapi_schemas import SCHEMAS

bp = Blueprint("openapi", __name__)

# Its Last-Modified: change it with the document.
DOCUMENT_DATE = datetime(2026, 12, 5, tzinfo=UTC)

SLUG = {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]{0,99}$"}
BILL_KEY = "^[0-9]{1,3}-[a-z]{1,7}-[0-9]{1,6}$"
BILL_CODE = "^[a-z]{1,7}[1-9][0-9]{0,5}$"


def _query(name: str, description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema,
    }


def _path(name: str, description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "description": description,
        "schema": schema,
    }


PAGE = _query("page", "Page number, from 1.", {"type": "integer", "minimum": 1, "maximum": 10000})
PER_PAGE = _query(
    "per_page", "Results per page.", {"type": "integer", "minimum": 1, "maximum": 100}
)
ORDER = {"type": "string", "enum": ["newest", "oldest"]}
FILTERS = [
    _query("type", "Document type.", {"type": "string", "enum": list(DOC_TYPES)}),
    _query("topic", "Topic slug.", SLUG),
    _query("entity", "Entity slug.", SLUG),
    _query("source", "Source slug.", SLUG),
    _query("bill", "Bill key, e.g. 119-s-4417.", {"type": "string", "pattern": BILL_KEY}),
    _query("from", "First day, inclusive.", {"type": "string", "format": "date"}),
    _query("to", "Last day, inclusive; not before `from`.", {"type": "string", "format": "date"}),
    _query("order", "Newest first (the default) or oldest first.", ORDER),
]
HEADERS = {
    "ETag": {"description": "Validator for If-None-Match.", "schema": {"type": "string"}},
    "Last-Modified": {"description": "For If-Modified-Since.", "schema": {"type": "string"}},
    "Cache-Control": {"description": "How long it may be reused.", "schema": {"type": "string"}},
}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": _ref("Error")}}}


def _get(summary: str, schema: str, params: list[dict[str, Any]], *errors: int) -> dict[str, Any]:
    responses: dict[str, Any] = {
        "200": {
            "description": "OK",
            "headers": HEADERS,
            "content": {"application/json": {"schema": _ref(schema)}},
        },
        "304": {
            "description": "Not modified since the copy named by If-None-Match or "
            "If-Modified-Since; no body.",
            "headers": HEADERS,
        },
    }
    messages = {400: "Bad parameters.", 404: "No such record."}
    for code in errors:
        responses[str(code)] = _error(messages[code])
    # Every answer counts against the client's API limit, listings and searches against theirs.
    responses["429"] = {
        **_error("Too many requests from this client; try again after Retry-After seconds."),
        "headers": {"Retry-After": {"description": "Seconds to wait.",
                                    "schema": {"type": "integer"}}},
    }  # fmt: skip
    return {"get": {"summary": summary, "parameters": params, "responses": responses}}


ITEM_PARAMS = [
    *FILTERS,
    _query("q", "Search query; hits instead of the listing.", {"type": "string", "maxLength": 500}),
    _query(
        "sort",
        "With `q`: relevance or newest.",
        {"type": "string", "enum": ["relevance", "newest"]},
    ),
    PAGE,
    PER_PAGE,
]
BILL_PATH = [
    _path("congress", "Congress number.", {"type": "integer", "minimum": 1, "maximum": 999}),
    _path("bill", "Type and number, e.g. s4417.", {"type": "string", "pattern": BILL_CODE}),
]
TIMELINE_PARAMS = [FILTERS[0], FILTERS[5], FILTERS[6], FILTERS[7], PAGE, PER_PAGE]

PATHS: dict[str, Any] = {
    "/items": _get("Items of a listing or a search, newest first.", "ItemPage", ITEM_PARAMS, 400),
    "/items/{id}": _get(
        "One item with tags, evidence, sources, event and bill.",
        "ItemDetail",
        [_path("id", "Item id.", {"type": "integer", "minimum": 1, "maximum": MAX_ID})],
        404,
    ),
    "/topics": _get("Every topic with its item count.", "TopicList", []),
    "/entities": _get("Every entity with its item count.", "EntityList", []),
    "/events": _get(
        "Events holding items of a listing, newest first.",
        "EventPage",
        [*FILTERS, PAGE, PER_PAGE],
        400,
    ),
    "/events/{id}": _get(
        "One event with its items.",
        "EventDetail",
        [_path("id", "Event id.", {"type": "integer", "minimum": 1, "maximum": MAX_ID})],
        404,
    ),
    "/bills": _get("Bills, latest action first.", "BillPage", [PAGE, PER_PAGE], 400),
    "/bills/{congress}/{bill}": _get("One bill with its actions.", "BillDetail", BILL_PATH, 404),
    "/timelines/topics/{slug}": _get(
        "A topic's events with their items, and its months.",
        "TopicTimeline",
        [_path("slug", "Topic slug.", SLUG), *TIMELINE_PARAMS],
        400,
        404,
    ),
    "/timelines/entities/{slug}": _get(
        "An entity's events with their items, and its months.",
        "EntityTimeline",
        [_path("slug", "Entity slug.", SLUG), *TIMELINE_PARAMS],
        400,
        404,
    ),
}

DOCUMENT: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {
        "title": "Policy Tracker API",
        "version": "1.0.0",
        "description": "Read-only JSON for every listing of Policy Tracker. Every answer "
        "carries ETag and Last-Modified; send them back for a bodiless 304. Errors are "
        '`{"status": 404, "message": "..."}`.',
    },
    "servers": [{"url": "/api/v1"}],
    "paths": PATHS,
    "components": {"schemas": SCHEMAS},
}


@bp.get("/openapi.json")
@conditional.conditional_get(
    lambda: conditional.validators("openapi", DOCUMENT, changed=DOCUMENT_DATE)
)
def document() -> Response:
    """This document."""
    return jsonify(DOCUMENT)
