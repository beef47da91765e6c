"""A local Slack-compatible server for tests and the benchmark (like errbot's test backend).

`MockSlack` answers the Web API methods the channel uses, the file-upload URL it hands out, the
download address of files people shared (`share_file`), and a Socket Mode WebSocket, on 127.0.0.1 with a port chosen by the OS, in a background thread. Every
call is recorded; `wait_for` blocks until the calls a test expects have arrived (condition-based,
with a deadline), and `fail` makes the next calls of a method answer with an error status such
as 429 with Retry-After. Point the channel at it with SLACK_API_URL = `mock.api_url`.
"""
from __future__ import annotations

import asyncio
import itertools
import json
import socket
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import WSMsgType, web
from slack_sdk.signature import SignatureVerifier

APP_ID = "A0PERFBOT"
TEAM_ID = "T0COUNCIL"
BOT_USER_ID = "U0PERFBOT"
BOT_ID = "B0PERFBOT"


@dataclass(frozen=True)
class Call:
    """One request the channel made: the Web API method (or 'upload'), its arguments and token."""

    method: str
    args: dict[str, Any]
    token: str | None = None
    content: bytes = b""


@dataclass(frozen=True)
class _Failure:
    status: int
    headers: dict[str, str]
    body: dict[str, Any]


def signed_headers(signing_secret: str, body: str, timestamp: int | None = None) -> dict[str, str]:
    """The X-Slack-Signature and X-Slack-Request-Timestamp headers Slack would send with `body`."""
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    signature = SignatureVerifier(signing_secret).generate_signature(timestamp=stamp, body=body) or ""
    return {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": signature}


class MockSlack:
    """Slack's Web API, upload endpoint and Socket Mode WebSocket, recorded, on a local port."""

    def __init__(self, emails: dict[str, str] | None = None) -> None:
        self.emails: dict[str, str] = dict(emails or {})
        self._calls: list[Call] = []
        self._socket_messages: list[dict[str, Any]] = []
        self._failures: dict[str, deque[_Failure]] = defaultdict(deque)
        self._history: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self._files: dict[str, tuple[dict[str, Any], bytes]] = {}
        self._changed = threading.Condition()
        self._ids = itertools.count(1)
        self._loop = asyncio.new_event_loop()
        self._runner: web.AppRunner | None = None
        self._thread: threading.Thread | None = None
        self._websocket: web.WebSocketResponse | None = None
        self.port = 0

    # -- lifecycle -------------------------------------------------------------------------------

    def start(self) -> MockSlack:
        """Bind a free local port and serve in a background thread."""
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        app = web.Application(client_max_size=50 * 1024 * 1024)
        app.router.add_post("/api/{method}", self._api)
        app.router.add_post("/upload/{file_id}", self._upload)
        app.router.add_get("/files-pri/{file_id}/{name}", self._download)
        app.router.add_get("/socket", self._socket)
        self._runner = web.AppRunner(app, access_log=None)
        self._loop.run_until_complete(self._runner.setup())
        self._loop.run_until_complete(web.SockSite(self._runner, sock, backlog=512).start())
        self._thread = threading.Thread(target=self._loop.run_forever, name="mock-slack", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and release the port."""
        if self._thread is None:
            return
        asyncio.run_coroutine_threadsafe(self._shutdown(), self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()
        self._thread = None

    def __enter__(self) -> MockSlack:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def api_url(self) -> str:
        """The base URL to give the channel as SLACK_API_URL."""
        return f"http://127.0.0.1:{self.port}/api/"

    # -- what tests use --------------------------------------------------------------------------

    def calls(self, method: str | None = None) -> list[Call]:
        """Recorded calls, all or of one method, in arrival order."""
        with self._changed:
            return [call for call in self._calls if method is None or call.method == method]

    def wait_for(self, method: str, count: int = 1, timeout: float = 10.0) -> list[Call]:
        """Block until at least `count` calls of `method` arrived; raise AssertionError at the deadline."""
        self._wait(lambda: len([c for c in self._calls if c.method == method]) >= count, timeout,
                   f"{count} calls of {method}")
        return self.calls(method)

    def fail(self, method: str, status: int, times: int = 1, headers: dict[str, str] | None = None,
             error: str = "mock_failure") -> None:
        """Answer the next `times` calls of `method` with HTTP `status` (e.g. 429 + Retry-After)
        and {"ok": false, "error": error}."""
        with self._changed:
            for _ in range(times):
                self._failures[method].append(_Failure(status, dict(headers or {}), {"ok": False, "error": error}))

    def socket_send(self, envelope: dict[str, Any], timeout: float = 10.0) -> None:
        """Push a Socket Mode envelope to the connected client (waiting for it to connect)."""
        self._wait(lambda: self._websocket is not None, timeout, "a Socket Mode connection")
        websocket = self._websocket
        assert websocket is not None
        asyncio.run_coroutine_threadsafe(websocket.send_str(json.dumps(envelope)), self._loop).result(timeout)

    def wait_for_socket_ack(self, envelope_id: str, timeout: float = 10.0) -> dict[str, Any]:
        """Block until the client acknowledged the envelope; return its acknowledgement."""
        def ack() -> dict[str, Any] | None:
            return next((m for m in self._socket_messages if m.get("envelope_id") == envelope_id), None)

        self._wait(lambda: ack() is not None, timeout, f"ack of envelope {envelope_id}")
        return ack() or {}

    def share_file(self, name: str, content: bytes, size: int | None = None) -> dict[str, Any]:
        """Hold a file a person shared; returns its description as a message event carries it
        (`size` overrides the size stated, as for a file too large to hold here)."""
        file_id = f"F{next(self._ids):08d}"
        described = {"id": file_id, "name": name, "title": name, "mimetype": "application/octet-stream",
                     "filetype": name.rsplit(".", 1)[-1], "size": len(content) if size is None else size,
                     "url_private": f"http://127.0.0.1:{self.port}/files-pri/{file_id}/{name}"}
        described["url_private_download"] = described["url_private"]
        with self._changed:
            self._files[file_id] = (described, content)
        return described

    def _wait(self, ready: Callable[[], bool], timeout: float, what: str) -> None:
        with self._changed:
            if not self._changed.wait_for(ready, timeout):
                raise AssertionError(f"waited {timeout}s for {what}; got {[c.method for c in self._calls]}")

    def _record(self, call: Call) -> None:
        with self._changed:
            self._calls.append(call)
            self._changed.notify_all()

    # -- the server ------------------------------------------------------------------------------

    async def _shutdown(self) -> None:
        if self._websocket is not None:
            await self._websocket.close()
        if self._runner is not None:
            await self._runner.cleanup()

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args: dict[str, Any] = dict(request.query)
        if request.content_type == "application/json":
            args.update(await request.json())
        else:
            args.update({key: value for key, value in (await request.post()).items() if isinstance(value, str)})
        authorization = request.headers.get("Authorization", "")
        token = authorization.removeprefix("Bearer ") if authorization.startswith("Bearer ") else args.get("token")
        self._record(Call(method, args, token))
        with self._changed:
            failure = self._failures[method].popleft() if self._failures[method] else None
        if failure is not None:
            return web.json_response(failure.body, status=failure.status, headers=failure.headers)
        if not token:
            return web.json_response({"ok": False, "error": "not_authed"})
        answer = getattr(self, "_" + method.replace(".", "_"), None)
        return web.json_response(answer(args) if answer else {"ok": False, "error": "unknown_method"})

    async def _upload(self, request: web.Request) -> web.Response:
        content = await request.read()
        self._record(Call("upload", {"file_id": request.match_info["file_id"]}, None, content))
        return web.Response(text=f"OK - {len(content)}")

    async def _download(self, request: web.Request) -> web.StreamResponse:
        """A shared file's bytes, to a request bearing the bot token (Slack answers others with a
        sign-in page); streamed, so a reader that stops early reads no more."""
        file_id = request.match_info["file_id"]
        authorization = request.headers.get("Authorization", "")
        token = authorization.removeprefix("Bearer ") if authorization.startswith("Bearer ") else None
        self._record(Call("download", {"file_id": file_id}, token))
        if file_id not in self._files or not token:
            return web.Response(status=404 if token else 302, text="not found")
        content = self._files[file_id][1]
        response = web.StreamResponse(headers={"Content-Type": "application/octet-stream"})
        await response.prepare(request)
        try:
            for start in range(0, len(content), 1 << 16):
                await response.write(content[start:start + (1 << 16)])
        except (ConnectionResetError, RuntimeError):
            pass  # the reader stopped early, as a channel does at its limit
        return response

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        websocket = web.WebSocketResponse()
        await websocket.prepare(request)
        await websocket.send_json({"type": "hello", "num_connections": 1, "connection_info": {"app_id": APP_ID}})
        with self._changed:
            self._websocket = websocket
            self._changed.notify_all()
        async for message in websocket:
            if message.type == WSMsgType.TEXT:
                with self._changed:
                    self._socket_messages.append(json.loads(message.data))
                    self._changed.notify_all()
        return websocket

    # -- Web API methods -------------------------------------------------------------------------

    def _auth_test(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "url": "https://council.slack.com/", "team": "Council", "user": "perfbot",
                "team_id": TEAM_ID, "user_id": BOT_USER_ID, "bot_id": BOT_ID, "is_enterprise_install": False}

    def _apps_connections_open(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "url": f"ws://127.0.0.1:{self.port}/socket"}

    def _chat_postMessage(self, args: dict[str, Any]) -> dict[str, Any]:
        ts = f"1718000000.{next(self._ids):06d}"
        message = {"type": "message", "user": BOT_USER_ID, "bot_id": BOT_ID, "ts": ts, "text": args.get("text", "")}
        for key in ("blocks", "thread_ts", "metadata"):
            if args.get(key):
                message[key] = args[key]
        with self._changed:
            self._history[str(args.get("channel"))].append(message)
        return {"ok": True, "channel": args.get("channel"), "ts": ts, "message": message}

    def _conversations_history(self, args: dict[str, Any]) -> dict[str, Any]:
        with self._changed:
            messages = list(reversed(self._history[str(args.get("channel"))]))[: int(args.get("limit", 100))]
        if str(args.get("include_all_metadata")).lower() not in ("1", "true"):
            messages = [{k: v for k, v in m.items() if k != "metadata"} for m in messages]
        return {"ok": True, "messages": messages, "has_more": False}

    def _conversations_replies(self, args: dict[str, Any]) -> dict[str, Any]:
        """A thread: its parent and the replies in it, oldest first, as Slack answers."""
        ts = str(args.get("ts"))
        with self._changed:
            thread = [m for m in self._history[str(args.get("channel"))] if ts in (m.get("ts"), m.get("thread_ts"))]
        if str(args.get("include_all_metadata")).lower() not in ("1", "true"):
            thread = [{k: v for k, v in m.items() if k != "metadata"} for m in thread]
        return {"ok": True, "messages": thread[: int(args.get("limit", 100))], "has_more": False}

    def _chat_update(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "channel": args.get("channel"), "ts": args.get("ts"), "text": args.get("text", "")}

    def _conversations_open(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "channel": {"id": "D" + str(args.get("users", "")).lstrip("U")}}

    def _users_info(self, args: dict[str, Any]) -> dict[str, Any]:
        user_id = str(args.get("user", ""))
        if user_id not in self.emails:
            return {"ok": False, "error": "user_not_found"}
        profile = {"email": self.emails[user_id]} if self.emails[user_id] else {}
        return {"ok": True, "user": {"id": user_id, "team_id": TEAM_ID, "is_bot": False, "deleted": False,
                                     "profile": profile}}

    def _files_info(self, args: dict[str, Any]) -> dict[str, Any]:
        with self._changed:
            held = self._files.get(str(args.get("file")))
        return {"ok": True, "file": held[0]} if held else {"ok": False, "error": "file_not_found"}

    def _files_getUploadURLExternal(self, args: dict[str, Any]) -> dict[str, Any]:
        file_id = f"F{next(self._ids):08d}"
        return {"ok": True, "file_id": file_id, "upload_url": f"http://127.0.0.1:{self.port}/upload/{file_id}"}

    def _files_completeUploadExternal(self, args: dict[str, Any]) -> dict[str, Any]:
        files = json.loads(args.get("files", "[]"))
        return {"ok": True, "files": [{"id": f["id"], "title": f.get("title", "")} for f in files]}
