"""Slack channel configuration, read from environment variables (12-factor).

Secrets never appear in `repr()`, so logging a settings object is safe.
"""
from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

DEFAULT_PORT = 3000
EVENTS_PATH = "/slack/events"
DEFAULT_WORKERS = 8
DEFAULT_TIMEOUT = 30


class SlackSettingsError(ValueError):
    """The environment does not describe a runnable Slack channel."""


@dataclass(frozen=True)
class SlackSettings:
    """Credentials and serving options of the Slack channel.

    `app_token` set means Socket Mode (no public URL); otherwise the HTTP Events API is served on
    `host:port` at /slack/events and every request must carry a valid signature made with `signing_secret`.
    """

    bot_token: str = field(repr=False)
    signing_secret: str | None = field(default=None, repr=False)
    app_token: str | None = field(default=None, repr=False)
    api_url: str | None = None
    host: str = "0.0.0.0"
    port: int = DEFAULT_PORT
    workers: int = DEFAULT_WORKERS
    team_ids: tuple[str, ...] = ()
    timeout: int = DEFAULT_TIMEOUT

    def __post_init__(self) -> None:
        if not self.bot_token:
            raise SlackSettingsError("SLACK_BOT_TOKEN is required (the xoxb- token of the installed app)")
        if not self.app_token and not self.signing_secret:
            raise SlackSettingsError(
                "set SLACK_APP_TOKEN for Socket Mode, or SLACK_SIGNING_SECRET for the HTTP Events API"
            )
        if self.timeout < 1:
            raise SlackSettingsError("SLACK_TIMEOUT_SECONDS must be at least 1")
        if self.workers < 1:
            raise SlackSettingsError("SLACK_WORKERS must be at least 1")

    @property
    def socket_mode(self) -> bool:
        """True when the channel connects out over Socket Mode instead of serving HTTP."""
        return bool(self.app_token)

    @property
    def base_url(self) -> str | None:
        """The Web API base URL with the trailing slash slack_sdk expects, or None for Slack's own."""
        if not self.api_url:
            return None
        return self.api_url if self.api_url.endswith("/") else self.api_url + "/"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> SlackSettings:
        """Settings from SLACK_* variables (see docs/slack.md for the table)."""
        env = os.environ if environ is None else environ
        return cls(
            bot_token=env.get("SLACK_BOT_TOKEN", ""),
            signing_secret=env.get("SLACK_SIGNING_SECRET") or None,
            app_token=env.get("SLACK_APP_TOKEN") or None,
            api_url=env.get("SLACK_API_URL") or None,
            host=env.get("SLACK_HOST") or "0.0.0.0",
            port=_int(env, "SLACK_PORT", DEFAULT_PORT),
            workers=_int(env, "SLACK_WORKERS", DEFAULT_WORKERS),
            timeout=_int(env, "SLACK_TIMEOUT_SECONDS", DEFAULT_TIMEOUT),
            team_ids=tuple(part.strip() for part in env.get("SLACK_TEAM_IDS", "").split(",") if part.strip()),
        )


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise SlackSettingsError(f"{name} must be a whole number, not {raw!r}") from None
