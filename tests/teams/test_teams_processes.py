"""Two real `perfbot serve teams` processes on one database, posted Bot Framework activities,
replying into the local connector mock: an activity redelivered to both is answered once, and a
KPI owner's "are you sure?" asked by one process is confirmed through the other, after the first
was SIGKILLed."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import ClientSession

from bot.launch import Served
from bot.teams.testing import MockConnector
from data_access.store import Store

TENANT = "9188040d-6c67-4c5b-b112-36a304b66dad"
ENVIRONMENT = {"TEAMS_HOST": "127.0.0.1", "TEAMS_PORT": "0", "MICROSOFT_APP_ID": "", "MICROSOFT_APP_PASSWORD": "",
               "MICROSOFT_APP_TENANT_ID": "", "TEAMS_PUBLIC_URL": ""}


@pytest.fixture
def serve(store: Store, database_url: str, tmp_path: Path) -> Iterator:
    """`serve()` starts one more `perfbot serve teams` process on the test's demo-council database."""
    started: list[Served] = []

    def start() -> Served:
        started.append(Served("teams", database_url, ENVIRONMENT, 1, tmp_path / "serve.log"))
        return started[-1]

    yield start
    for process in started:
        process.stop()


def message(service_url: str, text: str, activity_id: str, sender: str = "29:demo-0034") -> dict[str, Any]:
    """A message in a personal chat with the bot, as Teams posts it (Maya, the NEET owner, by default)."""
    return {
        "text": text, "textFormat": "plain", "type": "message", "timestamp": "2026-12-01T09:15:02.123Z",
        "id": activity_id, "channelId": "msteams", "serviceUrl": service_url,
        "from": {"id": sender, "name": "Council officer"},
        "conversation": {"conversationType": "personal", "tenantId": TENANT, "id": f"a:1personal-{sender}"},
        "recipient": {"id": "28:perfbot", "name": "perfbot"},
        "channelData": {"tenant": {"id": TENANT}}, "locale": "en-GB",
    }


async def _post(session: ClientSession, process: Served, activity: dict[str, Any]) -> int:
    async with session.post(process.url, json=activity) as response:
        return response.status


def neet_october(store: Store) -> list[float]:
    frame = store.observations(["NEET"], ["E08000031"])
    return frame[frame["period"] == "2026-10"]["value"].tolist()


async def test_one_activity_delivered_four_times_to_two_processes_is_answered_once(serve) -> None:
    first, second = serve(), serve()
    async with MockConnector() as connector, ClientSession() as session:
        activity = message(connector.url, "What's the latest NEET rate?", "1701", sender="29:demo-0001")
        statuses = [await _post(session, process, activity) for _ in range(4) for process in (first, second)]
        assert statuses.count(201) == 1 and statuses.count(200) == 7
        replies = connector.in_conversation("a:1personal-29:demo-0001")
        assert len(replies) == 1 and "5.3%" in replies[0].text


async def test_a_confirmation_asked_by_a_killed_process_is_recorded_by_another(serve, store: Store) -> None:
    first, second = serve(), serve()
    async with MockConnector() as connector, ClientSession() as session:
        assert await _post(session, first, message(connector.url, "NEET for October is 55%", "1801")) == 201
        asked = [posted.text for posted in connector.in_conversation("a:1personal-29:demo-0034")]
        assert any("Record **55%**" in text for text in asked)
        first.kill()
        yes = message(connector.url, "yes", "1802")
        assert [await _post(session, second, yes) for _ in range(2)] == [201, 200]
        answered = [posted.text for posted in connector.in_conversation("a:1personal-29:demo-0034")][len(asked):]
        assert len(answered) == 1 and "Recorded" in answered[0]
        assert neet_october(store) == [55.0]


async def test_a_conversation_alternating_between_processes_keeps_its_follow_ups(serve) -> None:
    first, second = serve(), serve()
    async with MockConnector() as connector, ClientSession() as session:
        assert await _post(session, first, message(connector.url, "What's the latest NEET rate?", "1901", "29:demo-0001")) == 201
        assert await _post(session, second, message(connector.url, "and for Penn?", "1902", "29:demo-0001")) == 201
        first_answer, follow_up = [posted.text for posted in connector.in_conversation("a:1personal-29:demo-0001")][:2]
        assert "5.3%" in first_answer and "NEET" in follow_up and "Penn" in follow_up
