"""Running the Slack channel: Socket Mode when SLACK_APP_TOKEN is set (the bot connects out, so no
public URL is needed behind a council firewall), otherwise the HTTP Events API on /slack/events.

The HTTP side is an aiohttp application (C-accelerated parsing, no thread per request). An Events
API delivery is always acknowledged with an empty 200: once its signature is checked it is written
to the store's inbox (bot/slack/inbox.py; a redelivery is recognised there and acknowledged without
being answered again) and then the 200 goes back, so a process that dies after acknowledging loses
nothing: another takes the event over. bolt's `App.dispatch` (self-event filter, listener, answer)
runs on the worker pool once the burst it came in has been acknowledged: the acknowledgement never
waits for bolt or competes with answers for long. When the store cannot be written, the event is
still acknowledged and answered from memory (the person then hears that nothing could be done). Slash commands, button clicks and url_verification
need bolt's response, so they are dispatched inline, which is CPU-only and takes a fraction of a
millisecond.
"""
from __future__ import annotations

import asyncio
import json
import logging
import socket
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, ThreadPoolExecutor
from urllib.parse import parse_qs

from aiohttp import web
from slack_bolt import App
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_bolt.request import BoltRequest
from slack_sdk.signature import SignatureVerifier
from sqlalchemy.exc import SQLAlchemyError

from bot.core.ports import Core
from bot.operations import Operations
from bot.slack.app import create_app, report_failure
from bot.slack.dedup import delivery_keys
from bot.slack.inbox import ACKNOWLEDGED_ON_A_WORKER, InboxWriter, Rescuer, answer_entry
from bot.slack.settings import EVENTS_PATH, SlackSettings
from bot.workers import app_runner, listening_url, serve_until_stopped
from data_access.conversations import DeliveryClaims
from data_access.inbox import Entry, Inbox

logger = logging.getLogger(__name__)

BACKLOG = 1024  # a burst of Slack deliveries is queued by the kernel, not refused
QUIET_SECONDS = 0.005  # events go to the answering threads once all are acknowledged and deliveries pause this long…
LONGEST_WAIT_SECONDS = 1.0  # …or this long after the first one waiting, whatever else arrives


def http_app(app: App, executor: Executor, signing_secret: str | None,
             operations: Operations | None = None, inbox: Inbox | None = None) -> web.Application:
    """An aiohttp application serving `app` on POST /slack/events (and /healthz, /readyz and
    /metrics with `operations`); `executor` must be the pool given to `create_app`. With `inbox`,
    events are written there before they are acknowledged."""
    verifier = SignatureVerifier(signing_secret) if signing_secret else None
    writer = InboxWriter(inbox) if inbox is not None else None

    def dispatch_acknowledged(body: str, headers: dict[str, str | Sequence[str]], entry: Entry | None) -> None:
        if entry is not None and inbox is not None:
            answer_entry(app, inbox, entry)
        else:
            app.dispatch(BoltRequest(body=body, headers=headers, context={ACKNOWLEDGED_ON_A_WORKER: True}))

    def hand_over(body: str, headers: dict[str, str | Sequence[str]], entry: Entry | None) -> None:
        executor.submit(dispatch_acknowledged, body, headers, entry).add_done_callback(report_failure)

    burst = BurstHandOver(hand_over)

    async def written(payload: dict, body: str) -> tuple[bool, Entry | None]:
        """(answer it, its inbox entry): a repeat is not answered; an event the store cannot take
        is answered from memory."""
        if writer is None:
            return True, None
        try:
            entry = await writer.write(body, delivery_keys(payload))
        except SQLAlchemyError as error:
            logger.warning("could not write Slack event %s to the inbox (%s): answering it from memory",
                           payload.get("event_id", ""), type(error).__name__)
            return True, None
        if entry is None:
            logger.info("ignored repeated Slack event %s", payload.get("event_id", ""))
        return entry is not None, entry

    async def events(request: web.Request) -> web.Response:
        burst.receiving()
        try:
            return await acknowledge(request)
        finally:
            burst.acknowledged(asyncio.get_running_loop())

    async def acknowledge(request: web.Request) -> web.Response:
        body = (await request.read()).decode("utf-8", errors="replace")
        headers: dict[str, str | Sequence[str]] = dict(request.headers)
        if not _signed(verifier, body, request.headers.get("X-Slack-Request-Timestamp", ""),
                       request.headers.get("X-Slack-Signature", "")):
            logger.warning("rejected a Slack request with a missing, bad or stale signature")
            return web.json_response({"error": "invalid request"}, status=401)
        payload = _payload(request.content_type, body)
        if payload is None:
            return web.json_response({"error": "the body is not a Slack payload (a JSON object or a form)"}, status=400)
        if payload.get("type") == "event_callback":
            answer, entry = await written(payload, body)
            if answer:
                burst.add(asyncio.get_running_loop(), body, headers, entry)
            return web.Response(status=200)
        return await to_aiohttp_response(
            app.dispatch(BoltRequest(body=body, query=request.query_string, headers=headers))
        )

    async def hand_over_the_rest(_app: web.Application) -> None:
        """On shutdown, answer what was acknowledged and is still waiting for its burst to end."""
        burst.flush()
        if writer is not None:
            await writer.close()

    web_app = web.Application()
    web_app[HAND_OVER] = burst
    web_app.on_shutdown.append(hand_over_the_rest)
    web_app.router.add_post(EVENTS_PATH, events)
    if operations is not None:
        operations.add_routes(web_app)
    return web_app


