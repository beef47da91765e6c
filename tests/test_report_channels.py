"""The report deck asked for in chat and handed over in each channel: the real core's answer to
“send me the Q2 report”, uploaded to Slack (at the local Web API mock), offered as a download in
the web chat (over HTTP), and refused in Teams without a public URL (tests/teams/test_teams_files.py
has the signed links); plus “what's outstanding for the Q2 report?” by service and director."""
from __future__ import annotations

import asyncio
import base64
import io
import json
from datetime import date, datetime, timezone

import pytest
from aiohttp.test_utils import TestClient, TestServer
from pptx import Presentation

from bot.core.bot import Bot
from bot.core.messages import FileReply, Message, TextReply, UnsupportedReply
from bot.core.people import from_row
from bot.slack.app import web_client
from bot.slack.posting import send
from bot.slack.render import render_all
from bot.slack.settings import SlackSettings
from bot.slack.testing import MockSlack
from bot.teams.cards import render as render_teams
from bot.teams.images import ChartImages
from bot.web.app import create_app as create_web_app
from bot.web.clock import DemoClock
from bot.web.scheduling import DemoScheduler
from bot.web.settings import WebSettings

TODAY = date(2026, 11, 27)
ZOE = "zoe.gill@demo-council.example"             # performance team
IMRAN_JONES = "imran.jones@demo-council.example"  # director of Children's Services
BEA = "bea.foster@demo-council.example"           # director of City Housing
PRIYA = "cllr.priya.evans@demo-council.example"   # cabinet member for Children and Young People
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"


def answer(store, email: str, words: str):
    bot = Bot(store, today=lambda: TODAY)
    return bot.answer(Message(words, from_row(store.person(email)), "report-channels"))


def deck_titles(data: bytes) -> list[str]:
    return [slide.shapes.title.text for slide in Presentation(io.BytesIO(data)).slides]


def test_send_me_the_q2_report_is_the_whole_councils_deck_as_a_file(demo_store):
    got = answer(demo_store, ZOE, "send me the Q2 report")
    assert got.facts["intent"] == "report" and got.facts["period"] == "2026/27 Q2"
    [file] = [r for r in got.replies if isinstance(r, FileReply)]
    assert (file.filename, file.media_type) == ("cpr-2026-27-Q2.pptx", PPTX)
    assert "40 measures, 6 red, 6 still without commentary" in got.replies[0].text
    titles = deck_titles(file.content)
    assert titles[0] == "Corporate performance report" and "Council overview, 2026/27 Q2" in titles


def test_the_childrens_services_report_is_that_service_only(demo_store):
    got = answer(demo_store, IMRAN_JONES, "the Children's Services report")
    [file] = [r for r in got.replies if isinstance(r, FileReply)]
    assert file.filename == "cpr-2026-27-Q2-Children-s-Services.pptx"
    services = {t.split(":")[0] for t in deck_titles(file.content)[3:] if not t.startswith(("Appendix", "Returns outstanding"))}
    assert services == {"Children's Services"}


def test_someone_unknown_gets_no_report(demo_store):
    replies = Bot(demo_store, today=lambda: TODAY).handle(Message("send me the Q2 report", None, "x"))
    assert not any(isinstance(r, FileReply) for r in replies)
    assert "I don't recognise you" in replies[0].text


def test_whats_outstanding_by_service_and_director_for_the_team_and_own_service_for_a_director(demo_store):
    team = answer(demo_store, ZOE, "what's outstanding for the Q2 report?")
    text = team.replies[0].text
    assert "*Outstanding for the 2026/27 Q2 report* (the council): 21 items." in text  # 7 returns, 6 reds, 8 comments
    assert ("*Finance*\n• Net variation to revenue budget (2026/27 Q2): the return, due 20 Oct 2026 (overdue), from "
            "Imran Dhillon\n") in text
    assert ("• the cabinet member's comment for the summary page, from Cllr Deepa Quinn\n"
            "• Total recorded crime per 1,000 population (2026/27 Q2): commentary from Imran Clarke") in text
    assert "• Net variation to revenue budget (2026/27 Q1): commentary from Owen Bains" in text
    housing = answer(demo_store, BEA, "what's outstanding for the Q2 report?").replies[0].text
    assert "(City Housing): 3 items." in housing and "City Environment" not in housing
    children = answer(demo_store, IMRAN_JONES, "what's outstanding for the Q2 report?").replies[0].text
    assert children.endswith("*Children's Services*\n• Children looked after per 10,000 children (2026/27 Q2): the "
                             "return, due 20 Oct 2026 (overdue), from Maya Rowe\n• the cabinet member's comment for the "
                             "summary page, from Cllr Priya Evans")


