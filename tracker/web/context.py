"""What views share: the engine, settings, and a read session."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import current_app
from sqlalchemy.engine import Engine
from sqlmodel import Session

from tracker.config import Settings
from tracker.store.engine import session_scope
from tracker.taxonomy import Taxonomy, load_taxonomy


def engine() -> Engine:
    return current_app.extensions["tracker.engine"]


def settings() -> Settings:
    return current_app.extensions["tracker.settings"]


def taxonomy() -> Taxonomy:
    """The data folder's taxonomy (with its models), read once per app."""
    cached = current_app.extensions.get("tracker.taxonomy")
    if cached is None:
        cached = load_taxonomy(settings().data_dir / "taxonomy.toml")
        current_app.extensions["tracker.taxonomy"] = cached
    return cached


@contextmanager
def db() -> Iterator[Session]:
    """A session for one view; errors become `StoreError` and a 503 page."""
    with session_scope(engine()) as session:
        yield session