class BurstHandOver:
    """Hands acknowledged events to the worker pool once no acknowledgement is under way in this
    process and deliveries have paused for QUIET_SECONDS (at the latest LONGEST_WAIT_SECONDS after
    the first of them): a burst is acknowledged in full before answers start, since a woken worker
    would otherwise take the interpreter lock from the acknowledgements (and the answers' queries
    the database from the inbox's writes)."""

    def __init__(self, hand_over: Callable[[str, dict[str, str | Sequence[str]], Entry | None], None]) -> None:
        self._hand_over = hand_over
        self._queued: list[tuple[str, dict[str, str | Sequence[str]], Entry | None]] = []
        self._timer: asyncio.TimerHandle | None = None
        self._first = 0.0
        self._acknowledging = 0

    def receiving(self) -> None:
        """A delivery has arrived and is not yet acknowledged (on the loop)."""
        self._acknowledging += 1

    def acknowledged(self, loop: asyncio.AbstractEventLoop) -> None:
        """A delivery's response is going back (on the loop)."""
        self._acknowledging -= 1
        if self._queued and not self._acknowledging:
            self._wait(loop)

    def add(self, loop: asyncio.AbstractEventLoop, body: str, headers: dict[str, str | Sequence[str]],
            entry: Entry | None = None) -> None:
        """Queue an acknowledged event, and its inbox entry if it has one (on the loop)."""
        if not self._queued:
            self._first = loop.time()
        self._queued.append((body, headers, entry))
        self._wait(loop)

    def _wait(self, loop: asyncio.AbstractEventLoop) -> None:
        if self._timer is not None:
            self._timer.cancel()
        self._timer = loop.call_at(min(loop.time() + QUIET_SECONDS, self._first + LONGEST_WAIT_SECONDS),
                                   self._due, loop)

    def _due(self, loop: asyncio.AbstractEventLoop) -> None:
        self._timer = None
        if not self._acknowledging or loop.time() >= self._first + LONGEST_WAIT_SECONDS:
            self.flush()
        else:  # the last acknowledgement under way starts the wait again; the longest one still holds
            self._timer = loop.call_at(self._first + LONGEST_WAIT_SECONDS, self._due, loop)

    def flush(self) -> None:
        """Hand everything queued to the pool now (on the loop)."""
        if self._timer is not None:
            self._timer.cancel()
        self._timer = None
        queued, self._queued = self._queued, []
        for body, headers, entry in queued:
            self._hand_over(body, headers, entry)


HAND_OVER = web.AppKey("hand_over", BurstHandOver)


