"""The web demo channel's server: the chat page and its static script, and a small JSON API on the
same core as Slack and Teams. Built by a factory; nothing is created at import time.

- GET  /api/people               the person picker (groups, roles, example questions) and the clock
- POST /api/messages             {"as", "conversation", "text"} or {"as", "conversation", "action"}
                                 with action {"choice": value} or {"form": form_id, "values": {…}},
                                 or {"as", "conversation", "file": {"name", "size", "content"}}: a return's
                                 spreadsheet, content base64 (left out by the page when the file is larger
                                 than the core takes, which then refuses it by its size);
                                 an optional "id" is claimed in the store: a repeat is not answered again
- GET  /api/inbox?as=&after=     the person's notifications delivered after an inbox id
- GET  /api/clock                the demo clock
- POST /api/clock                {"date": "YYYY-MM-DD", "time": "HH:MM"}: move the clock forward, then
                                 run the scheduler's sweep and dispatch at once
- POST /api/start-again          {}: the sample data afresh and the clock back where the demo started
                                 (refused on a store holding other data)

The conversation goes through the `Core` protocol only (`handle`, `person_by_email`); the picker,
inbox and clock are the demo's controls and read the store and the scheduler's functions.
"""
from __future__ import annotations

import asyncio
import base64
import binascii
import functools
import json
import re
from datetime import date, time
from pathlib import Path
from typing import Any, Callable, TypeVar

from aiohttp import web

from bot.core.messages import Message, Person, Upload
from bot.core.ports import Core
from bot.metrics import AnswerMetrics
from bot.operations import Operations
from bot.web import fresh, guard
from bot.web.clock import ClockRefused, london
from bot.web.inbox import clock_json, inbox_after
from bot.web.people import VISITOR, picker
from bot.web.render import replies_json
from bot.web.scheduling import DemoScheduler
from bot.web.settings import WebSettings
from data_access.conversations import DeliveryClaims
from data_access.return_files import MAX_BYTES
from data_access.store import Store

STATIC = Path(__file__).parent / "static"
MAX_TEXT = 2000
MAX_FIELD = 200
CONVERSATION = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
MAX_BODY = MAX_BYTES * 4 // 3 + 64 * 1024  # a file the core takes, base64 in JSON
T = TypeVar("T")


async def _off_loop(function: Callable[..., T], *args: Any) -> T:
    """Run blocking work (the core, the database) in the loop's thread pool."""
    return await asyncio.get_running_loop().run_in_executor(None, functools.partial(function, *args))


async def _body(request: web.Request) -> dict[str, Any]:
    """The request's JSON object."""
    try:
        body = await request.json()
    except (ValueError, RecursionError):  # RecursionError: nested deeper than Python's parser goes
        raise guard.refuse(web.HTTPBadRequest, "The request is not valid JSON (or is nested too deeply).") from None
    if not isinstance(body, dict):
        raise guard.refuse(web.HTTPBadRequest, "Send a JSON object.")
    return body


def _person(core: Core, email: Any) -> Person | None:
    """The person chosen in the picker (None for the visitor); an unknown e-mail is refused."""
    if email in (None, VISITOR):
        return None
    person = core.person_by_email(email) if isinstance(email, str) else None
    if person is None:
        raise guard.refuse(web.HTTPBadRequest, "Nobody with that e-mail is in the people table.")
    return person


def _said(body: dict[str, Any]) -> tuple[str, dict[str, Any] | None]:
    """The text and the action of a message, checked for shape and size."""
    action = body.get("action")
    if action is None:
        text = body.get("text")
        if not isinstance(text, str) or not text.strip():
            raise guard.refuse(web.HTTPBadRequest, "Type a question or a value.")
        if len(text) > MAX_TEXT:
            raise guard.refuse(web.HTTPBadRequest, f"Messages are at most {MAX_TEXT:,} characters.")
        return text.strip(), None
    if isinstance(action, dict) and set(action) == {"choice"} and isinstance(action["choice"], str) \
            and len(action["choice"]) <= MAX_TEXT:
        return action["choice"], {"choice": action["choice"]}
    values = action.get("values") if isinstance(action, dict) else None
    if isinstance(action, dict) and set(action) == {"form", "values"} and isinstance(action["form"], str) \
            and isinstance(values, dict) and all(isinstance(k, str) and isinstance(v, str) and len(v) <= MAX_FIELD
                                                 for k, v in values.items()):
        return "", {"form": action["form"], "values": values}
    raise guard.refuse(web.HTTPBadRequest, 'An action is {"choice": value} or {"form": id, "values": {name: text}}.')


def _upload(body: dict[str, Any]) -> Upload | None:
    """The file a message carries, checked for shape; None when it carries none."""
    file = body.get("file")
    if file is None:
        return None
    if not (isinstance(file, dict) and isinstance(file.get("name"), str) and 0 < len(file["name"]) <= 255
            and isinstance(file.get("size"), int) and file["size"] >= 0
            and isinstance(file.get("content", ""), str)):
        raise guard.refuse(web.HTTPBadRequest, 'A file is {"name": text, "size": bytes, "content": base64}.')
    if "content" not in file:
        return Upload(file["name"], file["size"])
    try:
        content = base64.b64decode(file["content"], validate=True)
    except (binascii.Error, ValueError):
        raise guard.refuse(web.HTTPBadRequest, "The file's content is not base64.") from None
    return Upload(file["name"], len(content), content)


