"""The Bot Framework adapter (botbuilder's CloudAdapter), built from `TeamsSettings`.

botbuilder builds a new connector client and user-token client for every turn, and building one
costs milliseconds of CPU in msrest (its retry policy alone scans a 1,000-entry list); under load
that, not the network, set the reply time. The authentication wrapper here keeps one of each per
bot and service URL instead, which also lets replies reuse open connections.

Errors in a turn are not swallowed by an `on_turn_error` handler: they reach the caller, so a
failed proactive send raises in `TeamsSender.send` and a failed reply shows in the server log.
"""
from __future__ import annotations

import logging
from types import SimpleNamespace

import jwt
import requests

from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication
from botbuilder.schema import Activity
from botframework.connector.aio import ConnectorClient
from botframework.connector.auth import (
    AuthenticateRequestResult,
    AuthenticationConstants,
    BotFrameworkAuthentication,
    ClaimsIdentity,
    ConnectorFactory,
    UserTokenClient,
)

from bot.teams.settings import TeamsSettings

log = logging.getLogger(__name__)


class KeysUnreachable(RuntimeError):
    """The Bot Framework's signing keys could not be fetched, so no token can be checked just now."""


def create_adapter(settings: TeamsSettings) -> CloudAdapter:
    """A CloudAdapter authenticating as the configured bot (or not at all, with no app id)."""
    configuration = SimpleNamespace(
        APP_ID=settings.app_id,
        APP_PASSWORD=settings.app_password,
        APP_TENANTID=settings.tenant_id,
        APP_TYPE=settings.app_type,
    )
    return CloudAdapter(ReusedClientsAuthentication(ConfigurationBotFrameworkAuthentication(configuration)))


class ReusedClientsAuthentication(BotFrameworkAuthentication):
    """botbuilder's authentication, keeping the connector and user-token clients it makes."""

    def __init__(self, inner: BotFrameworkAuthentication) -> None:
        self._inner = inner
        self._connectors: dict[tuple[str | None, str, str | None], ConnectorClient] = {}
        self._user_token_clients: dict[str | None, UserTokenClient] = {}
        self._keys_unreachable = False

    async def authenticate_request(self, activity: Activity, auth_header: str) -> AuthenticateRequestResult:
        """Validate the request's JWT; replies reuse kept connector clients. Raises PermissionError
        for any token that cannot be validated (botframework raises bare exceptions for an
        unlisted algorithm, an unknown or missing key id) and KeysUnreachable when the signing keys
        cannot be fetched (logged once until they can be again)."""
        try:
            result = await self._inner.authenticate_request(activity, auth_header)
        except (PermissionError, jwt.PyJWTError):
            raise
        except requests.RequestException as error:
            if not self._keys_unreachable:
                log.error("The Bot Framework's signing keys cannot be fetched, so Teams messages are refused "
                          "with 503 until they can: %s", error)
            self._keys_unreachable = True
            raise KeysUnreachable(str(error)) from error
        except Exception as error:  # noqa: BLE001 — botframework's own refusals are bare Exceptions, IndexErrors…
            raise PermissionError(f"the token could not be validated ({type(error).__name__}: {error})") from error
        if self._keys_unreachable:
            log.warning("The Bot Framework's signing keys can be fetched again: Teams messages are answered")
            self._keys_unreachable = False
        result.connector_factory = _ReusedConnectors(
            result.connector_factory, _bot_app_id(result.claims_identity), self._connectors
        )
        return result

    async def authenticate_streaming_request(self, auth_header: str, channel_id_header: str) -> AuthenticateRequestResult:
        """Validate a streaming (web socket) connection request."""
        return await self._inner.authenticate_streaming_request(auth_header, channel_id_header)

    def create_connector_factory(self, claims_identity: ClaimsIdentity) -> ConnectorFactory:
        """The connector factory for proactive turns, reusing kept connector clients."""
        inner = self._inner.create_connector_factory(claims_identity)
        return _ReusedConnectors(inner, _bot_app_id(claims_identity), self._connectors)

    async def create_user_token_client(self, claims_identity: ClaimsIdentity) -> UserTokenClient:
        """The bot's user-token client, made once."""
        app_id = _bot_app_id(claims_identity)
        if app_id not in self._user_token_clients:
            self._user_token_clients[app_id] = await self._inner.create_user_token_client(claims_identity)
        return self._user_token_clients[app_id]

    def get_originating_audience(self) -> str:
        """The OAuth scope the bot uses towards channels."""
        return self._inner.get_originating_audience()


class _ReusedConnectors(ConnectorFactory):
    """A connector factory handing out one client per bot, service URL and audience."""

    def __init__(
        self, inner: ConnectorFactory, app_id: str | None, kept: dict[tuple[str | None, str, str | None], ConnectorClient]
    ) -> None:
        self._inner = inner
        self._app_id = app_id
        self._kept = kept

    async def create(self, service_url: str, audience: str | None = None) -> ConnectorClient:
        """The kept client for this service URL, made on first use."""
        key = (self._app_id, service_url, audience)
        if key not in self._kept:
            client = await self._inner.create(service_url, audience)
            # The connector validates what it receives; msrest checking it again first costs about
            # 0.4 ms of CPU per message (autorest clients switch it off the same way).
            client._serialize.client_side_validation = False
            self._kept[key] = client
        return self._kept[key]


def _bot_app_id(claims_identity: ClaimsIdentity) -> str | None:
    """The bot's app id in a turn's claims (audience for channel requests, appid for proactive ones)."""
    claims = claims_identity.claims
    return claims.get(AuthenticationConstants.AUDIENCE_CLAIM) or claims.get(AuthenticationConstants.APP_ID_CLAIM)
