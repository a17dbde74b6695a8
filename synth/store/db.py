"""Engine, migrations and sessions, built from settings (no module-level engine).

Example:
    >>> engine = open_database(Settings(database_url="sqlite:///:memory:"))  # doctest: +SKIP
    >>> with Session(engine) as session: ...
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from filelock import FileLock
from filelock import Timeout as LockTimeout
from sqlalchemy import Connection, Engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlmodel import Session, SQLModel, create_engine
from tenacity import retry, retry_if_exception, stop_after_delay, wait_exponential

from synth.errors import StoreError
from synth.settings import Settings

logger = logging.getLogger(__name__)

# The top-level db/ folder, installed as the package synth.migrations (see setup.py); Alembic
# needs a real folder, which an installed wheel or an editable checkout both are.
MIGRATIONS_DIR = Path(str(resources.files("synth.migrations")))
# Another synth may hold SQLite's write lock for a while (a paper's text, a run's claims):
# wait for it rather than failing at once with "database is locked".
SQLITE_BUSY_TIMEOUT_S = 60.0
# Migrating a fresh database takes well under a second; a lock held this long is stale.
MIGRATION_LOCK_TIMEOUT_S = 300.0
# Any fixed number: the PostgreSQL advisory lock all synth processes take to migrate.
_PG_MIGRATION_LOCK = 1402041575


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Leave the full-text index (migration 0002, not in the models) out of model comparisons."""
    return not (name or "").startswith(("claim_fts", "text_search", "ix_claim_text_search"))


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL; None for other databases and in-memory SQLite."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return None
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    database = parsed.database
    if parsed.query.get("uri") == "true":  # sqlite:///file:/path/x.db?mode=ro&uri=true
        database = database.removeprefix("file:")
    return Path(database).expanduser()


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite gets its folder created and foreign keys switched on."""
    path = sqlite_path(url)
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(
                f"cannot create the folder of the database {path} ({exc.strerror or exc}); "
                "pass --db (or SYNTH_DATABASE_URL) a path in a writable folder"
            ) from exc
    try:
        connect_args = {"timeout": SQLITE_BUSY_TIMEOUT_S} if path is not None else {}
        engine = create_engine(url, connect_args=connect_args)
    except (SQLAlchemyError, ImportError, ValueError) as exc:
        raise StoreError(
            f"cannot use database URL {url!r} ({exc}); give an SQLAlchemy URL such as "
            "sqlite:///synth.db or postgresql+psycopg://user@host/db"
        ) from exc
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn, _record) -> None:  # pragma: no cover - trivial
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            _use_wal(cur)
            cur.close()

    return engine


def _is_locked(exc: BaseException) -> bool:
    return isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc)


@retry(
    retry=retry_if_exception(_is_locked),
    stop=stop_after_delay(SQLITE_BUSY_TIMEOUT_S),
    wait=wait_exponential(multiplier=0.01, max=0.5),
    reraise=True,
)
def _use_wal(cursor: sqlite3.Cursor) -> None:
    """Put the file in WAL mode, so readers never block the writer.

    SQLite does not run its busy handler for a journal-mode change: when several synths open
    a fresh file at once, all but one get "database is locked" at once, whatever the busy
    timeout (about 1 trial in 4 with three processes). So retry here, as the busy handler
    would, until the switch goes through or the busy timeout has passed.
    """
    cursor.execute("PRAGMA journal_mode=WAL")


def _alembic_config() -> Config:
    if not (MIGRATIONS_DIR / "env.py").exists():
        raise StoreError(
            f"database migrations not found in {MIGRATIONS_DIR}; reinstall synth "
            "(pip install synth, or pip install -e . in a checkout)"
        )
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


@contextmanager
def _migration_lock(engine: Engine) -> Iterator[None]:
    """Serialise migrations across processes, so two synths on a fresh database do not both
    create the tables. SQLite takes a lock file beside the database (its DDL runs outside
    transactions); PostgreSQL takes an advisory lock in :func:`_upgrade` instead."""
    path = sqlite_path(str(engine.url))
    if path is None:
        yield
        return
    lock = FileLock(f"{path}.migrate-lock", timeout=MIGRATION_LOCK_TIMEOUT_S)
    try:
        lock.acquire()
    except LockTimeout as exc:
        raise StoreError(
            f"another synth has been migrating {path} for {MIGRATION_LOCK_TIMEOUT_S:.0f} s; "
            f"if none is running, delete {lock.lock_file} and retry"
        ) from exc
    except OSError:  # a read-only folder: nothing can migrate there anyway, so nothing races
        yield
        return
    try:
        yield
    finally:
        lock.release()


def _current_revision(conn: Connection) -> str | None:
    return MigrationContext.configure(conn).get_current_revision()


def _upgrade(conn: Connection, config: Config, head: str | None) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK})
    current = _current_revision(conn)  # again, now that no other synth is migrating
    if current == head:
        return
    logger.info("migrating database %s -> %s", current, head)
    config.attributes["connection"] = conn
    command.upgrade(config, "head")


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest migration; a no-op when it is already there.

    Safe when several synth processes open the same fresh database at once: the upgrade runs
    under a cross-process lock and re-reads the revision once it holds it.
    """
    config = _alembic_config()
    head = ScriptDirectory.from_config(config).get_current_head()
    try:
        with engine.connect() as conn:
            if _current_revision(conn) == head:
                return
        with _migration_lock(engine), engine.begin() as conn:
            _upgrade(conn, config, head)
    except SQLAlchemyError as exc:
        raise StoreError(
            f"cannot open or migrate the database at {engine.url!r}: {exc.__class__.__name__}: "
            f"{str(exc).splitlines()[0]}; check --db / SYNTH_DATABASE_URL"
        ) from exc


def open_database(settings: Settings) -> Engine:
    """The migrated engine for ``settings``."""
    engine = make_engine(settings.resolved_database_url)
    migrate(engine)
    return engine


def insert_or_ignore(session: Session, model: type[SQLModel], rows: list[dict], key: str) -> None:
    """Insert ``rows``, skipping those whose unique ``key`` is already stored.

    Two synth processes may store the same paper or embedding at once; a plain INSERT would
    make the slower one fail with a UNIQUE violation. Other databases than SQLite and
    PostgreSQL get a plain INSERT.
    """
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    elif dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        session.execute(model.__table__.insert().values(rows))  # type: ignore[attr-defined]
        return
    statement = insert(model).values(rows).on_conflict_do_nothing(index_elements=[key])
    session.execute(statement)


def has_fulltext(engine: Engine) -> bool:
    """Whether the claim full-text index exists (SQLite FTS5 or PostgreSQL tsvector)."""
    insp = inspect(engine)
    if engine.dialect.name == "sqlite":
        return "claim_fts" in insp.get_table_names()
    if engine.dialect.name == "postgresql":
        return any(c["name"] == "text_search" for c in insp.get_columns("claim"))
    return False
