"""A return's spreadsheet sent in a personal chat in Teams (issue 28), through the real Teams app,
the mock Bot Framework connector and the real core on SQLite or PostgreSQL: the file.download.info
attachment fetched, the preview posted with Confirm and Cancel buttons, Confirm recorded once even
when clicked twice or redelivered; a file too large is read no further than the limit; a download
address that is not OneDrive's nor the connector's is never fetched."""
from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import text

from bot.core.bot import Bot
from bot.teams.package import PackageSettings, manifest
from data_access import return_files

from .test_teams_real_core import maya_message

RETURN = (b"indicator_code,geography_code,period,value\nNEET,E08000031,2026-10,5.1\n"
          b"TEMP_ACCOMMODATION,E08000031,2026/27 Q2,610\n")


def with_file(service_url: str, attachment: dict[str, Any], activity_id: str = "1700000000010") -> dict[str, Any]:
    """Maya's message carrying a file, as Teams posts it."""
    return {**maya_message(service_url, "", activity_id=activity_id), "attachments": [attachment]}


def neet_october(store) -> list[tuple]:
    with store.engine.connect() as connection:
        return connection.execute(text("SELECT value, recorded_by, source, channel FROM observation WHERE "
                                       "indicator_code = 'NEET' AND period = '2026-10'")).all()


def said(bot) -> str:
    return "\n".join(p.text for p in bot.connector.posted) + "\n".join(
        str(a["content"]) for p in bot.connector.posted for a in p.attachments)


def test_the_app_package_says_the_bot_takes_files() -> None:
    [bot] = manifest(PackageSettings(app_id="00000000-0000-0000-0000-000000000001",
                                            developer_url="https://perfbot.demo-council.example"))["bots"]
    assert bot["supportsFiles"] is True


async def test_a_file_in_a_personal_chat_is_previewed_and_confirmed_once(start_bot, store) -> None:
    core = Bot(store, today=lambda: date(2026, 11, 27))
    async with start_bot(core=core) as bot:
        attachment = bot.connector.share_file("neet-return.csv", RETURN)
        await bot.post(with_file(bot.connector.url, attachment))
        assert len(bot.connector.downloads) == 1
        preview = said(bot)
        assert "neet-return.csv" in preview and "October 2026: 5.1% — 🟢 green" in preview
        assert "Households in temporary accommodation (owner Amira Ahmed)" in preview
        assert neet_october(store) == []
        card = next(a["content"] for p in bot.connector.posted for a in p.attachments
                    if any(x["title"] == "Confirm" for x in a["content"].get("actions", [])))
        confirm = next(x["data"] for x in card["actions"] if x["title"] == "Confirm")
        assert any(x["title"] == "Cancel" for x in card["actions"])

        bot.connector.posted.clear()
        click = maya_message(bot.connector.url, "", value={k: v for k, v in confirm.items() if k != "msteams"},
                             activity_id="1700000000011")
        await bot.post(click)
        await bot.post(click)                                         # redelivered
        await bot.post({**click, "id": "1700000000012"})              # clicked a second time
        answers = [p.text for p in bot.connector.posted]
        assert sum("Recorded from **neet-return.csv**" in a or "Recorded from *neet-return.csv*" in a
                   for a in answers) == 1, answers
        assert sum("already recorded" in a for a in answers) == 2
        assert neet_october(store) == [(5.1, "maya.rowe@demo-council.example",
                                        "submitted by Maya Rowe from neet-return.csv", "teams")]


async def test_a_file_past_the_limit_is_refused_after_reading_no_more_than_the_limit(start_bot, store) -> None:
    core = Bot(store, today=lambda: date(2026, 11, 27))
    async with start_bot(core=core) as bot:
        huge = b"indicator_code,geography_code,period,value\n" + b"NEET,E08000031,2026-10,5.1\n" * 200_000
        assert len(huge) > return_files.MAX_BYTES
        await bot.post(with_file(bot.connector.url, bot.connector.share_file("huge.csv", huge)))
        assert "a return sent by chat can be at most 5 MB" in said(bot) and neet_october(store) == []


async def test_a_download_address_elsewhere_is_never_fetched(start_bot, store) -> None:
    core = Bot(store, today=lambda: date(2026, 11, 27))
    async with start_bot(core=core) as bot:
        attachment = {**bot.connector.share_file("r.csv", RETURN)}
        attachment["content"] = {**attachment["content"], "downloadUrl": "http://169.254.169.254/latest/meta-data"}
        await bot.post(with_file(bot.connector.url, attachment))
        assert bot.connector.downloads == [] and "could not be fetched" in said(bot)
