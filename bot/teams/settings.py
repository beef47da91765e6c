"""Configuration of the Teams channel, read from environment variables (12-factor).

The Bot Framework identity comes from the same variables Microsoft's samples use
(`MICROSOFT_APP_ID`, `MICROSOFT_APP_PASSWORD`, `MICROSOFT_APP_TENANT_ID`, `MICROSOFT_APP_TYPE`).
Without an app id the channel runs unauthenticated, for local testing only.
"""
from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlparse

APP_TYPES = ("MultiTenant", "SingleTenant", "UserAssignedMSI")
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
SHORTEST_LINK_SECRET = 32


@dataclass(frozen=True)
class TeamsSettings:
    """How the Teams channel authenticates, where it listens and how it shows charts."""

    app_id: str = ""
    app_password: str = field(default="", repr=False)
    tenant_id: str = ""
    app_type: str = "MultiTenant"
    host: str = ""
    port: int = 3978
    public_url: str = ""
    worker_threads: int = 32
    app_name: str = "perfbot"
    developer_name: str = "perfbot"
    developer_url: str = ""
    link_secret: str = field(default="", repr=False)

    def __post_init__(self) -> None:
        """Refuse combinations the Bot Framework would only reject later, at the first message."""
        if self.app_type not in APP_TYPES:
            raise ValueError(f"MICROSOFT_APP_TYPE must be one of {', '.join(APP_TYPES)}, not {self.app_type!r}")
        if self.app_id:
            needs_password = self.app_type != "UserAssignedMSI"
            if needs_password and not self.app_password:
                raise ValueError(f"MICROSOFT_APP_PASSWORD is required for a {self.app_type} bot")
            if self.app_type != "MultiTenant" and not self.tenant_id:
                raise ValueError(f"MICROSOFT_APP_TENANT_ID is required for a {self.app_type} bot")
        if not self.app_id and self.host and self.host not in LOOPBACK_HOSTS:
            raise ValueError(f"TEAMS_HOST={self.host} would let anyone reach the unauthenticated Teams channel: set "
                             "MICROSOFT_APP_ID (and its password) or listen on 127.0.0.1")
        if self.public_url and not _is_https_or_loopback(self.public_url):
            raise ValueError("TEAMS_PUBLIC_URL must be an https:// URL (Teams fetches chart images over HTTPS)")
        if self.link_secret and len(self.link_secret) < SHORTEST_LINK_SECRET:
            raise ValueError(f"PERFBOT_LINK_SECRET must be at least {SHORTEST_LINK_SECRET} characters long")
        if self.public_url and not (self.link_secret or self.app_password):
            raise ValueError("TEAMS_PUBLIC_URL needs a key to sign the links to files and charts with: set "
                             "PERFBOT_LINK_SECRET (a long random string, the same in every process), or "
                             "MICROSOFT_APP_PASSWORD")

    def link_key(self) -> bytes:
        """The key the links to files and charts are signed with: PERFBOT_LINK_SECRET, else one derived
        from the app's client secret (never the secret itself); the same in every process."""
        if self.link_secret:
            return hashlib.sha256(self.link_secret.encode()).digest()
        return hmac.new(self.app_password.encode(), b"perfbot links to files and charts", hashlib.sha256).digest()

    @property
    def authenticated(self) -> bool:
        """True when incoming activities must carry a valid Bot Framework JWT."""
        return bool(self.app_id)

    @property
    def bind_host(self) -> str:
        """The interface to listen on: loopback only when unauthenticated, unless set explicitly."""
        return self.host or ("0.0.0.0" if self.authenticated else "127.0.0.1")

    def trusts_email_from(self, tenant_id: str | None) -> bool:
        """True when an e-mail/UPN reported for a user in `tenant_id` may identify a person.

        Another tenant's administrator can give their users any e-mail address, so e-mail matching
        is limited to the council's own tenant (MICROSOFT_APP_TENANT_ID); with no tenant
        configured it is allowed only in unauthenticated local testing.
        """
        if self.tenant_id:
            return tenant_id == self.tenant_id
        return not self.authenticated

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> TeamsSettings:
        """Read the settings from environment variables (see docs/teams.md for the table)."""
        env = os.environ if environ is None else environ
        return cls(
            app_id=env.get("MICROSOFT_APP_ID", "").strip(),
            app_password=env.get("MICROSOFT_APP_PASSWORD", ""),
            tenant_id=env.get("MICROSOFT_APP_TENANT_ID", "").strip(),
            app_type=env.get("MICROSOFT_APP_TYPE", "").strip() or _default_app_type(env),
            host=env.get("TEAMS_HOST", "").strip(),
            port=int(env.get("TEAMS_PORT", "") or 3978),
            public_url=env.get("TEAMS_PUBLIC_URL", "").strip().rstrip("/"),
            worker_threads=int(env.get("TEAMS_WORKER_THREADS", "") or 32),
            app_name=env.get("TEAMS_APP_NAME", "").strip() or "perfbot",
            developer_name=env.get("TEAMS_DEVELOPER_NAME", "").strip() or "perfbot",
            developer_url=env.get("TEAMS_DEVELOPER_URL", "").strip(),
            link_secret=env.get("PERFBOT_LINK_SECRET", ""),
        )


def _default_app_type(env: Mapping[str, str]) -> str:
    """SingleTenant when a tenant is given (Azure creates only single-tenant bots since 2025-07-31)."""
    return "SingleTenant" if env.get("MICROSOFT_APP_TENANT_ID", "").strip() else "MultiTenant"


def _is_https_or_loopback(url: str) -> bool:
    """True for https URLs, and for http URLs on this machine (local testing)."""
    parsed = urlparse(url)
    return parsed.scheme == "https" or (parsed.scheme == "http" and parsed.hostname in LOOPBACK_HOSTS)
