"""Engines, sessions and schema migrations for SQLite and PostgreSQL."""

from __future__ import annotations

import fcntl
import os
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from tracker.config import Settings
from tracker.store import StoreError

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
# PostgreSQL advisory locks are per database, and several stores may share one
# database in their own schemas (each test, each bench): a lock is named by a
# fixed 32-bit class ("trak" in ASCII for the write lock) and the store's schema
# (`hashtext(current_schema())`), so one store's writers never wait on another's.
WRITE_LOCK_CLASS = 0x7472616B
# SQLite's busy time-out (30 s) is per try; a writer waiting its turn behind a
# large file being stored keeps trying this long before giving up.
SQLITE_LOCK_PATIENCE = 600.0
# The second half of a PostgreSQL advisory lock's name: this store's schema.
SCHEMA_LOCK_ID = "hashtext(current_schema())"


def on_postgresql(session: Session) -> bool:
    """Whether the session's database is PostgreSQL (else SQLite)."""
    return session.get_bind().dialect.name == "postgresql"


def make_engine(settings: Settings) -> Engine:
    """An engine for the configured database; SQLite gets WAL and a busy time-out."""
    url = settings.database_url
    if url.startswith("sqlite"):
        settings.home.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(url, connect_args={"timeout": 30})
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    try:
        return sa.create_engine(url, pool_pre_ping=True)
    except (sa.exc.ArgumentError, ModuleNotFoundError) as exc:
        raise StoreError(f"cannot use database URL {_safe(url)}: {exc}") from None


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    # WAL lets the site read while an ingest writes; the busy time-out makes a
    # second writer wait instead of failing with "database is locked".
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def _safe(url: str) -> str:
    try:
        return sa.engine.make_url(url).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        return "(unparseable URL)"


def alembic_config() -> Config:
    """Alembic settings for the migrations shipped inside the package."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def migrate(engine: Engine) -> None:
    """Create or upgrade the schema to the newest migration; safe to repeat."""
    try:
        if _schema_is_current(engine):
            return  # nothing to write, so no write lock to wait for
        with engine.connect() as conn:
            sqlite = conn.dialect.name == "sqlite"
            # A batch migration copies a SQLite table and drops the old one, which
            # SQLite refuses while enforced foreign keys point at its rows. The
            # pragma only works outside a transaction, so it is set first and the
            # references are checked before the migration commits.
            if sqlite:
                _foreign_keys(conn, "OFF")
            try:
                with conn.begin():
                    # Two commands starting at once upgrade (and check) in turn.
                    take_write_lock(conn)
                    from alembic import command

                    cfg = alembic_config()
                    cfg.attributes["connection"] = conn
                    command.upgrade(cfg, "head")
                    if sqlite:
                        _check_references(conn)
            finally:
                if sqlite:
                    _foreign_keys(conn, "ON")
    except OperationalError as exc:
        raise StoreError(describe_db_error(engine, exc)) from None


def _schema_is_current(engine: Engine) -> bool:
    # Every command asks this first; alembic (a fifth of a command's start-up)
    # is imported only when the shipped migrations cannot be read plainly.
    heads = shipped_heads()
    if heads is not None:
        with engine.connect() as conn:
            return _stamped(conn) == heads
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    heads = set(ScriptDirectory.from_config(alembic_config()).get_heads())
    with engine.connect() as conn:
        return set(MigrationContext.configure(conn).get_current_heads()) == heads


_REVISION = re.compile(r"^revision(?:\s*:[^=\n]*)?\s*=\s*[\"']([\w-]+)[\"']\s*$", re.M)
_DOWN = re.compile(r"^down_revision(?:\s*:[^=\n]*)?\s*=\s*(?:None|[\"']([\w-]+)[\"'])\s*$", re.M)


def shipped_heads() -> set[str] | None:
    """The newest migrations shipped, read from the files' `revision` lines.

    None when some file says it in a way this does not read (a merge of two
    heads, a computed value): alembic then reads them itself.
    """
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        if path.name == "__init__.py":
            continue
        source = path.read_text(encoding="utf-8")
        revision, down = _REVISION.findall(source), _DOWN.findall(source)
        if len(revision) != 1 or len(down) != 1:
            return None
        revisions.add(revision[0])
        if down[0]:
            parents.add(down[0])
    heads = revisions - parents
    return heads if len(heads) == 1 and parents <= revisions else None


def _stamped(conn: sa.Connection) -> set[str]:
    """The revisions alembic recorded in the database (none before the first migration)."""
    if not sa.inspect(conn).has_table("alembic_version"):
        return set()
    return {row[0] for row in conn.exec_driver_sql("SELECT version_num FROM alembic_version")}


def take_write_lock(connection: sa.Connection) -> None:
    """Make the connection's transaction hold the write lock before it reads.

    SQLite: `BEGIN IMMEDIATE` (pysqlite opens a transaction only before a
    write, so reads before it saw no lock and went stale). PostgreSQL: a
    transaction-level advisory lock, released at commit or rollback.
    """
    if connection.dialect.name == "postgresql":
        connection.execute(
            sa.text(f"SELECT pg_advisory_xact_lock(:lock_class, {SCHEMA_LOCK_ID})"),
            {"lock_class": WRITE_LOCK_CLASS},
        )
        return
    if connection.dialect.name != "sqlite":
        return
    deadline = time.monotonic() + SQLITE_LOCK_PATIENCE
    with waiting_for_lock(connection.engine):
        while True:
            try:
                connection.exec_driver_sql("BEGIN IMMEDIATE")
                return
            except OperationalError as exc:
                if "locked" not in str(exc.orig) or time.monotonic() > deadline:
                    raise StoreError(describe_db_error(connection.engine, exc)) from None


def _waiters_path(engine: Engine) -> Path | None:
    database = engine.url.database
    if (
        engine.dialect.name != "sqlite"
        or not database
        or database == ":memory:"
        or database.startswith("file:")
    ):
        return None
    return Path(database).with_name(Path(database).name + ".writers")


@contextmanager
def waiting_for_lock(engine: Engine) -> Iterator[None]:
    """Say, for the block, that this process waits for SQLite's write lock.

    A shared lock on a file beside the database, which `writers_waiting` sees:
    a long run of write transactions (event grouping) pauses between two of
    them only when some writer waits, instead of after every one.
    """
    path = _waiters_path(engine)
    if path is None:
        yield
        return
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:
        yield  # a read-only directory: the writer still waits its turn, unannounced
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_SH)
        yield
    finally:
        os.close(fd)  # closing the file releases the lock


def writers_waiting(engine: Engine) -> bool:
    """Whether another writer says it waits for SQLite's write lock (`waiting_for_lock`)."""
    path = _waiters_path(engine)
    if path is None:
        return False
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


def _foreign_keys(conn: sa.Connection, state: str) -> None:
    conn.exec_driver_sql(f"PRAGMA foreign_keys={state}")
    conn.commit()


def _check_references(conn: sa.Connection) -> None:
    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").all()
    if broken:
        raise StoreError(f"the migration left {len(broken)} rows pointing at missing rows")


def describe_db_error(engine: Engine, exc: Exception) -> str:
    """One line a person can act on, for a database that cannot be used."""
    detail = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
    return f"cannot use the database at {_safe(str(engine.url))}: {detail}"


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session that commits on success and rolls back on any error."""
    try:
        session = Session(engine, expire_on_commit=False)
    except OperationalError as exc:
        raise StoreError(describe_db_error(engine, exc)) from None
    try:
        yield session
        session.commit()
    except OperationalError as exc:
        session.rollback()
        raise StoreError(describe_db_error(engine, exc)) from None
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