def test_a_cabinet_members_comment_goes_on_the_summary_page_and_is_no_longer_outstanding(store):
    said = answer(store, PRIYA, "comment on the Q2 report: good progress on schools; care leavers remain a concern")
    assert said.replies[0].text == ("Thank you — your comment will appear on the Children's Services summary page of "
                                    "the 2026/27 Q2 report.")
    got = answer(store, IMRAN_JONES, "the Children's Services report")
    [file] = [r for r in got.replies if isinstance(r, FileReply)]
    summary = next(slide for slide in Presentation(io.BytesIO(file.content)).slides
                   if slide.shapes.title.text.startswith("Children's Services: summary"))
    texts = "\n".join(shape.text_frame.text for shape in summary.shapes if shape.has_text_frame)
    assert "\nCabinet member's comment: “good progress on schools; care leavers remain a concern”" in texts
    outstanding = answer(store, IMRAN_JONES, "what's outstanding for the Q2 report?").replies[0].text
    assert "(Children's Services): 1 item." in outstanding and "cabinet member's comment" not in outstanding
    assert "Only a cabinet member" in answer(store, ZOE, "comment on the Q2 report: fine").replies[0].text


def test_slack_uploads_the_deck_into_the_conversation(demo_store):
    replies = answer(demo_store, ZOE, "send me the Q2 report").replies
    with MockSlack({}) as mock:
        client = web_client(SlackSettings(bot_token="xoxb-test", signing_secret="s", api_url=mock.api_url))
        for item in render_all(replies):
            send(client, item, "D0PERFORM")
        [posted] = mock.calls("chat.postMessage")
        assert "Q2 2026/27 corporate performance report" in posted.args["text"]
        [url_call] = mock.calls("files.getUploadURLExternal")
        assert url_call.args["filename"] == "cpr-2026-27-Q2.pptx"
        [upload] = mock.calls("upload")
        assert deck_titles(upload.content)[2] == "Council overview, 2026/27 Q2"
        [complete] = mock.calls("files.completeUploadExternal")
        assert complete.args["channel_id"] == "D0PERFORM"
        assert json.loads(complete.args["files"])[0]["title"] == "Corporate performance report 2026/27 Q2"


def test_the_web_chat_offers_the_deck_as_a_download(demo_store):
    clock = DemoClock.starting_on(TODAY, real=lambda: datetime(2026, 1, 5, 14, 30, tzinfo=timezone.utc))
    scheduler = DemoScheduler(demo_store, clock)
    app = create_web_app(WebSettings(port=0), demo_store, Bot(demo_store, today=clock.today), scheduler)

    async def ask() -> list[dict]:
        async with TestClient(TestServer(app, host="127.0.0.1")) as client:
            response = await client.post("/api/messages", json={"as": ZOE, "conversation": "t",
                                                                "text": "send me the Q2 report"})
            assert response.status == 200
            return (await response.json())["replies"]

    try:
        replies = asyncio.run(ask())
    finally:
        scheduler.stop()
    [file] = [r for r in replies if r["kind"] == "file"]
    assert (file["name"], file["title"]) == ("cpr-2026-27-Q2.pptx", "Corporate performance report 2026/27 Q2")
    prefix, data = file["src"].split(",", 1)
    assert prefix == f"data:{PPTX};base64"
    content = base64.b64decode(data)
    assert file["bytes"] == len(content) and deck_titles(content)[0] == "Corporate performance report"


def test_teams_without_a_public_url_says_the_file_cannot_be_sent():
    document = FileReply("cpr.pptx", b"PK", "Report", "The report", PPTX)
    with pytest.raises(UnsupportedReply, match="set TEAMS_PUBLIC_URL"):
        render_teams([TextReply("Here it is"), document], ChartImages())
