"""Golden files: compare a parser's output with JSON kept in tests/data/golden.

Run with UPDATE_GOLDEN=1 to rewrite them after a deliberate change, then read
the diff before committing it.
"""

from __future__ import annotations

import dataclasses
import json
import os
from datetime import date, datetime
from pathlib import Path
from typing import Any

GOLDEN = Path(__file__).resolve().parent / "data" / "golden"


def jsonable(value: Any) -> Any:
    """Dataclasses, tuples and dates as plain JSON values."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def assert_golden(name: str, value: Any) -> None:
    """`value` must equal tests/data/golden/<name>(.json)."""
    path = GOLDEN / (name if name.endswith(".json") else f"{name}.json")
    actual = jsonable(value)
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.write_text(json.dumps(actual, indent=1, ensure_ascii=False, sort_keys=True) + "\n")
    assert path.exists(), f"{path.name} is missing: run with UPDATE_GOLDEN=1 and review it"
    expected = json.loads(path.read_text())
    assert actual == expected, f"output differs from {path.name} (UPDATE_GOLDEN=1 rewrites it)"
