"""Component schemas of the OpenAPI document: the shapes `api_json` builds."""

from __future__ import annotations

from typing import Any

from tracker.types import BILL_STAGES, DOC_TYPES


def _obj(required: dict[str, Any], optional: dict[str, Any] | None = None) -> dict[str, Any]:
    """An object with these properties; `required` ones always present."""
    return {
        "type": "object",
        "required": sorted(required),
        "properties": {**required, **(optional or {})},
    }


def _null(schema: dict[str, Any]) -> dict[str, Any]:
    return {**schema, "nullable": True}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _list(schema: dict[str, Any]) -> dict[str, Any]:
    return {"type": "array", "items": schema}


STR = {"type": "string"}
INT = {"type": "integer"}
BOOL = {"type": "boolean"}
TIME = {"type": "string", "format": "date-time"}
DAY = {"type": "string", "format": "date"}
URL = {"type": "string", "format": "uri"}
DOC_TYPE = {"type": "string", "enum": list(DOC_TYPES)}
PAGING = {
    "total": INT,
    "page": INT,
    "per_page": INT,
    "next": _null(URL),
    "prev": _null(URL),
}

ITEM = {
    "id": INT,
    "title": STR,
    "url": _null(STR),
    "published": TIME,
    "undated": BOOL,
    "updated": _null(TIME),
    "changed_at": TIME,
    "doc_type": DOC_TYPE,
    # Part of the demo snapshot bundled with the tracker, not fetched live.
    "snapshot": BOOL,
    "source": _obj({"slug": STR, "name": STR, "sample": BOOL}),
    "topics": _list(STR),
    "entities": _list(STR),
    "summary_html": STR,
    "event": _null(_obj({"id": INT, "headline": _null(STR)})),
    "links": _obj({"self": URL, "html": URL}),
}
EVENT = {
    "id": INT,
    "headline": STR,
    "date": TIME,
    "lead_item_id": _null(INT),
    "links": _obj({"self": URL}),
}
BILL = {
    "key": STR,
    "congress": INT,
    "type": STR,
    "number": INT,
    "label": STR,
    "title": STR,
    "introduced": _null(DAY),
    "sponsor": _null(_obj({"name": STR, "party": _null(STR), "state": _null(STR)})),
    "policy_area": _null(STR),
    "subjects": _list(STR),
    "stage": {"type": "string", "enum": list(BILL_STAGES)},
    "stage_dates": {"type": "object", "additionalProperties": DAY},
    "snapshot": BOOL,
    "latest_action": _null(_obj({"date": DAY, "text": STR})),
    "updated": _null(TIME),
    "links": _obj({"self": URL, "html": URL, "items": URL}),
}
TAG_LINKS = _obj({"html": URL, "items": URL, "timeline": URL, "feed": URL})
TOPIC = {"slug": STR, "name": STR, "description": STR, "items": INT, "links": TAG_LINKS}
ENTITY = {**TOPIC, "kind": STR, "parent": _null(STR)}
EVIDENCE = _obj({"field": STR, "start": INT, "end": INT, "text": STR})
TAG = _obj(
    {
        "slug": STR,
        "kind": {"type": "string", "enum": ["topic", "entity"]},
        "origin": STR,
        "status": STR,
        "evidence": _list(EVIDENCE),
    }
)
ACTION = _obj(
    {
        "position": INT,
        "date": DAY,
        "text": STR,
        "code": _null(STR),
        "type": _null(STR),
        "committee": _null(STR),
        "source_system": _null(STR),
    }
)
COSPONSOR = _obj(
    {
        "name": STR,
        "party": _null(STR),
        "state": _null(STR),
        "since": _null(DAY),
        "original": BOOL,
        "withdrawn": _null(DAY),
    }
)
RELATED = _obj(
    {
        "key": STR,
        "label": STR,
        "title": _null(STR),
        "relationships": _list(STR),
        "latest_action": _null(_obj({"date": DAY, "text": STR})),
    }
)
MONTH = _obj(
    {
        "month": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$"},
        "total": INT,
        "by_type": {"type": "object", "additionalProperties": INT},
    }
)
TIMELINE_EVENT = _obj({**EVENT, "size": INT, "items": _list(_ref("Item"))})


def _timeline(kind: str, schema: str) -> dict[str, Any]:
    return _obj(
        {
            kind: _ref(schema),
            "item_total": INT,
            "events": _list(TIMELINE_EVENT),
            "activity": _list(MONTH),
            **PAGING,
        }
    )


SCHEMAS: dict[str, Any] = {
    "Error": _obj({"status": INT, "message": STR}),
    "Item": _obj(ITEM),
    "ItemPage": _obj(
        {"items": _list(_ref("Item")), **PAGING},
        {"query": STR, "sort": STR, "notice": _null(STR)},
    ),
    "ItemDetail": _obj(
        {
            **ITEM,
            "text": STR,
            "author": _null(STR),
            "guid": STR,
            "tags": _list(TAG),
            "sources": _list(
                _obj({"slug": STR, "name": STR, "kind": STR, "guid": STR, "url": _null(STR)})
            ),
            # OpenAPI 3.0 ignores `nullable` beside a $ref: spelled out instead.
            "event": _null(_obj(EVENT)),
            "bill": _null(_obj(BILL)),
        }
    ),
    "Event": _obj(EVENT, {"size": INT}),
    "EventPage": _obj({"events": _list(_ref("Event")), **PAGING}),
    "EventDetail": _obj({**EVENT, "size": INT, "items": _list(_ref("Item"))}),
    "Bill": _obj(BILL),
    "BillPage": _obj({"bills": _list(_ref("Bill")), **PAGING}),
    "BillDetail": _obj(
        {
            **BILL,
            "summary": STR,
            "actions": _list(ACTION),
            "item_count": INT,
            "text_url": _null(URL),
            "cosponsors": _list(COSPONSOR),
            "related": _list(RELATED),
        }
    ),
    "Topic": _obj(TOPIC),
    "Entity": _obj(ENTITY),
    "TopicList": _obj({"topics": _list(_ref("Topic"))}),
    "EntityList": _obj({"entities": _list(_ref("Entity"))}),
    "TopicTimeline": _timeline("topic", "Topic"),
    "EntityTimeline": _timeline("entity", "Entity"),
}
