"""The Teams app package: `manifest.json` and two icons in a zip an administrator uploads to
Teams (`perfbot teams-package`).

The icons are drawn here as raw PNGs (a bar chart on the accent colour, and its white outline on
a transparent background), so the package needs no image files or plotting library.
"""
from __future__ import annotations

import json
import os
import struct
import zipfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MANIFEST_VERSION = "1.17"
ACCENT = (0x1F, 0x4E, 0x79)
WHITE = (0xFF, 0xFF, 0xFF)
# Bars of the icon as (left, top, right) in fractions of the side; all stand on the same base.
BARS = ((0.18, 0.55, 0.34), (0.42, 0.35, 0.58), (0.66, 0.18, 0.82))
BASE = 0.82
COMMANDS = (
    ("help", "What perfbot can answer"),
    ("What's the latest NEET rate?", "The newest value of an indicator"),
    ("Which measures are red?", "Indicators off target"),
    ("What returns do I owe?", "Your data returns and deadlines"),
)


@dataclass(frozen=True)
class PackageSettings:
    """What the package names: the bot's app id, the app's name, and who publishes it. No secret is
    needed (none goes in the package)."""

    app_id: str
    app_name: str = "perfbot"
    developer_name: str = "perfbot"
    developer_url: str = ""

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> PackageSettings:
        """MICROSOFT_APP_ID, TEAMS_APP_NAME, TEAMS_DEVELOPER_NAME and TEAMS_DEVELOPER_URL (else TEAMS_PUBLIC_URL)."""
        env = os.environ if environ is None else environ
        return cls(app_id=env.get("MICROSOFT_APP_ID", "").strip(),
                   app_name=env.get("TEAMS_APP_NAME", "").strip() or "perfbot",
                   developer_name=env.get("TEAMS_DEVELOPER_NAME", "").strip() or "perfbot",
                   developer_url=(env.get("TEAMS_DEVELOPER_URL", "").strip()
                                  or env.get("TEAMS_PUBLIC_URL", "").strip().rstrip("/")))


def write_package(out: Path, settings: PackageSettings, version: str = "1.0.0") -> Path:
    """Write the Teams app zip (manifest.json, color.png, outline.png) to `out` and return it."""
    content = json.dumps(manifest(settings, version), indent=2)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as package:
        package.writestr("manifest.json", content)
        package.writestr("color.png", icon(192, background=ACCENT))
        package.writestr("outline.png", icon(32, background=None))
    return out


def manifest(settings: PackageSettings, version: str = "1.0.0") -> dict[str, Any]:
    """The Teams app manifest for the configured bot."""
    if not settings.app_id:
        raise ValueError("MICROSOFT_APP_ID is required: the package names the bot Teams should talk to")
    website = settings.developer_url
    if not website.startswith("https://"):
        raise ValueError("set TEAMS_DEVELOPER_URL (or TEAMS_PUBLIC_URL) to an https:// page about the bot")
    name = settings.app_name[:30]
    return {
        "$schema": f"https://developer.microsoft.com/en-us/json-schemas/teams/v{MANIFEST_VERSION}/MicrosoftTeams.schema.json",
        "manifestVersion": MANIFEST_VERSION,
        "version": version,
        "id": settings.app_id,
        "developer": {
            "name": settings.developer_name,
            "websiteUrl": website,
            "privacyUrl": website,
            "termsOfUseUrl": website,
        },
        "name": {"short": name, "full": f"{name}: council performance"},
        "description": {
            "short": "Ask about the council's performance indicators.",
            "full": (
                "perfbot answers questions about the council's performance indicators: latest values, "
                "trends and charts, comparisons with other places, what is off target, who owns a measure "
                "and which data returns are due. Councillors and officers see what their role allows; "
                "anyone else sees public indicators only."
            ),
        },
        "icons": {"color": "color.png", "outline": "outline.png"},
        "accentColor": "#{:02X}{:02X}{:02X}".format(*ACCENT),
        "bots": [
            {
                "botId": settings.app_id,
                "scopes": ["personal", "team", "groupChat"],
                "isNotificationOnly": False,
                "supportsFiles": True,  # a return's spreadsheet dropped into the personal chat
                "commandLists": [
                    {
                        "scopes": ["personal", "team", "groupChat"],
                        "commands": [{"title": title, "description": about} for title, about in COMMANDS],
                    }
                ],
            }
        ],
        "permissions": ["identity", "messageTeamMembers"],
    }


def icon(side: int, background: tuple[int, int, int] | None) -> bytes:
    """A square PNG of three white bars, on `background` or (None) on transparency."""
    rows = []
    for y in range(side):
        row = bytearray([0])  # filter type: none
        for x in range(side):
            in_bar = any(
                left * side <= x < right * side and top * side <= y < BASE * side for left, top, right in BARS
            )
            if in_bar:
                row += bytes([*WHITE, 255])
            elif background:
                row += bytes([*background, 255])
            else:
                row += bytes([0, 0, 0, 0])
        rows.append(bytes(row))
    header = struct.pack(">IIBBBBB", side, side, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(b"".join(rows))) + _chunk(b"IEND", b"")


def _chunk(kind: bytes, data: bytes) -> bytes:
    """One PNG chunk: length, type, data and CRC."""
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
