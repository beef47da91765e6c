"""The Teams channel's web server: `/api/messages` for the Bot Framework, and `/charts/…` and
`/files/…` for the charts and files (the report deck) handed out at signed, expiring links, served
from the store by any process (bot/teams/links.py). Built by a factory; nothing is created at
import time.

`perfbot serve teams` calls `serve(TeamsSettings.from_env(), core)`.
"""
from __future__ import annotations

import asyncio
import logging
import socket
from concurrent.futures import ThreadPoolExecutor

import jwt
from aiohttp import web
from botbuilder.schema import Activity

from bot.core.ports import Core
from bot.operations import Operations
from bot.teams.adapter import KeysUnreachable, create_adapter
from bot.teams.images import ChartImages
from bot.teams.links import HostedLinks, LinkRefused
from bot.teams.proactive import TeamsSender
from bot.teams.settings import TeamsSettings
from bot.teams.turns import TeamsTurns
from bot.workers import listening_socket, serve_until_stopped
from data_access.conversations import DeliveryClaims

log = logging.getLogger(__name__)

TEAMS_SENDER = web.AppKey("teams_sender", TeamsSender)
ANSWER_THREADS = 2  # threads answering with the core (see bot/teams/turns.py)

UNAUTHENTICATED_BANNER = """
************************************************************************
*  perfbot Teams channel is running WITHOUT AUTHENTICATION             *
*  (MICROSOFT_APP_ID is not set). Anyone who can reach this port can   *
*  pose as any Teams user. Use this for local testing only.            *
************************************************************************"""


def create_app(settings: TeamsSettings, core: Core, claims: DeliveryClaims | None = None,
               operations: Operations | None = None, links: HostedLinks | None = None) -> web.Application:
    """The aiohttp application serving Teams for `core`; `app[TEAMS_SENDER]` sends proactively.
    With `claims` each activity id is claimed in the store before it is answered, so several
    processes answer a redelivered activity once; `operations` adds /healthz, /readyz and /metrics;
    with `links` (made for TEAMS_PUBLIC_URL) charts and files go out as signed links it serves."""
    adapter = create_adapter(settings)
    charts = ChartImages(links)
    answering = ThreadPoolExecutor(max_workers=ANSWER_THREADS, thread_name_prefix="perfbot-teams-answer")
    turns = TeamsTurns(core, settings, charts, answering)

    async def messages(request: web.Request) -> web.Response:
        """Authenticate a Bot Framework activity, then run the bot's turn for it."""
        if "application/json" not in request.headers.get("Content-Type", ""):
            raise web.HTTPUnsupportedMediaType(text="activities must be JSON")
        try:
            body = await request.json()
        except (ValueError, RecursionError):  # RecursionError: nested deeper than Python's parser goes
            raise web.HTTPBadRequest(text="the activity is not valid JSON (or is nested too deeply)") from None
        if not isinstance(body, dict) or not body.get("type"):
            raise web.HTTPBadRequest(text="an activity is a JSON object with a type")
        activity = Activity().deserialize(body)
        try:
            auth = await adapter.bot_framework_authentication.authenticate_request(
                activity, request.headers.get("Authorization", "")
            )
        except (PermissionError, jwt.PyJWTError) as error:
            log.warning("Refused a Teams activity that failed authentication: %s", error)
            raise web.HTTPUnauthorized() from error
        except KeysUnreachable as error:  # logged once by the adapter
            raise web.HTTPServiceUnavailable(text="the Bot Framework's signing keys cannot be fetched just now",
                                             headers={"Retry-After": "30"}) from error
        if claims is not None and activity.id and not await asyncio.get_running_loop().run_in_executor(
                answering, claims.should_answer, (f"teams:{activity.id}",)):
            log.info("Ignored Teams activity %s: already answered", activity.id)
            return web.Response(status=200)
        invoke_response = await adapter.process_activity(auth, activity, lambda context: turns.on_turn(context, body))
        if invoke_response:
            return web.json_response(invoke_response.body, status=int(invoke_response.status))
        return web.Response(status=201)

    async def served(request: web.Request, token: str) -> web.Response:
        """A chart or file at a signed link: 403 for a link not made here, 410 once it has expired."""
        if links is None:
            raise web.HTTPNotFound()
        query = request.query
        try:
            found = await asyncio.get_running_loop().run_in_executor(
                answering, links.open, request.path, token, query.get("expires", ""), query.get("signature", ""))
        except LinkRefused as refused:
            return web.Response(status=refused.status, text=refused.reason)
        disposition = "inline" if found.media_type == "image/png" else "attachment"
        return web.Response(body=found.content, content_type=found.media_type, headers={
            "Cache-Control": "private, max-age=3600", "Content-Disposition": f'{disposition}; filename="{found.name}"'})

    async def chart(request: web.Request) -> web.Response:
        """A chart image at its signed link."""
        return await served(request, request.match_info["token"])

    async def document(request: web.Request) -> web.Response:
        """A file (the report deck) at its signed link, as a download."""
        return await served(request, request.match_info["token"])

    async def announce(_app: web.Application) -> None:
        """Say at start-up how the channel authenticates."""
        if not settings.authenticated:
            log.warning(UNAUTHENTICATED_BANNER)
        elif not settings.tenant_id:
            log.warning("MICROSOFT_APP_TENANT_ID is not set: Teams users are matched by id only, not by e-mail")
        else:
            log.info("Teams channel authenticating as %s bot %s", settings.app_type, settings.app_id)

    async def widen_thread_pool(_app: web.Application) -> None:
        """Give the event loop (which owns and closes the pool) enough threads for the SDK's
        connector, whose "async" HTTP calls are blocking `requests` calls in this pool."""
        threads = ThreadPoolExecutor(max_workers=settings.worker_threads, thread_name_prefix="perfbot-teams")
        asyncio.get_running_loop().set_default_executor(threads)

    async def stop_answering(_app: web.Application) -> None:
        """Let answers in progress finish, then release the answering threads."""
        answering.shutdown(wait=True)

    app = web.Application()
    app[TEAMS_SENDER] = TeamsSender(adapter, core, settings, charts)
    app.router.add_post("/api/messages", messages)
    app.router.add_get("/charts/{token}.png", chart)
    app.router.add_get("/files/{token}/{name}", document)
    app.on_startup.extend([announce, widen_thread_pool])
    app.on_cleanup.append(stop_answering)
    if operations is not None:
        operations.add_routes(app)
    return app


def serve(settings: TeamsSettings, core: Core, *, claims: DeliveryClaims | None = None,
          operations: Operations | None = None, sock: socket.socket | None = None,
          links: HostedLinks | None = None) -> None:
    """Run the Teams channel until interrupted (`perfbot serve teams`); `sock` is the listening
    socket shared by several processes (default: bind TEAMS_HOST:TEAMS_PORT)."""
    sock = sock or listening_socket(settings.bind_host, settings.port)
    asyncio.run(serve_until_stopped(create_app(settings, core, claims, operations, links), sock))
