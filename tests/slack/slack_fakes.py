"""Test doubles for the Slack channel: a fake core that satisfies the Core protocol and returns known
replies, the people it knows, and a driver that plays Slack's part over HTTP with signed requests."""
from __future__ import annotations

import json
import struct
import threading
import urllib.error
import urllib.request
import zlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from slack_payloads import as_form, as_interaction

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
from bot.slack.server import HttpServer
from bot.slack.testing import MockSlack, signed_headers

SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
BOT_TOKEN = "xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy"
APP_TOKEN = "xapp-1-A0PERFBOT-1111-7f3c0f2e5d"

COUNCILLOR = Person(email="cllr.jones@trafford.gov.uk", name="Cllr Jones", roles=frozenset({"councillor"}),
                    ward_code="E05000829", slack_user_id="U0001001")
OFFICER = Person(email="a.patel@trafford.gov.uk", name="Asha Patel", roles=frozenset({"kpi_owner"}))
STRANGER_EMAIL = "visitor@example.org"
SLACK_EMAILS = {"U0001001": COUNCILLOR.email, "U0002002": "A.Patel@Trafford.gov.uk", "U0009009": STRANGER_EMAIL}

AMBIGUOUS = ChoicesReply(
    "Which measure of unemployment do you mean?",
    (Choice("Claimant count", "claimant count in my ward vs region"),
     Choice("Unemployment rate (ONS)", "unemployment rate in my ward vs region")),
)
LONG_PARAGRAPH = "Ward figures: " + "NEET 5.3% against 5.0% regionally; " * 40


def tiny_png() -> bytes:
    """A real PNG of one pixel."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) \
        + chunk(b"IEND", b"")


@dataclass(frozen=True)
class Unknown:
    """A reply kind no channel knows."""

    text: str


class FakeCore:
    """Stands in for the core (bot.core.ports.Core): known phrases get known replies; it records
    every message and every identity link. 'slow' waits until the test sets `gate`."""

    def __init__(self) -> None:
        self.people = {p.email.lower(): p for p in (COUNCILLOR, OFFICER)}
        self.linked: dict[str, str] = {}
        self.messages: list[Message] = []
        self.checked: list[Message] = []
        self.references: dict[tuple[str, str], dict[str, Any]] = {}
        self.gate = threading.Event()
        self.gate.set()
        self._lock = threading.Lock()

    def handle(self, message: Message) -> list[Reply]:
        """Known replies for known phrases, else an echo naming who asked."""
        with self._lock:
            self.messages.append(message)
        text = message.text
        if message.action and "form" in message.action:
            return [TextReply(f"Recorded {json.dumps(message.action['values'], sort_keys=True)}")]
        if text == "ambiguous":
            return [AMBIGUOUS]
        if text == "chart":
            return [TextReply("NEET rate, last 8 quarters:"),
                    ChartReply(tiny_png(), "Line chart: NEET rate fell from 6.1% to 5.3% over two years.",
                               "NEET rate (16-17 year olds)")]
        if text == "long":
            return [TextReply("\n\n".join([LONG_PARAGRAPH] * 8))]
        if text == "form":
            return [FormReply("neet-2024-q4", "Submit NEET rate for 2024 Q4",
                              (FormField("value", "Value (%)", hint="One decimal place"),
                               FormField("note", "Note", value="on target")))]
        if text == "card":
            return [CardReply("Returns due this week", ("• NEET rate — due Friday", "• Recycling — due Monday"),
                              (Choice("Remind me later", "remind me later"),))]
        if text == "alert":
            return [CardReply("NEET has turned red", ("16-17 year olds NEET, October 2026: 6.1%",),
                              (Choice("Show trend", "NEET trend"), Choice("Add commentary", "commentary for NEET")))]
        if text == "slow":
            assert self.gate.wait(timeout=10), "the test never opened the gate"
            return [TextReply("done at last")]
        if text == "broken":
            raise RuntimeError("the store is down")
        if text == "unsupported":
            return [Unknown("?")]  # type: ignore[list-item]
        who = message.person.name if message.person else "public"
        return [TextReply(f"[{who}] {text}")]

    def check_form(self, message: Message) -> dict[str, str]:
        """A value that is no number is refused, as the core would; "broken" fails."""
        with self._lock:
            self.checked.append(message)
        value = ((message.action or {}).get("values") or {}).get("value", "")
        if value == "broken":
            raise RuntimeError("the store is down")
        return {} if value.replace(".", "", 1).isdigit() else {"value": f"“{value}” is not a number."}

    def person_by_channel_id(self, channel: str, user_id: str) -> Person | None:
        """The person linked to this Slack id, by the people table or a stored link."""
        for person in self.people.values():
            if channel == "slack" and person.slack_user_id == user_id:
                return person
        email = self.linked.get(user_id)
        return self.people.get(email) if email else None

    def person_by_email(self, email: str) -> Person | None:
        """The person with this e-mail, case-insensitively."""
        return self.people.get(email.lower())

    def link_channel_id(self, channel: str, email: str, user_id: str) -> bool:
        """Remember the Slack id of a person."""
        assert channel == "slack"
        self.linked[user_id] = email.lower()
        return True

    def save_conversation_reference(self, channel: str, key: str, reference: dict[str, Any]) -> None:
        """Store a reference."""
        self.references[(channel, key)] = reference

    def conversation_reference(self, channel: str, key: str) -> dict[str, Any] | None:
        """A stored reference."""
        return self.references.get((channel, key))


@dataclass(frozen=True)
class Response:
    """What the bot's HTTP endpoint answered."""

    status: int
    body: str

    def json(self) -> Any:
        """The body as JSON."""
        return json.loads(self.body)


class SlackDriver:
    """Plays Slack's part: sends signed requests to the bot's HTTP endpoint."""

    def __init__(self, server: HttpServer, mock: MockSlack, executor: ThreadPoolExecutor) -> None:
        self.server = server
        self.url = server.url
        self.mock = mock
        self.executor = executor

    def send(self, body: str, content_type: str, headers: dict[str, str] | None = None,
             timestamp: int | None = None, secret: str = SIGNING_SECRET) -> Response:
        """POST `body` to /slack/events, signed with `secret` at `timestamp` (default now)."""
        all_headers = {"Content-Type": content_type, **signed_headers(secret, body, timestamp), **(headers or {})}
        request = urllib.request.Request(self.url, data=body.encode(), headers=all_headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=10) as reply:
                return Response(reply.status, reply.read().decode())
        except urllib.error.HTTPError as error:
            return Response(error.code, error.read().decode())

    def event(self, payload: dict[str, Any], retry: int | None = None) -> Response:
        """Deliver an Events API payload (as retry number `retry`, if given)."""
        headers = {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"} if retry else {}
        return self.send(json.dumps(payload), "application/json", headers)

    def command(self, fields: dict[str, str]) -> Response:
        """Deliver a slash command."""
        return self.send(as_form(fields), "application/x-www-form-urlencoded")

    def action(self, payload: dict[str, Any]) -> Response:
        """Deliver an interaction (button click)."""
        return self.send(as_interaction(payload), "application/x-www-form-urlencoded")

    def finish(self) -> None:
        """Wait until every answer to what was sent so far has been posted (no new ones may start)."""
        self.server.handed_over()
        self.executor.shutdown(wait=True)

    def posts(self) -> list[dict[str, Any]]:
        """Arguments of every chat.postMessage so far."""
        return [call.args for call in self.mock.calls("chat.postMessage")]
