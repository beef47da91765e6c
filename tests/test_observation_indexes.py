"""The indexes of the observation table after migration 0014, on SQLite and PostgreSQL: no index of
every value by indicator and period end (no read uses it, and every imported value paid for it), and
the replaced values indexed by the value that replaced them, which an undo looks up."""
from __future__ import annotations

from alembic import command
from alembic.config import Config
from sqlalchemy import text

from data_access.database import MIGRATIONS


def indexes(connection) -> dict[str, str]:
    """The observation table's secondary indexes by name, each with its definition."""
    if connection.dialect.name == "postgresql":
        rows = connection.execute(text("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'observation' "
                                       "AND schemaname = current_schema() AND indexname <> 'observation_pkey'"))
    else:
        rows = connection.execute(text("SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                                       "AND tbl_name = 'observation' AND sql IS NOT NULL"))
    return {name: definition for name, definition in rows}


def plan(connection, sql: str) -> str:
    """The query plan of `sql` as text (PostgreSQL told not to prefer a pass over a small table)."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SET LOCAL enable_seqscan = off"))
        return " ".join(row[0] for row in connection.execute(text("EXPLAIN " + sql)))
    return " ".join(row[-1] for row in connection.execute(text("EXPLAIN QUERY PLAN " + sql)))


def test_0014_drops_the_index_of_every_value_by_period_end_and_indexes_replaced_values(empty_store):
    with empty_store.engine.begin() as connection:
        held = indexes(connection)
        assert set(held) == {"ix_observation_current", "ix_observation_current_place", "ix_observation_superseded_by"}
        assert "superseded_by IS NOT NULL" in held["ix_observation_superseded_by"]
        assert "ix_observation_superseded_by" in plan(connection, "SELECT id FROM observation WHERE superseded_by = 7")
        assert "ix_observation_superseded_by" in plan(connection, "SELECT value FROM observation WHERE superseded_by > 7")


def test_0014_reverses_and_applies_again_on_a_store_holding_values(store):
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with store.engine.begin() as connection:
        count = connection.execute(text("SELECT count(*) FROM observation")).scalar_one()
        config.attributes["connection"] = connection
        command.downgrade(config, "0013")
        assert set(indexes(connection)) == {"ix_observation_current", "ix_observation_current_place",
                                            "ix_observation_indicator_end"}
        command.upgrade(config, "head")
        assert set(indexes(connection)) == {"ix_observation_current", "ix_observation_current_place",
                                            "ix_observation_superseded_by"}
        assert connection.execute(text("SELECT count(*) FROM observation")).scalar_one() == count > 0
