"""Test support for the Teams channel: a fake core satisfying the `Core` protocol, a running bot
wired to a mock Bot Framework connector, `async def` tests run on a fresh event loop, and a guard
that fails any attempt to reach a host other than this machine."""
from __future__ import annotations

import asyncio
import inspect
import io
import socket
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiohttp import ClientResponse
from aiohttp.test_utils import TestClient, TestServer
from aiohttp.web import Application, Request, Response, json_response
from PIL import Image

from bot.core.messages import (
    CardReply,
    ChartReply,
    Choice,
    ChoicesReply,
    FormField,
    FormReply,
    Message,
    Person,
    Reply,
    TextReply,
)
from bot.teams.app import create_app
from bot.teams.links import HostedLinks
from bot.teams.settings import TeamsSettings
from bot.teams.testing import MockConnector, Posted

BEN = Person(
    email="ben.singh@demo-council.example",
    name="Ben Singh",
    roles=frozenset({"leadership"}),
    service="Corporate",
    teams_user_id="29:demo-0001",
)
MAYA = Person(
    email="maya.rowe@demo-council.example",
    name="Maya Rowe",
    roles=frozenset({"kpi_owner"}),
    service="Children's Services",
)
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}


def png(width: int, height: int) -> bytes:
    """A real PNG of the given size."""
    out = io.BytesIO()
    Image.new("RGB", (width, height), (31, 78, 121)).save(out, format="PNG")
    return out.getvalue()


@dataclass(frozen=True)
class Poll:
    """A reply kind no channel knows, to check that the channel refuses it loudly."""

    question: str


@dataclass
class FakeCore:
    """A core that echoes, with canned replies for a few trigger words, and remembers everything."""

    people: list[Person] = field(default_factory=lambda: [BEN, MAYA])
    handled: list[Message] = field(default_factory=list)
    references: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    links: list[tuple[str, str, str]] = field(default_factory=list)

    def handle(self, message: Message) -> list[Reply]:
        """Answer by trigger word, else echo the text and who asked."""
        self.handled.append(message)
        text = message.text.lower()
        if message.action and "form" in message.action:
            return [TextReply(f"Recorded {message.action['values']['value']} for {message.action['values']['period']}")]
        if "ambiguous" in text:
            choices = (Choice("Recycling rate", "recycling rate"), Choice("Residual waste", "residual waste"))
            return [ChoicesReply("Which did you mean?", choices)]
        if "chart" in text:
            return [ChartReply(png(4, 3), alt_text="Recycling rose from 30.1% to 35.5%.", title="Recycling rate")]
        if "form" in text:
            fields = (FormField("value", "Value (%)", hint="e.g. 5.4"), FormField("period", "Period", value="2026-10"))
            return [FormReply("submit-NEET", "Submit NEET", fields)]
        if "card" in text:
            return [CardReply("NEET return due", ("*Due* 10 November 2026", "• Owner: Maya Rowe"), (Choice("Submit now", "submit NEET"),))]
        if "long" in text:
            return [TextReply("\n".join(f"• Ward {n}: " + "fly tipping reports " * 6 for n in range(1200)))]
        if "unsupported" in text:
            return [Poll("Which chart do you prefer?")]  # type: ignore[list-item]
        if "boom" in text:
            raise RuntimeError("the store is down")
        who = message.person.name if message.person else "someone unknown"
        return [TextReply(f"You said: {message.text} (*{who}*)")]

    def person_by_channel_id(self, channel: str, user_id: str) -> Person | None:
        """The person with this Teams id."""
        return next((p for p in self.people if channel == "teams" and p.teams_user_id == user_id), None)

    def person_by_email(self, email: str) -> Person | None:
        """The person with this e-mail, ignoring case."""
        return next((p for p in self.people if p.email.lower() == email.lower()), None)

    def link_channel_id(self, channel: str, email: str, user_id: str) -> bool:
        """Record the link."""
        self.links.append((channel, email, user_id))
        return True

    def save_conversation_reference(self, channel: str, key: str, reference: dict[str, Any]) -> None:
        """Keep the reference in memory."""
        self.references[(channel, key)] = reference

    def conversation_reference(self, channel: str, key: str) -> dict[str, Any] | None:
        """The kept reference."""
        return self.references.get((channel, key))


@dataclass
class RunningBot:
    """The Teams app under test, its mock connector, its core and the messages it updated."""

    app: Application
    client: TestClient
    connector: MockConnector
    core: Any
    updated: list[Posted] = field(default_factory=list)  # messages the bot updated in place

    async def post(self, activity: dict[str, Any], **headers: str) -> ClientResponse:
        """POST an activity to /api/messages, as the Bot Framework does."""
        return await self.client.post("/api/messages", json=activity, headers=headers)


@asynccontextmanager
async def running_bot(
    core: Any, settings: TeamsSettings | None = None, members: dict[str, dict[str, Any]] | None = None,
    links: HostedLinks | None = None,
) -> AsyncIterator[RunningBot]:
    """Start the mock connector and the Teams app around `core` on port 0 (serving `links` when
    given); stop both afterwards."""
    connector = MockConnector(members)
    updated: list[Posted] = []

    async def update(request: Request) -> Response:
        """Record an update of a posted message, as the connector's PUT …/activities/{id} does."""
        updated.append(Posted(request.match_info["conversation"], request.match_info["activity"], await request.json(), 0.0))
        return json_response({"id": request.match_info["activity"]})

    connector._server.app.router.add_put("/v3/conversations/{conversation}/activities/{activity}", update)
    async with connector:
        app = create_app(settings or TeamsSettings(), core, links=links)
        async with TestClient(TestServer(app, host="127.0.0.1", port=0)) as client:
            yield RunningBot(app, client, connector, core, updated)


@pytest.fixture
def core() -> FakeCore:
    """A fresh fake core knowing Ben (by Teams id) and Maya (by e-mail only)."""
    return FakeCore()


@pytest.fixture
def ben() -> Person:
    """Ben Singh, known by Teams id 29:demo-0001."""
    return BEN


@pytest.fixture
def maya() -> Person:
    """Maya Rowe, known by e-mail only."""
    return MAYA


@pytest.fixture
def start_bot(core: FakeCore) -> Callable[..., AbstractAsyncContextManager[RunningBot]]:
    """`async with start_bot(settings=…, members=…) as bot:` runs the Teams app around the fake
    core (or around `core=…`)."""

    def start(
        *, settings: TeamsSettings | None = None, members: dict[str, dict[str, Any]] | None = None, core: Any = core,
        links: HostedLinks | None = None,
    ) -> AbstractAsyncContextManager[RunningBot]:
        return running_bot(core, settings, members, links)

    return start


@pytest.fixture
def make_png() -> Callable[[int, int], bytes]:
    """Make a real PNG of a given width and height."""
    return png


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """Run `async def` tests in this folder on a fresh event loop."""
    if not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    arguments = {name: pyfuncitem.funcargs[name] for name in pyfuncitem._fixtureinfo.argnames}
    asyncio.run(pyfuncitem.obj(**arguments))
    return True


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail any name lookup for a host other than this machine (token or key fetches included)."""
    real_getaddrinfo = socket.getaddrinfo

    def local_only(host: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else host
        if name not in LOCAL_HOSTS:
            raise OSError(f"tests must not reach the network (tried {name})")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", local_only)
