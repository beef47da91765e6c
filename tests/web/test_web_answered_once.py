"""A form posted twice from the web chat (a double click, a retried request) is recorded once: each
message carries an id, claimed in the store before it is answered."""
from __future__ import annotations

from .conftest import Demo, client_for
from .test_web_api import shown

MAYA = "maya.rowe@demo-council.example"
FORM = {"form": "submit-value", "values": {"indicator": "NEET", "period": "October 2026", "value": "5.4"}}


async def test_a_form_posted_twice_is_recorded_once(demo: Demo) -> None:
    async with client_for(demo.app()) as client:
        body = {"as": MAYA, "conversation": "twice", "id": "4f1c-77", "action": FORM}
        first, again = [await (await client.post("/api/messages", json=body)).json() for _ in range(2)]
        refused = await client.post("/api/messages", json={**body, "id": "<script>"})
        assert refused.status == 400 and "message id" in (await refused.json())["error"]
    assert shown(first["replies"]).startswith("Recorded")
    assert again["replies"] == [] and again["repeat"] is True
    with demo.store.engine.connect() as connection:
        submitted = connection.exec_driver_sql(
            "SELECT count(*) FROM audit_log WHERE action = 'submit' AND entity_key = 'NEET|E08000031|2026-10'").scalar()
    assert submitted == 1
