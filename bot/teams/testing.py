"""A local stand-in for the Bot Framework connector, for tests and the load check.

Point an activity's `serviceUrl` at `MockConnector.url` and the bot's replies land here instead
of in Teams: every POST to /v3/conversations/{id}/activities[/{activityId}] is recorded, and
member look-ups are answered from the `members` given. `share_file` holds a file a person sent,
served at a download URL as OneDrive serves a file.download.info attachment's. It binds port 0 on the loopback interface;
`delay` makes every call take that long, to model the round trip to the real connector.
"""
from __future__ import annotations

import asyncio
import itertools
import time
from dataclasses import dataclass
from types import TracebackType
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestServer


@dataclass(frozen=True)
class Posted:
    """One activity the bot posted: where, in reply to what, what, and when it arrived."""

    conversation: str
    reply_to: str | None
    activity: dict[str, Any]
    arrived: float

    @property
    def text(self) -> str:
        """The activity's text ('' if none)."""
        return self.activity.get("text") or ""

    @property
    def attachments(self) -> list[dict[str, Any]]:
        """The activity's attachments."""
        return self.activity.get("attachments") or []


class MockConnector:
    """Records what the bot posts to the Bot Framework connector; use as `async with`."""

    def __init__(self, members: dict[str, dict[str, Any]] | None = None, delay: float = 0.0) -> None:
        self.members = members or {}
        self.delay = delay
        self.posted: list[Posted] = []
        self._ids = itertools.count(1)
        self._files: dict[str, bytes] = {}
        self.downloads: list[str] = []
        app = web.Application()
        app.router.add_get("/onedrive/{file_id}/{name}", self._download)
        app.router.add_post("/v3/conversations/{conversation}/activities", self._post)
        app.router.add_post("/v3/conversations/{conversation}/activities/{reply_to}", self._post)
        app.router.add_get("/v3/conversations/{conversation}/members/{member}", self._member)
        self._server = TestServer(app, host="127.0.0.1", port=0)

    @property
    def url(self) -> str:
        """The service URL to put in activities."""
        return str(self._server.make_url("/"))

    async def __aenter__(self) -> MockConnector:
        await self._server.start_server()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self._server.close()

    def share_file(self, name: str, content: bytes) -> dict[str, Any]:
        """Hold a file a person sent in their personal chat; returns the attachment Teams puts on the message."""
        file_id = f"file-{next(self._ids)}"
        self._files[file_id] = content
        return {"contentType": "application/vnd.microsoft.teams.file.download.info", "name": name,
                "contentUrl": f"https://council-my.sharepoint.com/personal/{file_id}/{name}",
                "content": {"downloadUrl": str(self._server.make_url(f"/onedrive/{file_id}/{name}")),
                            "uniqueId": file_id, "fileType": name.rsplit(".", 1)[-1]}}

    async def _download(self, request: web.Request) -> web.StreamResponse:
        """A held file's bytes, streamed (a reader that stops at its limit reads no more)."""
        file_id = request.match_info["file_id"]
        self.downloads.append(file_id)
        if file_id not in self._files:
            return web.Response(status=404)
        content = self._files[file_id]
        response = web.StreamResponse(headers={"Content-Type": "application/octet-stream"})
        await response.prepare(request)
        try:
            for start in range(0, len(content), 1 << 16):
                await response.write(content[start:start + (1 << 16)])
        except (ConnectionResetError, RuntimeError):
            pass  # the reader stopped early, at its limit
        return response

    def in_conversation(self, conversation: str) -> list[Posted]:
        """What was posted into `conversation`, in order."""
        return [posted for posted in self.posted if posted.conversation == conversation]

    async def _post(self, request: web.Request) -> web.Response:
        """Record a posted activity and answer with its new id."""
        arrived = time.perf_counter()
        activity = await request.json()
        self.posted.append(Posted(request.match_info["conversation"], request.match_info.get("reply_to"), activity, arrived))
        if self.delay:
            await asyncio.sleep(self.delay)
        return web.json_response({"id": f"posted-{next(self._ids)}"})

    async def _member(self, request: web.Request) -> web.Response:
        """A conversation member's details, or the connector's 404."""
        if self.delay:
            await asyncio.sleep(self.delay)
        member = self.members.get(request.match_info["member"])
        if member is None:
            error = {"error": {"code": "MemberNotFoundInConversation", "message": "The member was not found"}}
            return web.json_response(error, status=404)
        return web.json_response(member)
