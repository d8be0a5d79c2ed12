"""Kept aggregates and their keys as compact JSON, read back to equal values.

JSON has lists, string-keyed objects and scalars; the kept parts also hold
tuples, dicts keyed by dates, ids or pairs, dates and times and small
dataclasses of this package. Each of those is written as a one-entry object
naming what it was ({"t": [...]} a tuple, {"m": [[key, value], ...]} a dict,
{"d": "2026-04-02"} a date, {"dt": iso} a time, {"c": "module:Class", "f":
[fields]} a dataclass), so reading gives back the same types. Only dataclasses
of `tracker` modules are made when read. Anything else cannot be written
(`TypeError`): such an aggregate is not saved.
"""

from __future__ import annotations

import dataclasses
import functools
import importlib
import json
import zlib
from datetime import date, datetime
from typing import Any

PACKAGE = "tracker."


def dumps(value: Any) -> bytes:
    """`value` as compressed JSON."""
    text = json.dumps(_plain(value), separators=(",", ":"), ensure_ascii=False)
    return zlib.compress(text.encode(), 1)


def loads(body: bytes) -> Any:
    """The value `dumps` wrote."""
    return json.loads(zlib.decompress(body), object_hook=_typed)


def key_text(key: Any) -> str:
    """A key as one canonical line of JSON."""
    return json.dumps(_plain(key), separators=(",", ":"), sort_keys=True)


def _plain(value: Any) -> Any:
    kind = type(value)
    if kind in _SCALARS:
        return value
    if kind is dict:
        return {"m": [[_plain(k), _plain(v)] for k, v in value.items()]}
    if kind is tuple:
        return {"t": [_plain(v) for v in value]}
    if kind is list:
        return [_plain(v) for v in value]
    if kind is date:
        return {"d": value.isoformat()}
    if kind is datetime:
        return {"dt": value.isoformat()}
    return _plain_other(value)


_SCALARS = frozenset({int, str, float, bool, type(None)})


def _plain_other(value: Any) -> Any:
    """Subclasses of the kinds above, and this package's dataclasses."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, tuple):
        return {"t": [_plain(v) for v in value]}
    if isinstance(value, dict):
        return {"m": [[_plain(k), _plain(v)] for k, v in value.items()]}
    if isinstance(value, datetime):  # before date: a datetime is a date too
        return {"dt": value.isoformat()}
    if isinstance(value, date):
        return {"d": value.isoformat()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        kind = type(value)
        if not kind.__module__.startswith(PACKAGE):
            raise TypeError(f"not a dataclass of this package: {kind!r}")
        fields = [_plain(getattr(value, name)) for name in _field_names(kind)]
        return {"c": f"{kind.__module__}:{kind.__qualname__}", "f": fields}
    raise TypeError(f"cannot keep {type(value).__name__}")


def _typed(value: dict[str, Any]) -> Any:
    """One JSON object read back (inner ones first: `json`'s object hook)."""
    if "t" in value:
        return tuple(value["t"])
    if "m" in value:
        return {k: v for k, v in value["m"]}
    if "dt" in value:
        return datetime.fromisoformat(value["dt"])
    if "d" in value:
        return date.fromisoformat(value["d"])
    return _made(value["c"], value["f"])


def _made(name: str, fields: list[Any]) -> Any:
    return _class(name)(*fields)


@functools.lru_cache(maxsize=64)
def _class(name: str) -> Any:
    """The dataclass a saved value names (looked up once per name: a saved week holds
    thousands of one class)."""
    module, _, qualname = name.partition(":")
    if not module.startswith(PACKAGE):
        raise TypeError(f"not a dataclass of this package: {name}")
    kind: Any = importlib.import_module(module)
    for part in qualname.split("."):
        kind = getattr(kind, part)
    if not (isinstance(kind, type) and dataclasses.is_dataclass(kind)):
        raise TypeError(f"not a dataclass: {name}")
    return kind


@functools.lru_cache(maxsize=64)
def _field_names(kind: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(kind))
