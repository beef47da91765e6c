"""Tokens that reach the Bot Framework's key check and fail it are refused with 401, never a 500
and a traceback (issue 24, item 11): `alg: none`, HS256 signed with the public key, an unknown or a
missing key id. When the signing keys cannot be fetched, every activity gets 503, logged once.

The keys are served by a local OpenID endpoint (in a thread: botframework fetches them with the
blocking `requests`), which botframework is pointed at in place of login.botframework.com."""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Iterator

import jwt
import pytest
import requests
from botframework.connector.auth import jwt_token_extractor
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from bot.teams.settings import TeamsSettings
from tests.teams.test_teams_conversations import APP_ID, TENANT, personal_message

ISSUER = "https://api.botframework.com"
KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
PUBLIC_PEM = KEY.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
SETTINGS = TeamsSettings(app_id=APP_ID, app_password="test-secret", tenant_id=TENANT, app_type="SingleTenant")


class Keys(BaseHTTPRequestHandler):
    """The OpenID configuration and the JWKS with one key, "k1"; counts what is fetched."""

    fetched: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        Keys.fetched.append(self.path)
        host = f"http://127.0.0.1:{self.server.server_port}"
        jwk = json.loads(RSAAlgorithm.to_jwk(KEY.public_key())) | {"kid": "k1", "use": "sig"}
        body = {"jwks_uri": f"{host}/keys"} if self.path.endswith("configuration") else {"keys": [jwk]}
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def keys(monkeypatch) -> Iterator[str]:
    """A local key server; botframework's fetches of the Bot Framework's OpenID metadata go to it."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), Keys)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    local = f"http://127.0.0.1:{server.server_port}"
    real_get = requests.get
    monkeypatch.setattr(jwt_token_extractor.requests, "get", lambda url, *a, **k: real_get(
        url if url.startswith(local) else f"{local}/openid-configuration", *a, timeout=5, **k))
    monkeypatch.setattr(jwt_token_extractor.JwtTokenExtractor, "metadataCache", {})
    Keys.fetched = []
    yield local
    server.shutdown()


def claims(service_url: str) -> dict:
    return {"iss": ISSUER, "aud": APP_ID, "serviceurl": service_url, "exp": int(time.time()) + 600}


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def hs256_over_the_public_key(service_url: str) -> str:
    head = _b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": "k1"}).encode())
    body = _b64(json.dumps(claims(service_url)).encode())
    signature = hmac.new(PUBLIC_PEM, f"{head}.{body}".encode(), hashlib.sha256).digest()
    return f"{head}.{body}.{_b64(signature)}"


TOKENS = {
    "alg none": lambda url: jwt.encode(claims(url), None, algorithm="none", headers={"kid": "k1"}),
    "alg none without a key id": lambda url: jwt.encode(claims(url), None, algorithm="none"),
    "HS256 over the public key": hs256_over_the_public_key,
    "unknown key id": lambda url: jwt.encode(claims(url), KEY, algorithm="RS256", headers={"kid": "k9"}),
    "missing key id": lambda url: jwt.encode(claims(url), KEY, algorithm="RS256"),
}


@pytest.mark.parametrize("kind", TOKENS)
async def test_a_token_failing_the_key_check_is_401(start_bot, core, keys, caplog, kind) -> None:
    with caplog.at_level(logging.WARNING):
        async with start_bot(settings=SETTINGS) as bot:
            token = TOKENS[kind](bot.connector.url)
            response = await bot.post(personal_message(bot.connector.url, "NEET?"), Authorization=f"Bearer {token}")
            assert response.status == 401, await response.text()
            assert bot.connector.posted == []
    assert core.handled == [] and "/keys" in Keys.fetched  # the token reached the key check
    assert "Traceback" not in caplog.text and "Error handling request" not in caplog.text


async def test_unreachable_keys_are_503_for_everyone_logged_once(start_bot, core, monkeypatch, caplog) -> None:
    def unreachable(url, *args, **kwargs):
        raise requests.ConnectionError(f"cannot reach {url}")
    monkeypatch.setattr(jwt_token_extractor.requests, "get", unreachable)
    monkeypatch.setattr(jwt_token_extractor.JwtTokenExtractor, "metadataCache", {})
    with caplog.at_level(logging.WARNING):
        async with start_bot(settings=SETTINGS) as bot:
            token = jwt.encode(claims(bot.connector.url), KEY, algorithm="RS256", headers={"kid": "k1"})
            for _ in range(3):
                response = await bot.post(personal_message(bot.connector.url, "NEET?"), Authorization=f"Bearer {token}")
                assert response.status == 503 and response.headers["Retry-After"] == "30"
                assert "signing keys cannot be fetched" in await response.text()
    assert core.handled == []
    assert caplog.text.count("signing keys cannot be fetched, so Teams messages are refused") == 1
