"""Every command's first question, "is the schema current?", answered without alembic.

`tracker ingest` and the rest start by asking it; reading the shipped
migrations' `revision` lines answers it in a fraction of alembic's import.
These check that answer against alembic's own on both databases: a fresh
database, one migrated to the head, and one a migration behind.
"""

from __future__ import annotations

import subprocess
import sys

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine

from tracker.store.engine import _schema_is_current, alembic_config, migrate, shipped_heads


def test_the_shipped_heads_are_alembics() -> None:
    assert shipped_heads() == set(ScriptDirectory.from_config(alembic_config()).get_heads())


def test_fresh_current_and_behind_databases_are_told_apart(engine: Engine) -> None:
    assert not _schema_is_current(engine)
    migrate(engine)
    assert _schema_is_current(engine)
    script = ScriptDirectory.from_config(alembic_config())
    (head,) = script.get_heads()
    previous = script.get_revision(head).down_revision
    with engine.begin() as conn:
        cfg = alembic_config()
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, str(previous))
    assert not _schema_is_current(engine)
    migrate(engine)  # the check said "behind", so the migration runs
    assert _schema_is_current(engine)


def test_a_command_that_finds_the_schema_current_does_not_import_alembic(engine: Engine) -> None:
    migrate(engine)
    probe = (
        "import sys, sqlalchemy as sa; from tracker.store.engine import migrate; "
        f"migrate(sa.create_engine({engine.url.render_as_string(hide_password=False)!r})); "
        "print('alembic' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
