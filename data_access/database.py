"""Connecting to the store: the engine for a URL (SQLite in WAL mode by default, PostgreSQL in
production), sessions, and bringing the schema up to date with the Alembic migrations."""
from __future__ import annotations

import logging
import os
import re
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.orm import Session, sessionmaker

DEFAULT_URL = "sqlite:///perfbot.db"
MIGRATIONS = Path(__file__).parent / "migrations"


def database_url() -> str:
    """The store's URL from PERFBOT_DATABASE_URL, else a SQLite file `perfbot.db` here."""
    return os.environ.get("PERFBOT_DATABASE_URL") or DEFAULT_URL


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute(f"PRAGMA cache_size={READING_CACHE}")
    cursor.close()


READING_CACHE = -8192  # KiB of SQLite page cache per connection: an answer reads a few pages by index
IMPORTING_CACHE = -65536  # and an import, which touches big indexes all over, 64 MiB


@contextmanager
def importing_cache(connection: Connection) -> Iterator[None]:
    """A bigger SQLite page cache on `connection` while it imports, back to the reading size after
    (every process keeps its connections: a cache left big is memory held for nothing)."""
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        connection.exec_driver_sql(f"PRAGMA cache_size={IMPORTING_CACHE}")
    try:
        yield
    finally:
        if sqlite:
            connection.exec_driver_sql(f"PRAGMA cache_size={READING_CACHE}")


@contextmanager
def reading(engine: Engine) -> Iterator[Connection]:
    """A connection for one read statement that needs no transaction of its own. On PostgreSQL it
    is put in autocommit, which spares the read the BEGIN before it and the ROLLBACK when the
    connection goes back to the pool (two round trips, each a wake-up of the server; a lone
    statement sees the same committed rows either way). A store bound to an open connection
    (Store.bound_to) reads through that connection as it is, inside its transaction."""
    with engine.connect() as connection:
        if isinstance(engine, Engine) and connection.dialect.name == "postgresql":
            connection.execution_options(isolation_level="AUTOCOMMIT")
        yield connection


def make_engine(url: str | None = None) -> Engine:
    """An engine for `url` (default: database_url()); SQLite gets WAL, foreign keys and a busy timeout."""
    url = url or database_url()
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 10})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """A session factory bound to `engine` that keeps objects usable after commit."""
    return sessionmaker(engine, expire_on_commit=False)


def head_revision() -> str | None:
    """The newest migration: the revision no other migration revises (read from the files' own
    `revision` and `down_revision` lines, without loading Alembic)."""
    revisions, revised = set(), set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        found = re.search(r"^revision\s*=\s*['\"](\w+)['\"]", source, re.M)
        down = re.search(r"^down_revision\s*=\s*['\"](\w+)['\"]", source, re.M)
        revisions.update([found.group(1)] if found else [])
        revised.update([down.group(1)] if down else [])
    heads = revisions - revised
    return next(iter(heads)) if len(heads) == 1 else None


def is_current(engine: Engine) -> bool:
    """True when the store's schema is already at the newest migration (nothing to apply)."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return False
        stamped = list(connection.execute(text("SELECT version_num FROM alembic_version")).scalars())
    return len(stamped) == 1 and stamped[0] == head_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply the Alembic migrations to `engine` up to `revision` (Alembic is loaded only when a
    migration is due: a process opening a store that is up to date starts quicker)."""
    if revision == "head" and is_current(engine):
        return
    from alembic import command
    from alembic.config import Config

    logging.getLogger("alembic").setLevel(logging.WARNING)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
