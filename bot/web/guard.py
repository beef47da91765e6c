"""The web chat's safeguards, each one small piece: security headers on every response (a
Content-Security-Policy that allows no inline script), requests addressed to this machine only
when there is no access token (against DNS rebinding), the access token and its sign-in cookie when
one is configured, and writes that are JSON from the page's own origin (against cross-site posts)."""
from __future__ import annotations

import hashlib
import hmac
import json
from typing import Awaitable, Callable

from aiohttp import web

from bot.web.settings import WebSettings, is_loopback

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
HEADERS = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
           "X-Frame-Options": "DENY", "Cache-Control": "no-store"}
COOKIE = "perfbot_demo"
OPEN_PATHS = ("/login", "/static/app.css", "/healthz", "/readyz")
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def refuse(error: type[web.HTTPException], message: str) -> web.HTTPException:
    """An HTTP error whose body is {"error": message}, for the page to show."""
    return error(text=json.dumps({"error": message}), content_type="application/json")


async def add_headers(_request: web.Request, response: web.StreamResponse) -> None:
    """Put the security headers on a response about to be sent (pages, files and errors alike)."""
    response.headers.update(HEADERS)


def sign_in_cookie(token: str) -> str:
    """The cookie value that proves the visitor gave the token (the token itself is never stored)."""
    return hmac.new(token.encode(), b"perfbot web demo sign-in", hashlib.sha256).hexdigest()


def signed_in(request: web.Request, token: str) -> bool:
    """True when the request carries the sign-in cookie or `Authorization: Bearer <token>`."""
    cookie = request.cookies.get(COOKIE, "").encode()
    bearer = request.headers.get("Authorization", "").encode()
    return (hmac.compare_digest(cookie, sign_in_cookie(token).encode())
            or hmac.compare_digest(bearer, f"Bearer {token}".encode()))


def login_routes(settings: WebSettings, page: str) -> list[web.RouteDef]:
    """GET and POST /login: the sign-in form (`page`, fixed HTML) and checking the token it sends."""

    async def form(_request: web.Request) -> web.Response:
        """The sign-in form."""
        return web.Response(text=page.replace("<!--message-->", ""), content_type="text/html")

    async def check(request: web.Request) -> web.Response:
        """Set the sign-in cookie for the right token; show the form again for a wrong one."""
        given = str((await request.post()).get("token", "")).encode()
        if not hmac.compare_digest(given, settings.auth_token.encode()):
            wrong = '<p class="error" role="alert">That is not the demo&rsquo;s access token.</p>'
            return web.Response(text=page.replace("<!--message-->", wrong), content_type="text/html", status=401)
        response = web.HTTPSeeOther("/")
        response.set_cookie(COOKIE, sign_in_cookie(settings.auth_token), httponly=True, samesite="Strict", path="/")
        raise response

    return [web.get("/login", form), web.post("/login", check)]


def middlewares(settings: WebSettings) -> list:
    """The request checks for these settings, outermost first."""

    @web.middleware
    async def this_machine_only(request: web.Request, handler: Handler) -> web.StreamResponse:
        """Without a token, answer only requests addressed to a loopback name (no DNS rebinding)."""
        if not is_loopback(request.url.host or ""):
            raise refuse(web.HTTPMisdirectedRequest, "The web demo answers only at localhost or 127.0.0.1.")
        return await handler(request)

    @web.middleware
    async def token_required(request: web.Request, handler: Handler) -> web.StreamResponse:
        """With a token, everything but the sign-in page needs it."""
        if request.path in OPEN_PATHS or signed_in(request, settings.auth_token):
            return await handler(request)
        if request.path.startswith("/api/"):
            raise refuse(web.HTTPUnauthorized, "Sign in at /login with the demo's access token.")
        raise web.HTTPSeeOther("/login")

    @web.middleware
    async def same_origin_json(request: web.Request, handler: Handler) -> web.StreamResponse:
        """Writes come from the page itself: same origin, and JSON for the API."""
        if request.method == "POST":
            origin = request.headers.get("Origin")
            if origin and origin != f"{request.scheme}://{request.host}":
                raise refuse(web.HTTPForbidden, "Requests from other sites are refused.")
            if request.path.startswith("/api/") and request.content_type != "application/json":
                raise refuse(web.HTTPUnsupportedMediaType, "Send JSON (Content-Type: application/json).")
        return await handler(request)

    checks = [token_required] if settings.authenticated else [this_machine_only]
    return [*checks, same_origin_json]
