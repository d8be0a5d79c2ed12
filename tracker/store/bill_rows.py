"""A parsed bill's progress, people and relations as the JSON columns of its row."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from tracker.types import BillRecord


def bill_extras(bill: BillRecord) -> dict[str, Any]:
    """`stage_dates`, `cosponsors`, `related`, `text_url` and `text_versions` of the bill's row."""
    return {
        "stage_dates": {stage: day.isoformat() for stage, day in bill.stage_dates},
        "cosponsors": [_jsonable(asdict(c)) for c in bill.cosponsors],
        "related": [{"key": r.key, **_jsonable(asdict(r))} for r in bill.related],
        "text_url": bill.text_url,
        "text_versions": [_jsonable(asdict(v)) for v in bill.text_versions],
    }


def _jsonable(fields: dict[str, Any]) -> dict[str, Any]:
    """Dates as ISO days and tuples as lists, as a JSON column keeps them."""
    return {
        name: value.isoformat()
        if hasattr(value, "isoformat")
        else list(value)
        if isinstance(value, tuple)
        else value
        for name, value in fields.items()
    }
