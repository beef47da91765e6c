"""Every perfbot server closes a half-sent request (a header timeout) and refuses JSON nested
100,000 deep with 400, not 500 (issue 24, item 11): the Teams endpoint here, the web chat in
tests/web/test_web_limits.py and the Slack endpoint in tests/slack/test_slack_limits.py."""
from __future__ import annotations

import asyncio
import socket

import pytest
from aiohttp import ClientSession, web

from bot import workers
from bot.teams.app import create_app as teams_app
from bot.teams.settings import TeamsSettings
from tests.half_sent import seconds_until_closed

DEEP = "[" * 100_000 + "]" * 100_000


class NoCore:
    """A core that is never reached: these requests are refused before any answer."""

    def __getattr__(self, name: str):
        raise AssertionError(f"the core was reached ({name})")


async def served(app: web.Application, check) -> object:
    runner = workers.app_runner(app)
    await runner.setup()
    sock = socket.create_server(("127.0.0.1", 0))
    await web.SockSite(runner, sock).start()
    try:
        return await check(f"http://127.0.0.1:{sock.getsockname()[1]}")
    finally:
        await runner.cleanup()


def closing_and_deep(path: str):
    async def check(url: str) -> tuple[float, int, str]:
        held = await asyncio.get_running_loop().run_in_executor(None, seconds_until_closed, url)
        async with ClientSession() as session:
            async with session.post(url + path, data=DEEP, headers={"Content-Type": "application/json"}) as response:
                return held, response.status, await response.text()
    return check


@pytest.fixture(autouse=True)
def short_header_timeout(monkeypatch) -> None:
    monkeypatch.setattr(workers, "HEADER_SECONDS", 1.0)


def test_the_teams_endpoint() -> None:
    held, status, said = asyncio.run(served(teams_app(TeamsSettings(), NoCore()), closing_and_deep("/api/messages")))
    assert held < 3.0
    assert status == 400 and "nested too deeply" in said
