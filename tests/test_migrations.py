"""The migrations build exactly the schema the models describe, on both databases."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlmodel import SQLModel

from tracker.pipeline import Pipeline
from tracker.store.engine import alembic_config


def test_models_and_migrations_agree(pipeline: Pipeline) -> None:
    with pipeline.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    assert diff == [], "write a migration for these model changes"


def test_one_line_of_revisions() -> None:
    assert len(ScriptDirectory.from_config(alembic_config()).get_heads()) == 1
