"""The web demo's small parts on their own: the loopback rule and the access token, the demo clock
across the clock changes, Markdown-light as data, and replies the page cannot show."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

import pytest

from bot.core.messages import CardReply, Choice, Reply, UnsupportedReply
from bot.web.clock import ClockRefused, DemoClock, label, london
from bot.web.markup import blocks, spans
from bot.web.render import reply_json
from bot.web.settings import RefusedHost, WebSettings, is_loopback

REAL = datetime(2026, 1, 5, 14, 30, tzinfo=timezone.utc)


@pytest.mark.parametrize("host, loopback", [
    ("127.0.0.1", True), ("127.0.0.5", True), ("::1", True), ("[::1]", True), ("localhost", True), ("LOCALHOST", True),
    ("0.0.0.0", False), ("::", False), ("192.168.1.20", False), ("demo.council.example", False), ("", False),
])
def test_loopback_addresses(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_a_non_loopback_address_needs_the_access_token() -> None:
    with pytest.raises(RefusedHost, match="PERFBOT_WEB_AUTH_TOKEN"):
        WebSettings(host="0.0.0.0")
    with pytest.raises(ValueError, match="at least 16 characters"):
        WebSettings(host="0.0.0.0", auth_token="short")
    assert WebSettings(host="0.0.0.0", auth_token="x" * 16).authenticated
    assert not WebSettings().authenticated


def test_settings_come_from_the_environment_and_the_command_line_wins() -> None:
    env = {"PERFBOT_WEB_HOST": "::1", "PERFBOT_WEB_PORT": "9000", "PERFBOT_WEB_AUTH_TOKEN": " " + "t" * 20 + " "}
    assert WebSettings.from_env(env) == WebSettings(host="::1", port=9000, auth_token="t" * 20)
    assert WebSettings.from_env(env, host="127.0.0.1", port=0) == WebSettings(host="127.0.0.1", port=0,
                                                                                auth_token="t" * 20)
    assert WebSettings.from_env({}) == WebSettings(host="127.0.0.1", port=8080)
    assert "t" * 20 not in repr(WebSettings.from_env(env))
    with pytest.raises(ValueError, match="port"):
        WebSettings(port=70000)


def test_the_demo_clock_starts_at_nine_in_london_in_winter_and_summer() -> None:
    assert DemoClock.starting_on(date(2026, 11, 27), real=lambda: REAL).now() == \
        datetime(2026, 11, 27, 9, 0, tzinfo=timezone.utc)
    summer = DemoClock.starting_on(date(2026, 7, 1), real=lambda: REAL)
    assert summer.now() == datetime(2026, 7, 1, 8, 0, tzinfo=timezone.utc)
    assert label(summer.now()) == "Wed 01 Jul 2026, 09:00"
    assert DemoClock(real=lambda: REAL).now() == REAL


def test_the_demo_clock_runs_on_with_real_time_and_only_moves_forward() -> None:
    real = [REAL]
    clock = DemoClock.starting_on(date(2026, 11, 27), real=lambda: real[0])
    real[0] += timedelta(minutes=90)
    assert label(clock.now()) == "Fri 27 Nov 2026, 10:30"
    assert clock.move_to(london(date(2026, 12, 10))) == datetime(2026, 12, 10, 9, 0, tzinfo=timezone.utc)
    with pytest.raises(ClockRefused, match="already Thu 10 Dec 2026, 09:00"):
        clock.move_to(london(date(2026, 12, 9), time(17, 0)))


def test_the_demo_date_is_the_london_date() -> None:
    clock = DemoClock.starting_on(date(2026, 7, 1), real=lambda: REAL)
    clock.move_to(london(date(2026, 7, 1), time(23, 30)))  # 22:30 UTC, already 1 July in London
    assert clock.today() == date(2026, 7, 1) and clock.now().date() == date(2026, 7, 1)
    clock.move_to(london(date(2026, 7, 2), time(0, 30)))  # 23:30 UTC on 1 July
    assert clock.today() == date(2026, 7, 2) and clock.now().date() == date(2026, 7, 1)


def test_markdown_light_becomes_runs_paragraphs_and_lists() -> None:
    text = ("*6 red* measures for Wolverhampton:\n• Staff retention: *79.1%*\n• Crime\n"
            "1. East Park: 32\n2. Heath Town: 31\n_Source: HR system._")
    assert blocks(text) == [
        {"p": [{"text": "6 red", "style": "strong"}, {"text": " measures for Wolverhampton:"}]},
        {"ul": [[{"text": "Staff retention: "}, {"text": "79.1%", "style": "strong"}], [{"text": "Crime"}]]},
        {"ol": [[{"text": "East Park: 32"}], [{"text": "Heath Town: 31"}]], "start": 1},
        {"p": [{"text": "Source: HR system.", "style": "em"}]},
    ]


@pytest.mark.parametrize("line", [
    "TEMP_ACCOMMODATION and CLA_RATE", "amira.ahmed@demo-council.example", "2 * 3 = 6", "a*b*c", "* not bold *",
    "<script>alert(1)</script>", "*", "_",
])
def test_what_is_not_markup_stays_text(line: str) -> None:
    assert spans(line) == [{"text": line}]


def test_a_numbered_list_continues_only_with_the_next_number() -> None:
    assert [list(b) for b in blocks("1. a\n3. b\n4. c")] == [["ol", "start"], ["ol", "start"]]
    assert blocks("5. Wolverhampton: 95.8% ← you")[0]["start"] == 5


def test_a_card_keeps_its_lines_and_buttons() -> None:
    card = CardReply("🔴 2 measures went red", ("• Crime: *27.9*", "Say “why” for more."), (Choice("Why?", "why"),))
    assert reply_json(card) == {"kind": "card", "title": "🔴 2 measures went red", "blocks": [
        {"ul": [[{"text": "Crime: "}, {"text": "27.9", "style": "strong"}]]}, {"p": [{"text": "Say “why” for more."}]},
    ], "actions": [{"label": "Why?", "value": "why"}]}


def test_a_reply_kind_the_page_cannot_show_raises() -> None:
    class Video:
        pass

    unknown: Reply = Video()  # type: ignore[assignment]
    with pytest.raises(UnsupportedReply):
        reply_json(unknown)
