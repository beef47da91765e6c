"""Signed, expiring links to the files and charts the Teams bot hands out (Teams fetches them from the
bot's public URL): the content is kept in the store (data_access/hosted.py) so any process behind
the load balancer serves any link, and each link carries its expiry and an HMAC-SHA256 signature of
its path and expiry made with a key every process shares — a link cannot be altered, forged or
used after it expires. The key comes from PERFBOT_LINK_SECRET, else is derived from
MICROSOFT_APP_PASSWORD (see TeamsSettings.link_key)."""
from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Callable

from sqlalchemy import Engine

from data_access.hosted import host, hosted
from data_access.models import HostedFile

FILE_DAYS, CHART_DAYS = 7, 30  # how long a link to the report deck, and to a chart in a chat, works
UNSAFE_NAME = re.compile(r"[^\w.-]+")


class LinkRefused(Exception):
    """A link that cannot be served: `status` is the HTTP status to answer with, `reason` says why."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status, self.reason = status, reason


@dataclass
class HostedLinks:
    """Publishes content at signed links under `public_url` and checks the links it is asked for."""

    engine: Engine
    public_url: str
    key: bytes
    clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc)

    def publish(self, content: bytes, name: str, media_type: str, days: int, kind: str = "files") -> str:
        """Keep `content` for `days` and return its signed link: /files/<token>/<name> or /charts/<token>.png."""
        now = self.clock()
        expires = now + timedelta(days=days)
        token = host(self.engine, content, UNSAFE_NAME.sub("-", name), media_type, now, expires)
        path = f"/charts/{token}.png" if kind == "charts" else f"/files/{token}/{UNSAFE_NAME.sub('-', name)}"
        stamp = int(expires.timestamp())
        return f"{self.public_url.rstrip('/')}{path}?expires={stamp}&signature={self._sign(path, stamp)}"

    def open(self, path: str, token: str, expires: str, signature: str) -> HostedFile:
        """The content a link names, once its signature and expiry are checked (LinkRefused otherwise)."""
        try:
            stamp = int(expires)
        except ValueError:
            raise LinkRefused(403, "This link is not one perfbot made.") from None
        if not hmac.compare_digest(self._sign(path, stamp), signature):
            raise LinkRefused(403, "This link is not one perfbot made (or it was altered).")
        if self.clock().timestamp() > stamp:
            raise LinkRefused(410, f"This link expired on {datetime.fromtimestamp(stamp, timezone.utc):%d %B %Y}: "
                                   "ask perfbot again for a new one.")
        found = hosted(self.engine, token)
        if found is None:
            raise LinkRefused(410, "This file is no longer kept: ask perfbot again for a new one.")
        return found

    def _sign(self, path: str, expires: int) -> str:
        return hmac.new(self.key, f"{path}|{expires}".encode(), hashlib.sha256).hexdigest()[:40]
