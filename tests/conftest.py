"""Shared fixtures: a fresh database per test on SQLite (default) or PostgreSQL
(PERFBOT_TEST_DATABASE_URL=postgresql://…; each test gets its own schema), and stores filled
with the bundled demo-council data."""
from __future__ import annotations

import os
import uuid
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

import pytest
from sqlalchemy import create_engine, text

from data_access.store import Store

DATA = Path(__file__).parent / "data"
REAL = DATA / "real"
TEST_URL = os.environ.get("PERFBOT_TEST_DATABASE_URL", "")
FIXED_NOW = datetime(2026, 11, 27, 9, 0, tzinfo=timezone.utc)


def on_postgresql() -> bool:
    """True when the suite runs against PostgreSQL."""
    return TEST_URL.startswith("postgresql")


def _fresh_url(tmp_path: Path) -> Iterator[str]:
    if not on_postgresql():
        yield f"sqlite:///{tmp_path / 'perfbot.db'}"
        return
    schema = "t_" + uuid.uuid4().hex[:12]
    admin = create_engine(TEST_URL.replace("postgresql://", "postgresql+psycopg://", 1), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    separator = "&" if "?" in TEST_URL else "?"
    try:
        yield f"{TEST_URL}{separator}options=-csearch_path%3D{schema}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@pytest.fixture
def database_url(tmp_path: Path) -> Iterator[str]:
    """The URL of a fresh, empty database for one test."""
    yield from _fresh_url(tmp_path)


@pytest.fixture
def empty_store(database_url: str) -> Iterator[Store]:
    """A migrated store with nothing in it, its clock fixed at 2026-11-27 09:00 UTC."""
    store = Store.open(database_url, clock=lambda: FIXED_NOW)
    yield store
    store.engine.dispose()


@pytest.fixture
def store(empty_store: Store) -> Store:
    """A store with the demo-council data, for tests that write."""
    empty_store.ensure_sample_data()
    return empty_store


def _filled(folder: Path, fill) -> Iterator[Store]:
    urls = _fresh_url(folder)
    store = Store.open(next(urls), clock=lambda: FIXED_NOW)
    fill(store)
    yield store
    store.engine.dispose()
    urls.close()


def _demo(folder: Path) -> Iterator[Store]:
    yield from _filled(folder, Store.ensure_sample_data)


@pytest.fixture(scope="session")
def real_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """The real published files (and the council's data dictionary for them, when there is one),
    shared by read-only tests."""
    dictionary = DATA / "real-dictionary"
    yield from _filled(tmp_path_factory.mktemp("real"),
                       lambda store: store.import_files([REAL, *([dictionary] if dictionary.exists() else [])]))


@pytest.fixture(scope="module")
def module_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """A store with the demo-council data for one test module that writes to it."""
    yield from _demo(tmp_path_factory.mktemp("module"))


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """One store with the demo-council data shared by read-only tests."""
    yield from _demo(tmp_path_factory.mktemp("demo"))
