"""Alembic environment: runs migrations on the connection `data_access.database.upgrade` passes in,
or on PERFBOT_DATABASE_URL when run by the alembic command itself."""
from alembic import context

from data_access.database import make_engine
from data_access.models import Base

target_metadata = Base.metadata


def run() -> None:
    """Run the migrations online, on the given or configured connection."""
    connection = context.config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    with make_engine().begin() as own:
        context.configure(connection=own, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()


run()
