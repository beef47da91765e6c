"""Charts as Teams image attachments: inline (a base64 data URI, the default) or served by the bot
at a signed, expiring link under `TEAMS_PUBLIC_URL` (bot/teams/links.py), which Teams then fetches.

Teams shows inline images up to 1024×1024 pixels and 1 MB; larger charts are scaled down to fit.
Files (the report deck) are always served by link, since Teams cannot carry them inline; without
a public URL a file cannot be sent in Teams, and the bot says so.
"""
from __future__ import annotations

import base64
import io
import struct
from typing import Any

from PIL import Image

from bot.core.messages import ChartReply, FileReply, UnsupportedReply
from bot.teams.links import CHART_DAYS, FILE_DAYS, UNSAFE_NAME, HostedLinks

MAX_SIDE = 1024
MAX_INLINE_BYTES = 1024 * 1024
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


class ChartTooLarge(ValueError):
    """Raised when a chart cannot be sent inline and no public URL is configured to host it."""


class ChartImages:
    """Turns chart PNGs into Teams image attachments, and files into links (with `links`: served
    from the store by whichever process is asked)."""

    def __init__(self, links: HostedLinks | None = None) -> None:
        self._links = links

    def attachment(self, chart: ChartReply) -> dict[str, Any]:
        """The attachment JSON showing `chart` (inline, or a link when the bot serves links)."""
        png = fit_png(chart.png)
        name = f"{UNSAFE_NAME.sub('-', chart.title).strip('-')[:60].rstrip('-') or 'chart'}.png"
        if self._links is not None:
            return {"contentType": "image/png", "name": name,
                    "contentUrl": self._links.publish(png, name, "image/png", CHART_DAYS, kind="charts")}
        if len(png) > MAX_INLINE_BYTES:
            raise ChartTooLarge(f"{chart.title!r} is {len(png)} bytes; set TEAMS_PUBLIC_URL to send charts over 1 MB")
        data = base64.b64encode(png).decode("ascii")
        return {"contentType": "image/png", "contentUrl": f"data:image/png;base64,{data}", "name": name}

    def link(self, document: FileReply) -> str:
        """The signed link `document` is served at (UnsupportedReply without TEAMS_PUBLIC_URL)."""
        if self._links is None:
            raise UnsupportedReply(f"{document.filename} cannot be sent in Teams: set TEAMS_PUBLIC_URL to serve files")
        return self._links.publish(document.content, document.filename, document.media_type, FILE_DAYS)


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
