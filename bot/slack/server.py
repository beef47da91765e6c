"""Running the Slack channel: Socket Mode when SLACK_APP_TOKEN is set (the bot connects out, so no
public URL is needed behind a council firewall), otherwise the HTTP Events API on /slack/events.

The HTTP side is an aiohttp application (C-accelerated parsing, no thread per request). An Events
API delivery is always acknowledged with an empty 200, so once its signature is checked the 200
goes back at once and bolt's `App.dispatch` (de-duplication, self-event filter, listener, answer)
runs on the worker pool: the acknowledgement never waits for bolt or competes with answers for
long. Slash commands, button clicks and url_verification need bolt's response, so they are
dispatched inline, which is CPU-only and takes a fraction of a millisecond.
"""
from __future__ import annotations

import asyncio
import json
import logging
import socket
import threading
from collections.abc import Sequence
from concurrent.futures import Executor, ThreadPoolExecutor
from urllib.parse import parse_qs

from aiohttp import web
from slack_bolt import App
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_bolt.request import BoltRequest
from slack_sdk.signature import SignatureVerifier

from bot.core.ports import Core
from bot.slack.app import ACKNOWLEDGED_ON_A_WORKER, create_app, report_failure
from bot.slack.settings import EVENTS_PATH, SlackSettings

logger = logging.getLogger(__name__)

BACKLOG = 1024  # a burst of Slack deliveries is queued by the kernel, not refused


def http_app(app: App, executor: Executor, signing_secret: str | None) -> web.Application:
    """An aiohttp application serving `app` on POST /slack/events; `executor` must be the pool
    given to `create_app`."""
    verifier = SignatureVerifier(signing_secret) if signing_secret else None

    def dispatch_acknowledged(body: str, headers: dict[str, str | Sequence[str]]) -> None:
        app.dispatch(BoltRequest(body=body, headers=headers, context={ACKNOWLEDGED_ON_A_WORKER: True}))

    def hand_over(body: str, headers: dict[str, str | Sequence[str]]) -> None:
        # Called on the loop's next turn, after the responses of this turn's requests were written:
        # a woken worker would otherwise take the interpreter lock from the acknowledgements.
        executor.submit(dispatch_acknowledged, body, headers).add_done_callback(report_failure)

    async def events(request: web.Request) -> web.Response:
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
            asyncio.get_running_loop().call_soon(hand_over, body, headers)
            return web.Response(status=200)
        return await to_aiohttp_response(
            app.dispatch(BoltRequest(body=body, query=request.query_string, headers=headers))
        )

    web_app = web.Application()
    web_app.router.add_post(EVENTS_PATH, events)
    return web_app


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
    except ValueError:
        return None


class HttpServer:
    """The HTTP Events API endpoint served from a background event-loop thread (port 0 binds a
    free one); used by tests and the benchmark, and for embedding."""

    def __init__(self, app: App, executor: Executor, signing_secret: str | None,
                 host: str = "127.0.0.1", port: int = 0) -> None:
        self._runner = web.AppRunner(http_app(app, executor, signing_secret), access_log=None)
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
        asyncio.run_coroutine_threadsafe(asyncio.sleep(0), self._loop).result(timeout=10)

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


def serve(settings: SlackSettings, core: Core) -> None:
    """Run the Slack channel until interrupted (SIGINT/SIGTERM): what `perfbot serve slack` calls."""
    executor = ThreadPoolExecutor(max_workers=settings.workers, thread_name_prefix="perfbot-slack")
    app = create_app(settings, core, executor=executor)
    if settings.socket_mode:
        logger.info("Slack channel starting in Socket Mode")
        socket_mode_handler(app, settings).start()
        return
    logger.info("Slack channel listening on http://%s:%d%s", settings.host, settings.port, EVENTS_PATH)
    web.run_app(http_app(app, executor, settings.signing_secret), host=settings.host, port=settings.port,
                backlog=BACKLOG, access_log=None, print=None)
    executor.shutdown(wait=True)
