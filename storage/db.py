"""Engine, sessions and the migration gate.

Handlers are async but SQLAlchemy sessions here are synchronous: every database call from the bot
goes through ``Database.run`` (a worker thread), so a slow disk never stalls the event loop.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlmodel import Session, create_engine  # Session: the type storage functions take, for callers

MIGRATIONS_DIR = Path(__file__).with_name("migrations")

P = ParamSpec("P")
T = TypeVar("T")


class DatabaseNotReady(Exception):
    """The database is missing, unreachable or not migrated to this version of Trustline."""


def normalise_url(url: str) -> str:
    """Accept plain ``postgresql://`` URLs and use the psycopg 3 driver we ship with."""
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def make_engine(url: str, *, echo: bool = False) -> Engine:
    url = normalise_url(url)
    if make_url(url).get_backend_name() == "sqlite":
        engine = create_engine(
            url, echo=echo, connect_args={"check_same_thread": False, "timeout": 30}
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    # A bounded connect timeout: during an outage callers must fail fast and retry, not hang.
    return create_engine(
        url, echo=echo, pool_pre_ping=True, pool_size=5, max_overflow=5, connect_args={"connect_timeout": 5}
    )


def is_unavailable(exc: BaseException | None) -> bool:
    """Whether ``exc`` means "the database cannot be reached right now" (retry later), as opposed
    to a bug or a constraint violation. SQLite's "database is locked" counts too."""
    seen = 0
    while exc is not None and seen < 5:
        if isinstance(exc, OperationalError | InterfaceError | PoolTimeout):
            return True
        if isinstance(exc, DBAPIError) and exc.connection_invalidated:
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    # WAL lets the scorer thread write while handlers read; foreign keys are off by default.
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def alembic_config(url: str) -> AlembicConfig:
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", normalise_url(url).replace("%", "%%"))
    return cfg


def upgrade(url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(url), revision)


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


def is_known_revision(revision: str) -> bool:
    """Whether this version's migrations include ``revision`` (else a newer Trustline wrote it)."""
    try:
        return ScriptDirectory.from_config(alembic_config("sqlite://")).get_revision(revision) is not None
    except Exception:  # noqa: BLE001 - alembic raises several kinds for an unknown id
        return False


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def check_migrated(engine: Engine) -> None:
    """Refuse to run against a database that is behind (or ahead of) this code's schema."""
    try:
        current = current_revision(engine)
    except OperationalError as exc:
        raise DatabaseNotReady(
            f"Cannot open the database at {engine.url.render_as_string(hide_password=True)}: {exc.orig}"
        ) from None
    head = head_revision()
    if current != head:
        state = "is not initialised" if current is None else f"is at revision {current}"
        raise DatabaseNotReady(
            f"The database {engine.url.render_as_string(hide_password=True)} {state}; this version "
            f"of Trustline needs revision {head}. Run `trustline db upgrade` first."
        )


class Database:
    """Owns the engine; lives in the PTB Application's bot_data, never as a module global."""

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = normalise_url(url)
        self.engine = make_engine(self.url, echo=echo)

    @property
    def is_postgres(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session that commits on success and rolls back on error."""
        with Session(self.engine, expire_on_commit=False) as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    async def run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run ``fn(session, *args)`` in a worker thread inside one transaction."""

        def call() -> T:
            with self.session() as session:
                return fn(session, *args, **kwargs)

        return await asyncio.to_thread(call)

    def call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Synchronous twin of :meth:`run` for the CLI and jobs already off the loop."""
        with self.session() as session:
            return fn(session, *args, **kwargs)

    def dispose(self) -> None:
        self.engine.dispose()
