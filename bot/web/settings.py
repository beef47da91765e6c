"""Configuration of the web demo channel, from environment variables (12-factor) and the options of
`perfbot demo`, and the rule that keeps it a demo: in the web chat the person you pick *is* your
identity, so without an access token the channel listens on a loopback address only.

| variable | meaning | default |
|---|---|---|
| PERFBOT_WEB_HOST | interface to listen on | 127.0.0.1 |
| PERFBOT_WEB_PORT | port (0: any free port, printed at start-up) | 8080 |
| PERFBOT_WEB_AUTH_TOKEN | shared access token; required to listen on a non-loopback address | (none) |
| PERFBOT_DEMO_TODAY | the demo clock's start date (YYYY-MM-DD, 09:00 London) | today, real time |
"""
from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass, field

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8080
MIN_TOKEN_LENGTH = 16


class RefusedHost(ValueError):
    """The channel was asked to listen where anyone could pose as anyone, without an access token."""


def is_loopback(host: str) -> bool:
    """True for `localhost` and loopback addresses (127.0.0.0/8, ::1)."""
    name = host.strip().strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class WebSettings:
    """Where the web chat listens and whether visitors must present the access token."""

    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    auth_token: str = field(default="", repr=False)

    def __post_init__(self) -> None:
        """Refuse a non-loopback address without a token, a short token and an impossible port."""
        if not 0 <= self.port <= 65535:
            raise ValueError(f"the port must be between 0 and 65535, not {self.port}")
        if self.auth_token and len(self.auth_token) < MIN_TOKEN_LENGTH:
            raise ValueError(f"PERFBOT_WEB_AUTH_TOKEN must be at least {MIN_TOKEN_LENGTH} characters long")
        if not is_loopback(self.host) and not self.auth_token:
            raise RefusedHost(
                f"Refusing to listen on {self.host!r}: in the web demo the person you pick is who you are, so "
                "anyone who could reach it could act as anyone in the people table. It listens on 127.0.0.1 "
                f"unless PERFBOT_WEB_AUTH_TOKEN is set to a secret of at least {MIN_TOKEN_LENGTH} characters "
                "(visitors then sign in with it at /login).")

    @property
    def authenticated(self) -> bool:
        """True when every request must carry the access token (or its sign-in cookie)."""
        return bool(self.auth_token)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, host: str | None = None,
                 port: int | None = None) -> WebSettings:
        """The settings from PERFBOT_WEB_* variables; `host` and `port` given on the command line win."""
        env = os.environ if environ is None else environ
        return cls(
            host=host or env.get("PERFBOT_WEB_HOST", "").strip() or DEFAULT_HOST,
            port=port if port is not None else int(env.get("PERFBOT_WEB_PORT", "").strip() or DEFAULT_PORT),
            auth_token=env.get("PERFBOT_WEB_AUTH_TOKEN", "").strip(),
        )
