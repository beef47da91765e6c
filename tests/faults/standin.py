"""A Slack Web API stand-in that misbehaves on cue: the recording mock of bot/slack/testing.py,
plus a script of what the next calls of a method do — answer 429 with Retry-After or 503 without
posting, post and then answer 500, hold the request without posting (a hung Slack), or post and
then hold the answer (the post is in Slack, the sender never hears) — the upload of a chart's bytes
too, scripted as the method "upload". While a request is held the
harness can kill the dispatching process; `outcomes` says which misbehaviours were played.

Charts are shared as Slack shares them: completing an external upload puts a message with the
file (its name as uploaded) in the conversation's history, so a resend can find it."""
from __future__ import annotations

import asyncio
import json
import time
from collections import Counter, defaultdict, deque
from collections.abc import Callable
from typing import Any

from aiohttp import web

from bot.slack.testing import BOT_ID, BOT_USER_ID, MockSlack

OK = "ok"
RATE_LIMITED = "429"
UNAVAILABLE = "503"
POSTED_THEN_500 = "posted-then-500"
HANG = "hang"
POSTED_THEN_HANG = "posted-then-hang"


class FaultySlack(MockSlack):
    """MockSlack with a script of faults per method and requests that can be held."""

    def __init__(self, retry_after: int = 30) -> None:
        super().__init__()
        self.retry_after = retry_after
        self._script: dict[str, deque[str]] = defaultdict(deque)
        self._always: dict[str, str] = {}
        self._outcomes: list[tuple[str, str]] = []
        self._held: list[asyncio.Event] = []
        self._names: dict[str, str] = {}

    # -- what the harness uses -------------------------------------------------------------------

    def script(self, method: str, *behaviours: str) -> None:
        """The next calls of `method` behave as listed, in order; later ones are answered normally."""
        with self._changed:
            self._script[method].extend(behaviours)

    def always(self, method: str, behaviour: str | None) -> None:
        """Every call of `method` behaves so (an outage) until called again with None."""
        with self._changed:
            if behaviour is None:
                self._always.pop(method, None)
            else:
                self._always[method] = behaviour

    def wait_outcome(self, outcome: str, count: int = 1, timeout: float = 60.0) -> None:
        """Block until `outcome` has been played `count` times (a held request counts when held)."""
        self._wait(lambda: sum(1 for _, o in self._outcomes if o == outcome) >= count, timeout,
                   f"{count} × {outcome}")

    def until(self, ready: Callable[[], bool], ended: Callable[[], bool], timeout: float) -> bool:
        """Wait until `ready()` (True) or `ended()` (False), whichever comes first; AssertionError
        at the deadline. `ended` is looked at every 50 ms, `ready` whenever a call arrives."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while time.monotonic() < deadline:
                if self._changed.wait_for(ready, 0.05):
                    return True
                if ended():
                    return ready()
        raise AssertionError(f"waited {timeout}s")

    def outcomes(self) -> Counter[str]:
        """How often each misbehaviour was played."""
        with self._changed:
            return Counter(o for _, o in self._outcomes)

    def release(self) -> None:
        """Let held requests end (a request held without posting still posts nothing)."""
        for event in list(self._held):
            self._loop.call_soon_threadsafe(event.set)

    def stop(self) -> None:
        """Let held requests end, then stop serving."""
        self.release()
        super().stop()

    def thread_posts(self) -> Counter[tuple[str, str, str]]:
        """(conversation, thread, text) of every reply in a thread now in Slack, with how often it is there."""
        with self._changed:
            return Counter((channel, message["thread_ts"], message.get("text", "")) for channel, messages
                           in self._history.items() for message in messages if message.get("thread_ts"))

    def posts_received(self) -> Counter[tuple[str, str]]:
        """(conversation, text) of every message now in Slack, with how often it is there."""
        with self._changed:
            return Counter((channel, message.get("text", "")) for channel, messages in self._history.items()
                           for message in messages if "files" not in message)

    # -- the server ------------------------------------------------------------------------------

    def _next(self, method: str) -> str:
        with self._changed:
            if method in self._always:
                return self._always[method]
            return self._script[method].popleft() if self._script[method] else OK

    def _played(self, method: str, outcome: str) -> None:
        with self._changed:
            self._outcomes.append((method, outcome))
            self._changed.notify_all()

    async def _hold(self, method: str, outcome: str) -> None:
        event = asyncio.Event()
        self._held.append(event)
        self._played(method, outcome)
        await event.wait()

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        behaviour = self._next(method)
        if behaviour == RATE_LIMITED:
            self._played(method, behaviour)
            return web.json_response({"ok": False, "error": "ratelimited"}, status=429,
                                     headers={"Retry-After": str(self.retry_after)})
        if behaviour == UNAVAILABLE:
            self._played(method, behaviour)
            return web.json_response({"ok": False, "error": "service_unavailable"}, status=503)
        if behaviour == HANG:
            await self._hold(method, behaviour)
            return web.json_response({"ok": False, "error": "request_timeout"}, status=504)
        response = await super()._api(request)
        if behaviour == POSTED_THEN_500:
            self._played(method, behaviour)
            return web.json_response({"ok": False, "error": "internal_error"}, status=500)
        if behaviour == POSTED_THEN_HANG:
            await self._hold(method, behaviour)
        return response

    async def _upload(self, request: web.Request) -> web.Response:
        """The upload of a chart's bytes (to the URL files.getUploadURLExternal gave) misbehaves as
        scripted for the method "upload": 503 without keeping it, kept then 500, hung."""
        behaviour = self._next("upload")
        if behaviour == UNAVAILABLE:
            self._played("upload", behaviour)
            return web.Response(status=503, text="service unavailable")
        if behaviour == HANG:
            await self._hold("upload", behaviour)
            return web.Response(status=504, text="timeout")
        response = await super()._upload(request)
        if behaviour == POSTED_THEN_500:
            self._played("upload", behaviour)
            return web.Response(status=500, text="internal error")
        if behaviour == POSTED_THEN_HANG:
            await self._hold("upload", behaviour)
        return response

    def charts_received(self) -> Counter[tuple[str, str]]:
        """(conversation, chart title) of every chart now shared in Slack, with how often it is there."""
        with self._changed:
            return Counter((channel, shared.get("title", "")) for channel, messages in self._history.items()
                           for message in messages for shared in message.get("files") or [])

    def _files_getUploadURLExternal(self, args: dict[str, Any]) -> dict[str, Any]:
        answer = super()._files_getUploadURLExternal(args)
        with self._changed:
            self._names[answer["file_id"]] = str(args.get("filename", ""))
        return answer

    def _files_completeUploadExternal(self, args: dict[str, Any]) -> dict[str, Any]:
        answer = super()._files_completeUploadExternal(args)
        files = json.loads(args.get("files", "[]"))
        ts = f"1718000000.{next(self._ids):06d}"
        with self._changed:
            shared = [{"id": f["id"], "name": self._names.get(f["id"], ""), "title": f.get("title", "")} for f in files]
            self._history[str(args.get("channel_id"))].append(
                {"type": "message", "user": BOT_USER_ID, "bot_id": BOT_ID, "ts": ts, "files": shared})
        return answer