def _signed(verifier: SignatureVerifier | None, body: str, timestamp: str, signature: str) -> bool:
    """True when the request carries a fresh, valid Slack signature (checked before anything is parsed)."""
    return verifier is not None and timestamp.isdigit() and verifier.is_valid(body, timestamp, signature)


def _payload(content_type: str, body: str) -> dict | None:
    """The signed request's payload as a dict (a JSON body, or a form whose `payload` field, if any,
    is a JSON object); None when it is neither."""
    try:
        if content_type == "application/json":
            parsed = json.loads(body)
            return parsed if isinstance(parsed, dict) else None
        form = {key: values[-1] for key, values in parse_qs(body, keep_blank_values=True).items()}
        if "payload" in form:
            inner = json.loads(form["payload"])
            return inner if isinstance(inner, dict) else None
        return form or None
    except (ValueError, RecursionError):  # RecursionError: nested deeper than Python's parser goes
        return None


class HttpServer:
    """The HTTP Events API endpoint served from a background event-loop thread (port 0 binds a
    free one); used by tests and the benchmark, and for embedding."""

    def __init__(self, app: App, executor: Executor, signing_secret: str | None,
                 host: str = "127.0.0.1", port: int = 0) -> None:
        self._web_app = http_app(app, executor, signing_secret)
        self._runner = app_runner(self._web_app)
        self._socket = socket.create_server((host, port), backlog=BACKLOG)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="slack-http", daemon=True)

    @property
    def port(self) -> int:
        """The port actually bound."""
        return int(self._socket.getsockname()[1])

    @property
    def url(self) -> str:
        """The URL Slack (or a test) posts to."""
        host, port = self._socket.getsockname()[:2]
        return f"http://{host}:{port}{EVENTS_PATH}"

    def start(self) -> HttpServer:
        """Start accepting requests."""
        self._loop.run_until_complete(self._runner.setup())
        self._loop.run_until_complete(web.SockSite(self._runner, self._socket, backlog=BACKLOG).start())
        self._thread.start()
        return self

    def handed_over(self) -> None:
        """Return once every event acknowledged so far has been handed to the worker pool."""

        async def flush() -> None:
            self._web_app[HAND_OVER].flush()

        asyncio.run_coroutine_threadsafe(flush(), self._loop).result(timeout=10)

    def stop(self) -> None:
        """Stop accepting requests and close the socket."""
        asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()
        self._socket.close()


def socket_mode_handler(app: App, settings: SlackSettings) -> SocketModeHandler:
    """bolt's Socket Mode handler for `app`, using the app's Web API client (and its base URL)."""
    return SocketModeHandler(app, app_token=settings.app_token, web_client=app.client)


def serve(settings: SlackSettings, core: Core, *, claims: DeliveryClaims | None = None,
          operations: Operations | None = None, sock: socket.socket | None = None, inbox: Inbox | None = None) -> None:
    """Run the Slack channel until interrupted (SIGINT/SIGTERM): what `perfbot serve slack` calls;
    `sock` is the listening socket shared by several processes (default: bind SLACK_HOST:SLACK_PORT);
    with `inbox`, events are acknowledged once written there, and events other processes left
    unanswered are taken over."""
    executor = ThreadPoolExecutor(max_workers=settings.workers, thread_name_prefix="perfbot-slack")
    app = create_app(settings, core, executor=executor, claims=claims)
    if settings.socket_mode:
        logger.info("Slack channel starting in Socket Mode")
        socket_mode_handler(app, settings).start()
        return
    sock = sock or socket.create_server((settings.host, settings.port), backlog=BACKLOG)
    logger.info("Slack channel listening on %s", listening_url(sock, EVENTS_PATH))
    rescuer = (Rescuer(app, inbox, executor, every=max(0.5, inbox.lease.total_seconds() / 2)).start()
               if inbox is not None else None)
    try:
        asyncio.run(serve_until_stopped(http_app(app, executor, settings.signing_secret, operations, inbox), sock))
    finally:
        if rescuer is not None:
            rescuer.stop()
    executor.shutdown(wait=True)
