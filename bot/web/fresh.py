"""Starting the demo again (`perfbot demo --fresh`, the page's "Start again"): every table emptied and
the bundled sample data imported afresh, so the values submitted, the notifications, the
conversations and the scheduler's progress of earlier visits are gone. Refused on a store that
holds anything imported besides the sample data: that is a council's own database, not the demo's."""
from __future__ import annotations

from sqlalchemy import select

from data_access.models import AuditEntry, Base
from data_access.store import Store

SAMPLE_ACTOR = "sample data"  # who Store.ensure_sample_data imports as


class NotTheDemo(ValueError):
    """The store holds data of its own: starting again would destroy it."""


def only_the_demo(store: Store) -> None:
    """NotTheDemo when anything but the sample data was imported into the store."""
    with store.sessions() as session:
        other = session.scalars(select(AuditEntry.actor).where(AuditEntry.action == "import",
                                                               AuditEntry.actor != SAMPLE_ACTOR).limit(1)).first()
    if other is not None:
        where = store.engine.url.render_as_string(hide_password=True)
        raise NotTheDemo(f"{where} holds data imported by {other!r}, not only the demo's sample data, so it is not "
                         "emptied. Start again on the demo's own database (e.g. --database sqlite:///perfbot.db).")


def start_again(store: Store) -> None:
    """Empty the store and import the sample data; NotTheDemo (nothing touched) when other data was imported."""
    only_the_demo(store)
    with store.engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(table.delete())
    store.reload()
    store.ensure_sample_data()
