"""Charts as Teams image attachments: inline (a base64 data URI, the default) or hosted by the
bot itself at an HTTPS URL (`TEAMS_PUBLIC_URL`), which Teams then fetches.

Teams shows inline images up to 1024×1024 pixels and 1 MB; larger charts are scaled down to fit.
Hosted charts are kept in memory (the newest `keep` of them) by the process that made them. Files
(the report deck) are always hosted there, under `/files/<token>/<name>`, since Teams cannot
carry them inline; without a public URL a file cannot be sent in Teams.
"""
from __future__ import annotations

import base64
import io
import re
import secrets
import struct
from collections import OrderedDict
from typing import Any

from PIL import Image

from bot.core.messages import ChartReply, FileReply, UnsupportedReply

MAX_SIDE = 1024
MAX_INLINE_BYTES = 1024 * 1024
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
UNSAFE_NAME = re.compile(r"[^\w.-]+")


class ChartTooLarge(ValueError):
    """Raised when a chart cannot be sent inline and no public URL is configured to host it."""


class ChartImages:
    """Turns chart PNGs into Teams image attachments, and serves the hosted ones."""

    def __init__(self, public_url: str = "", keep: int = 500) -> None:
        self._public_url = public_url.rstrip("/")
        self._keep = keep
        self._hosted: OrderedDict[str, bytes] = OrderedDict()
        self._files: OrderedDict[str, FileReply] = OrderedDict()

    def attachment(self, chart: ChartReply) -> dict[str, Any]:
        """The attachment JSON showing `chart` (inline, or a URL when a public URL is configured)."""
        png = fit_png(chart.png)
        name = f"{UNSAFE_NAME.sub('-', chart.title).strip('-')[:60].rstrip('-') or 'chart'}.png"
        if self._public_url:
            return {"contentType": "image/png", "contentUrl": self._host(png), "name": name}
        if len(png) > MAX_INLINE_BYTES:
            raise ChartTooLarge(f"{chart.title!r} is {len(png)} bytes; set TEAMS_PUBLIC_URL to send charts over 1 MB")
        data = base64.b64encode(png).decode("ascii")
        return {"contentType": "image/png", "contentUrl": f"data:image/png;base64,{data}", "name": name}

    def hosted(self, token: str) -> bytes | None:
        """The PNG published under `token`, or None when unknown or forgotten."""
        return self._hosted.get(token)

    def link(self, document: FileReply) -> str:
        """The public URL `document` is served at (UnsupportedReply without TEAMS_PUBLIC_URL)."""
        if not self._public_url:
            raise UnsupportedReply(f"{document.filename} cannot be sent in Teams: set TEAMS_PUBLIC_URL to serve files")
        token = secrets.token_urlsafe(18)
        self._files[token] = document
        while len(self._files) > self._keep:
            self._files.popitem(last=False)
        return f"{self._public_url}/files/{token}/{UNSAFE_NAME.sub('-', document.filename)}"

    def hosted_file(self, token: str) -> FileReply | None:
        """The file published under `token`, or None when unknown or forgotten."""
        return self._files.get(token)

    def _host(self, png: bytes) -> str:
        """Publish `png` under an unguessable token and return its public URL."""
        token = secrets.token_urlsafe(18)
        self._hosted[token] = png
        while len(self._hosted) > self._keep:
            self._hosted.popitem(last=False)
        return f"{self._public_url}/charts/{token}.png"


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height of a PNG, read from its header."""
    if not png.startswith(PNG_SIGNATURE) or png[12:16] != b"IHDR":
        raise ValueError("a chart must be a PNG image")
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def fit_png(png: bytes) -> bytes:
    """`png` unchanged when within 1024×1024, else scaled down (keeping its shape) to fit."""
    if max(png_size(png)) <= MAX_SIDE:
        return png
    image = Image.open(io.BytesIO(png))
    image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
