"""Starting the demo again (issue 19): POST /api/start-again (the page's "Start again") and
`perfbot demo --fresh` put the sample data and the demo clock back as they were at the start — a
value submitted, the reminders delivered and the clock moved forward are gone — under the same
guards as the rest of the API, and refuse a store holding a council's own data."""
from __future__ import annotations

import json
import sqlite3
import urllib.request
from pathlib import Path
from typing import Any

from bot.web.settings import WebSettings

from .conftest import Demo, client_for, start_demo
from .test_web_api import CHLOE, MAYA, TOKEN, say, shown

NEET_OCTOBER = "16-17 year olds not in education, employment or training (NEET) or not known, October 2026"
SUBMIT = {"indicator": "NEET", "period": "October 2026", "value": "5.4"}


async def submit_neet(client: Any) -> None:
    form = next(r for r in await say(client, MAYA, "submit value") if r["kind"] == "form")
    recorded = await say(client, MAYA, action={"form": form["form_id"], "values": SUBMIT})
    assert shown(recorded).startswith("Recorded:")


async def test_start_again_forgets_values_notifications_and_the_clock(demo: Demo) -> None:
    async with client_for(demo.app()) as client:
        await submit_neet(client)
        await client.post("/api/clock", json={"date": "2026-12-10", "time": "09:00"})
        reminded = await (await client.get(f"/api/inbox?as={CHLOE}&after=0")).json()
        response = await client.post("/api/start-again", json={})
        started = await response.json()
        inbox = await (await client.get(f"/api/inbox?as={CHLOE}&after=0")).json()
        owed = await say(client, MAYA, "What returns do I owe?")
        back_again = await client.post("/api/clock", json={"date": "2026-12-10", "time": "09:00"})
    assert len(reminded["messages"]) == 1
    assert response.status == 200
    assert started["clock"]["label"] == "Fri 27 Nov 2026, 09:00"
    assert inbox["messages"] == []
    assert NEET_OCTOBER in shown(owed)
    assert back_again.status == 200  # the clock may go to 10 December again


async def test_start_again_keeps_the_guards_of_the_api(demo: Demo) -> None:
    async with client_for(demo.app()) as client:
        cross_site = await client.post("/api/start-again", json={}, headers={"Origin": "http://evil.example"})
        form_post = await client.post("/api/start-again", data={"confirm": "yes"})
        not_an_object = await client.post("/api/start-again", json=[])
    async with client_for(demo.app(WebSettings(host="127.0.0.1", port=0, auth_token=TOKEN))) as client:
        signed_out = await client.post("/api/start-again", json={})
        bearer = await client.post("/api/start-again", json={}, headers={"Authorization": f"Bearer {TOKEN}"})
    assert cross_site.status == 403 and form_post.status == 415 and not_an_object.status == 400
    assert signed_out.status == 401
    assert bearer.status == 200


async def test_start_again_refuses_a_store_with_the_councils_own_data(demo: Demo, tmp_path: Path) -> None:
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "observations.csv").write_text("indicator_code,geography_code,period,value,status,source\n"
                                            "NEET,E08000031,2026-09,5.9,final,Council return\n")
    demo.store.import_files([extra], actor="performance team")
    async with client_for(demo.app()) as client:
        refused = await client.post("/api/start-again", json={})
        message = (await refused.json())["error"]
    assert refused.status == 409
    assert "holds data imported by 'performance team'" in message and "Start again on the demo's own" in message
    with demo.store.engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT count(*) FROM audit_log WHERE actor = 'performance team'").scalar()


def post(url: str, body: dict[str, Any]) -> Any:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.load(response)


def test_demo_fresh_starts_from_the_sample_data_and_the_start_day(demo_database: Path, tmp_path: Path) -> None:
    first = start_demo(tmp_path, demo_database, "--port", "0", "--today", "2026-11-27")
    try:
        post(first.url + "/api/messages", {"as": MAYA, "text": "NEET for October 2026 is 5.4%"})
        moved = post(first.url + "/api/clock", {"date": "2026-12-10"})
        assert any(who["email"] == CHLOE for who in moved["delivered"])
    finally:
        assert first.stop() == 0
    with sqlite3.connect(demo_database) as connection:
        assert connection.execute("SELECT count(*) FROM observation WHERE recorded_by = ?", (MAYA,)).fetchone()[0]
    fresh = start_demo(tmp_path, demo_database, "--port", "0", "--today", "2026-11-27", "--fresh")
    try:
        assert "Started again: every earlier change forgotten" in "\n".join(fresh.lines)
        with urllib.request.urlopen(fresh.url + f"/api/inbox?as={CHLOE}&after=0", timeout=60) as response:
            assert json.load(response)["messages"] == []
    finally:
        assert fresh.stop() == 0
    with sqlite3.connect(demo_database) as connection:
        assert connection.execute("SELECT count(*) FROM observation WHERE recorded_by = ?", (MAYA,)).fetchone()[0] == 0
        assert connection.execute("SELECT count(*) FROM inbox_message WHERE recipient = ?", (CHLOE,)).fetchone()[0] == 0
