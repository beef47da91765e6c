"""The app manifest asks for exactly what the channel uses: these scopes, these events, /perf and
interactivity, in Socket Mode."""
from __future__ import annotations

import re
from pathlib import Path

from bot.slack.app import SLASH_COMMAND

MANIFEST = (Path(__file__).parents[2] / "slack" / "manifest.yml").read_text(encoding="utf-8")

# Each scope and the Web API call or event that needs it.
NEEDED_SCOPES = {
    "app_mentions:read",  # app_mention
    "channels:history",  # conversations.replies / history of a public channel before a resend
    "groups:history",  # the same for a private channel
    "chat:write",  # chat.postMessage, chat.update
    "commands",  # /perf
    "files:read",  # url_private_download of a file dropped into a DM, files.info
    "files:write",  # files.getUploadURLExternal, files.completeUploadExternal
    "im:history",  # message.im; conversations.history of a DM (SlackSender)
    "im:write",  # conversations.open
    "users:read",  # users.info
    "users:read.email",  # users.info profile.email
}


def listed_under(key: str) -> set[str]:
    """The `- item` lines of the YAML list under `key:` (comments dropped)."""
    match = re.search(rf"^(\s*){re.escape(key)}:\s*\n((?:\1\s+- .*\n)+)", MANIFEST, re.MULTILINE)
    assert match, f"no list under {key}"
    return {line.split("#")[0].strip().removeprefix("- ").strip() for line in match.group(2).splitlines()}


def test_the_manifest_asks_for_exactly_the_scopes_the_channel_uses() -> None:
    assert listed_under("bot") == NEEDED_SCOPES


def test_the_manifest_subscribes_to_the_events_the_channel_answers() -> None:
    assert listed_under("bot_events") == {"app_mention", "message.im"}


def test_the_manifest_declares_the_slash_command_interactivity_and_socket_mode() -> None:
    assert f"- command: {SLASH_COMMAND}\n" in MANIFEST
    assert re.search(r"interactivity:\n\s+is_enabled: true", MANIFEST)
    assert "socket_mode_enabled: true" in MANIFEST
    assert "messages_tab_enabled: true" in MANIFEST and "messages_tab_read_only_enabled: false" in MANIFEST
