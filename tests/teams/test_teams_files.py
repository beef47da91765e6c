"""The report deck in Teams (issue 27), through the real Teams app and the mock Bot Framework
connector: “send me the Q2 report” is answered with a signed, expiring link under TEAMS_PUBLIC_URL;
any other process on the same store (a second app, sharing nothing in memory) serves it; an altered
or forged link is refused, and an expired one says so. Charts go out the same way."""
from __future__ import annotations

import io
import re
from datetime import date, datetime, timedelta, timezone
from urllib.parse import urlsplit

import pytest
from aiohttp.test_utils import TestClient, TestServer
from pptx import Presentation

from bot.core.bot import Bot
from bot.teams.app import create_app
from bot.teams.links import FILE_DAYS, HostedLinks
from bot.teams.settings import TeamsSettings
from data_access.hosted import purge_hosted

from .test_teams_real_core import personal_message

PUBLIC = "https://perfbot.demo-council.example"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
LINK = re.compile(r"\((https://perfbot\.demo-council\.example/(files|charts)/[^)\s]+)\)")


class Clock:
    """A clock the test moves."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 27, 9, 15, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        return self.now


def settings() -> TeamsSettings:
    """The Teams channel behind the council's proxy, as every process is configured."""
    return TeamsSettings(public_url=PUBLIC, link_secret="the same long random secret in every process")


async def test_the_report_is_a_signed_link_that_any_process_serves_until_it_expires(start_bot, demo_store) -> None:
    clock = Clock()
    core = Bot(demo_store, today=lambda: date(2026, 11, 27))
    first = HostedLinks(demo_store.engine, PUBLIC, settings().link_key(), clock)
    async with start_bot(core=core, settings=settings(), links=first) as bot:
        assert (await bot.post(personal_message(bot.connector.url, "send me the Q2 report"))).status == 201
        said = "\n".join(posted.text or "" for posted in bot.connector.posted)
    [(link, _)] = LINK.findall(said)
    parts = urlsplit(link)
    assert parts.path.startswith("/files/") and parts.path.endswith("/cpr-2026-27-Q2.pptx")
    assert re.fullmatch(r"expires=\d+&signature=[0-9a-f]{40}", parts.query)
    elsewhere = create_app(settings(), Bot(demo_store), links=HostedLinks(demo_store.engine, PUBLIC,
                                                                           settings().link_key(), clock))
    async with TestClient(TestServer(elsewhere, host="127.0.0.1")) as client:
        served = await client.get(f"{parts.path}?{parts.query}")
        assert (served.status, served.content_type) == (200, PPTX)
        assert served.headers["Content-Disposition"] == 'attachment; filename="cpr-2026-27-Q2.pptx"'
        titles = [s.shapes.title.text for s in Presentation(io.BytesIO(await served.read())).slides]
        assert titles[0] == "Corporate performance report" and "Council overview, 2026/27 Q2" in titles
        expires = int(parts.query.split("&")[0].removeprefix("expires="))
        assert expires == int((clock.now + timedelta(days=FILE_DAYS)).timestamp())
        altered = await client.get(f"{parts.path}?expires={expires + 86400}&{parts.query.split('&')[1]}")
        forged = await client.get(f"{parts.path}?expires={expires}&signature={'0' * 40}")
        unsigned = await client.get(parts.path)
        assert [altered.status, forged.status, unsigned.status] == [403, 403, 403]
        assert "not one perfbot made" in await forged.text()
        clock.now += timedelta(days=FILE_DAYS, seconds=1)
        expired = await client.get(f"{parts.path}?{parts.query}")
        assert expired.status == 410 and "expired" in await expired.text()
    assert purge_hosted(demo_store.engine, clock.now) >= 1  # the scheduler's sweep removes it


async def test_a_chart_goes_out_as_a_signed_link_served_by_any_process(start_bot, demo_store) -> None:
    clock = Clock()
    links = HostedLinks(demo_store.engine, PUBLIC, settings().link_key(), clock)
    async with start_bot(core=Bot(demo_store, today=lambda: date(2026, 11, 27)), settings=settings(),
                         links=links) as bot:
        await bot.post(personal_message(bot.connector.url, "is crime going up?"))
        attachments = [a for posted in bot.connector.posted for a in posted.activity.get("attachments") or []]
    [image] = [a for a in attachments if a["contentType"] == "image/png"]
    parts = urlsplit(image["contentUrl"])
    assert image["contentUrl"].startswith(f"{PUBLIC}/charts/") and "signature=" in parts.query
    async with TestClient(TestServer(create_app(settings(), Bot(demo_store), links=HostedLinks(
            demo_store.engine, PUBLIC, settings().link_key(), clock)), host="127.0.0.1")) as client:
        served = await client.get(f"{parts.path}?{parts.query}")
        assert (served.status, served.content_type) == (200, "image/png")
        assert (await served.read()).startswith(b"\x89PNG")


def test_a_public_url_needs_a_key_to_sign_links_and_the_key_never_is_the_password() -> None:
    with pytest.raises(ValueError, match="PERFBOT_LINK_SECRET"):
        TeamsSettings(public_url=PUBLIC)
    with pytest.raises(ValueError, match="at least 32 characters"):
        TeamsSettings(public_url=PUBLIC, link_secret="short")
    derived = TeamsSettings(app_id="a", app_password="the-client-secret", public_url=PUBLIC)
    assert derived.link_key() != b"the-client-secret" and len(derived.link_key()) == 32
    assert TeamsSettings.from_env({"TEAMS_PUBLIC_URL": PUBLIC, "PERFBOT_LINK_SECRET": "x" * 40}).link_key() == \
        TeamsSettings(public_url=PUBLIC, link_secret="x" * 40).link_key()
    assert "the same long" not in repr(settings())
