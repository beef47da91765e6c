"""The demo's own store: `perfbot demo` runs only on a store it made (marked so when it filled an
empty one), since it moves its clock, lets anyone act as anyone and sends reminders; any other
store is refused, saying why. Starting the demo again (`perfbot demo --fresh`, the page's "Start
again"): every table emptied and the bundled sample data imported afresh, so the values submitted,
the notifications, the conversations and the scheduler's progress of earlier visits are gone.
Refused on a store that holds anything imported besides the sample data: that is a council's own
database, not the demo's; an unmarked store holding only the sample data (an earlier version's
demo) is taken over by starting it again."""
from __future__ import annotations

from sqlalchemy import select

from data_access.demo_store import is_demo_store, mark_demo_store
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
    mark_demo_store(store.engine, store.clock())


def the_demos_own(store: Store, fresh: bool) -> bool:
    """Make sure the demo runs on a store of its own: an empty one is filled with the sample data
    and marked; a marked one is used as it is; with `fresh`, an unmarked one holding only the sample
    data is started again (and marked). NotTheDemo for any other store. True when the sample data
    was imported here."""
    if is_demo_store(store.engine):
        if fresh:
            only_the_demo(store)
        return not fresh and store.ensure_sample_data() is not None
    if store.is_empty():
        store.ensure_sample_data()
        mark_demo_store(store.engine, store.clock())
        return True
    if fresh:
        only_the_demo(store)
        return False
    where = store.engine.url.render_as_string(hide_password=True)
    raise NotTheDemo(f"{where} is not a database the demo made, so the demo will not run on it: the demo moves its "
                     "own clock, lets anyone act as anyone and sends reminders, which on a council's own data "
                     "would reach real people. Give the demo a database of its own (e.g. --database "
                     "sqlite:///perfbot-demo.db, filled with the sample data on first use); if this one is an "
                     "earlier demo's, holding only the sample data, `perfbot demo --fresh` starts it again.")
