"""A list of ids as one query parameter.

`column IN (:id_1, :id_2, ...)` renders and binds a placeholder per id, and
its text differs with every length, so no statement cache holds it: a
timeline page's reads (twenty events, their few hundred items and their tags)
spent a tenth of their time there. On PostgreSQL the list is one array
parameter (`= ANY(:ids)`); SQLite has no arrays and keeps `IN`.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY
from sqlmodel import Session


def ids_in(session: Session, column: Any, ids: Collection[int]) -> Any:
    """`column IN ids`; on PostgreSQL as `= ANY(array)`, one parameter however many ids
    (an export's batch names a thousand: a thousand placeholders to render and bind)."""
    if session.get_bind().dialect.name == "postgresql":
        return column == sa.any_(sa.bindparam(None, list(ids), type_=ARRAY(sa.Integer)))
    return column.in_(ids)