def _moment(body: dict[str, Any]) -> tuple[date, time]:
    """The date and time (London) the visitor wants the clock at; 09:00 when no time is given."""
    try:
        day = date.fromisoformat(str(body.get("date", "")))
        at = time.fromisoformat(str(body.get("time") or "09:00"))
    except ValueError:
        raise guard.refuse(web.HTTPBadRequest, "Give a date as YYYY-MM-DD and a time as HH:MM.") from None
    return day, at


def create_app(settings: WebSettings, store: Store, bot: Core, scheduler: DemoScheduler,
               metrics: AnswerMetrics | None = None) -> web.Application:
    """The aiohttp application of the web demo for `bot` on `store`; `scheduler` runs on the demo clock;
    /healthz, /readyz and /metrics report on the process (`metrics`: the bot's answers)."""
    clock, working = scheduler.clock, scheduler.working
    claims = DeliveryClaims(store.engine, store.clock)

    async def page(_request: web.Request) -> web.FileResponse:
        """The chat page."""
        return web.FileResponse(STATIC / "index.html")

    async def people(_request: web.Request) -> web.Response:
        """Everyone in the picker, grouped, with the council's name and the clock."""
        council = store.council_code()
        name = str(store.places["name"].get(council, "")) if council else ""
        groups = await _off_loop(picker, store)
        return web.json_response({"council": name, "groups": groups, "clock": clock_json(clock, working)})

    async def messages(request: web.Request) -> web.Response:
        """One message (typed, a button click, a form or a file) answered by the core."""
        if (request.content_length or 0) > MAX_BODY:
            raise web.HTTPRequestEntityTooLarge(MAX_BODY, request.content_length, content_type="application/json",
                                                text=json.dumps({"error": f"A file sent in the chat can be at most "
                                                                 f"{MAX_BYTES // 2 ** 20} MB; nothing was read."}))
        body = await _body(request)
        person = await _off_loop(_person, bot, body.get("as"))
        upload = _upload(body)
        text, action = ("", None) if upload is not None else _said(body)
        conversation = body.get("conversation") or "page"
        if not isinstance(conversation, str) or not CONVERSATION.match(conversation):
            raise guard.refuse(web.HTTPBadRequest, "A conversation id is 1–64 letters, digits, '-' or '_'.")
        delivery = body.get("id")
        if delivery is not None and not (isinstance(delivery, str) and CONVERSATION.match(delivery)):
            raise guard.refuse(web.HTTPBadRequest, "A message id is 1–64 letters, digits, '-' or '_'.")
        if delivery is not None and not await _off_loop(claims.should_answer, (f"web:{conversation}:{delivery}",)):
            return web.json_response({"replies": [], "repeat": True, "clock": clock_json(clock, working)})
        message = Message(text, person, conversation, channel="web", action=action,
                          raw={**body, "file": {"name": upload.name, "size": upload.size}} if upload else body,
                          files=(upload,) if upload else ())
        replies = await _off_loop(bot.handle, message)
        return web.json_response({"replies": replies_json(replies), "clock": clock_json(clock, working)})

    async def inbox(request: web.Request) -> web.Response:
        """The chosen person's notifications after an inbox id."""
        person = await _off_loop(_person, bot, request.query.get("as", VISITOR))
        try:
            after = int(request.query.get("after", "0"))
        except ValueError:
            raise guard.refuse(web.HTTPBadRequest, "'after' is an inbox message id.") from None
        found = await _off_loop(inbox_after, store, person.email, after) if person else []
        return web.json_response({"messages": found, "clock": clock_json(clock, working)})

    async def get_clock(_request: web.Request) -> web.Response:
        """The demo clock."""
        return web.json_response(clock_json(clock, working))

    async def set_clock(request: web.Request) -> web.Response:
        """Move the demo clock forward, then sweep and dispatch at that moment."""
        day, at = _moment(await _body(request))
        try:
            done = await _off_loop(scheduler.move_to, london(day, at))
        except ClockRefused as refused:
            raise guard.refuse(web.HTTPConflict, str(refused)) from None
        return web.json_response({"clock": clock_json(clock, working), "queued": done.queued,
                                  "delivered": done.delivered, "note": done.note})

    async def start_again(request: web.Request) -> web.Response:
        """Start the demo again: every change forgotten, the clock back where it started."""
        await _body(request)
        try:
            done = await _off_loop(scheduler.start_again, fresh.start_again)
        except fresh.NotTheDemo as refused:
            raise guard.refuse(web.HTTPConflict, str(refused)) from None
        return web.json_response({"clock": clock_json(clock, working), "delivered": done.delivered})

    app = web.Application(middlewares=guard.middlewares(settings), client_max_size=MAX_BODY)
    app.on_response_prepare.append(guard.add_headers)
    app.router.add_get("/", page)
    app.router.add_get("/api/people", people)
    app.router.add_post("/api/messages", messages)
    app.router.add_get("/api/inbox", inbox)
    app.router.add_get("/api/clock", get_clock)
    app.router.add_post("/api/clock", set_clock)
    app.router.add_post("/api/start-again", start_again)
    if settings.authenticated:
        app.add_routes(guard.login_routes(settings, (STATIC / "login.html").read_text(encoding="utf-8")))
    app.router.add_static("/static", STATIC, follow_symlinks=False)
    Operations(store, metrics or AnswerMetrics()).add_routes(app)
    return app
