"""End to end in headless Chromium against the real `python -m bot.web` process: the development-set
questions asked as their askers, charts loaded, a clarification button, a value submitted with the
form, the demo clock moved to a deadline with the reminder arriving, and hostile input that must
not execute. Screenshots are saved for people to look at (see docs/web.md)."""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from bot.core.format import period_text
from data_access.store import Store

from .conftest import ChatPage, DemoProcess, start_demo

QUESTIONS = Path(__file__).resolve().parents[1] / "data" / "questions.md"
FARID = "cllr.farid.mistry@demo-council.example"
MAYA = "maya.rowe@demo-council.example"
CHLOE = "chloe.young@demo-council.example"
BEN = "ben.singh@demo-council.example"
HOSTILE = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>'


def development_set() -> list[tuple[str, str, dict[str, Any]]]:
    """(asker, question, facts) for each row of tests/data/questions.md."""
    rows = []
    for line in QUESTIONS.read_text(encoding="utf-8").splitlines():
        if line.startswith("| `"):
            asker, question, facts = (cell.strip() for cell in line.strip().strip("|").split("|"))
            rows.append((asker.strip("`"), question, json.loads(facts.strip("`"))))
    return rows


def number(value: float) -> str:
    """A value as the bot writes it: 10,487 or 6.2."""
    return f"{value:,.0f}" if value >= 1000 else f"{value:.1f}"


def evidence(facts: dict[str, Any], store: Store) -> list[str]:
    """What a person must see in the answer for these facts: the places, values, names…"""
    place = store.places["name"].to_dict()
    indicator = store.indicators["name"].to_dict()
    people = {p.email: p.name for p in store.people()}
    seen = [place[code] for code in facts.get("geographies", [])]
    seen += [number(v) for v in facts.get("values", {}).values()]
    seen += [place[code] for code in facts.get("ranked", [])]
    seen += [indicator[code] for code in facts.get("red", [])]
    seen += facts.get("includes", [])
    seen += [facts["service"]] if "service" in facts else []
    seen += [people[facts["owner"]]] if "owner" in facts else []
    seen += [number(facts["target"])] if "target" in facts else []
    if facts["intent"] == "definition":
        seen.append(indicator[facts["indicator"]])
    if facts["intent"] == "submit" and facts.get("refused"):
        seen.append("Nothing was recorded")
    elif facts["intent"] == "submit":
        seen += ["Recorded:", f"{period_text(facts['period'], months=False)} = {number(facts['value'])}"]
    seen += {"due": ["returns"], "help": ["Try:"]}.get(facts["intent"], [])
    return seen


def assert_chart_loaded(chat: ChatPage, answer: Any) -> None:
    """The answer shows a chart image that has loaded, with alt text saying what it shows."""
    image = answer.locator("img.chart__image")
    chat.expect(image).to_be_visible()
    assert len(image.get_attribute("alt") or "") > 20
    chat.tab.wait_for_function("img => img.complete && img.naturalWidth > 300", arg=image.element_handle())


def test_development_set_questions_are_answered_in_the_page(chat: ChatPage, demo_database: Path,
                                                            screenshots: Path) -> None:
    store = Store.open(f"sqlite:///{demo_database}")
    for asker, question, facts in development_set():
        chat.talk_as(asker)
        answer = chat.ask(question)
        text = answer.inner_text()
        for expected in evidence(facts, store):
            assert expected in text, f"{question!r} asked by {asker}: {expected!r} not in {text!r}"
        if facts.get("chart"):
            assert_chart_loaded(chat, answer)
    store.engine.dispose()
    chat.talk_as(BEN)
    chat.tab.screenshot(path=str(screenshots / "web-demo-leader.png"))


def test_a_councillor_sees_answers_and_a_chart_for_their_ward(chat: ChatPage, screenshots: Path) -> None:
    chat.talk_as(FARID)
    chat.expect(chat.tab.locator("#person-role")).to_have_text("Councillor for Park")
    first = chat.ask("unemployment in my ward vs region")
    chat.expect(first.locator("li").first).to_contain_text("Park: 6.2%")
    chat.expect(first.locator("strong").first).to_have_text("Claimant count rate")
    trend = chat.ask("unemployment in my ward over the last 2 years")
    chat.expect(trend).to_contain_text("Claimant count rate · Park · October 2024 to October 2026")
    chat.expect(trend).to_contain_text("Went from 6.5% (October 2024) to 6.2% (October 2026)")
    assert_chart_loaded(chat, trend)
    chat.tab.set_viewport_size({"width": 1280, "height": 1000})
    chat.expect(trend.locator("img")).to_be_in_viewport()
    chat.tab.screenshot(path=str(screenshots / "web-demo.png"))


def test_a_clarification_button_answers_the_question(chat: ChatPage) -> None:
    chat.talk_as(BEN)
    question = chat.ask("life expectancy")
    chat.expect(question).to_contain_text("Which one do you mean?")
    answer = chat.click(question, "Life expectancy at birth (female)")
    chat.expect(answer).to_contain_text("Life expectancy at birth (female) · Wolverhampton · 2025/26: 79.4 years")
    chat.expect(question.get_by_role("button", name="Life expectancy at birth (male)")).to_be_disabled()
    chat.expect(chat.log().locator(".message--mine").last).to_have_text("You said: Life expectancy at birth (female)")


def test_an_owner_submits_a_value_with_the_form_and_sees_its_status(chat: ChatPage, screenshots: Path) -> None:
    chat.talk_as(MAYA)
    owed = chat.ask("What returns do I owe?")
    chat.expect(owed).to_contain_text("NEET) or not known, October 2026 — overdue")
    form_answer = chat.ask("submit value")
    form = form_answer.locator("form")
    form.get_by_label("Return").select_option(label="16-17 year olds not in education, employment or… — October 2026")
    chat.expect(form.get_by_label("Period")).to_have_value("October 2026")
    form.get_by_label("Value").fill("5.4")
    chat.tab.screenshot(path=str(screenshots / "web-demo-form.png"))
    recorded = chat.click(form, "Submit")
    chat.expect(recorded).to_contain_text("Recorded: 16-17 year olds not in education, employment or training (NEET) "
                                          "or not known, October 2026 = 5.4%")
    chat.expect(recorded).to_contain_text("green against the 2026/27 target of 5.4%")
    chat.expect(form.get_by_label("Value")).to_be_disabled()
    still_owed = chat.ask("What returns do I owe?")
    chat.expect(still_owed).not_to_contain_text("or not known, October 2026")


def test_moving_the_clock_to_a_deadline_brings_the_reminder(chat: ChatPage, screenshots: Path) -> None:
    chat.talk_as(CHLOE)
    chat.expect(chat.tab.locator("#clock-label")).to_have_text("Fri 27 Nov 2026, 09:00")
    result = chat.move_clock("2026-12-10")
    chat.expect(chat.tab.locator("#clock-label")).to_have_text("Thu 10 Dec 2026, 09:00")
    chat.expect(result.get_by_role("button", name="Chloe Young (1 message)")).to_be_visible()
    reminder = chat.log().locator(".message--notification")
    chat.expect(reminder).to_have_count(1)
    chat.expect(reminder).to_contain_text("Reminder Thu 10 Dec 2026, 09:00")
    chat.expect(reminder).to_contain_text("Fly-tipping incidents, November 2026 — due today")
    chat.expect(reminder.get_by_role("button", name="Submit Fly-tipping incidents for November 2026")).to_be_visible()
    chat.tab.screenshot(path=str(screenshots / "web-demo-reminder.png"))

    result = chat.move_clock("2026-12-17")
    result.get_by_role("button", name="Imran Clarke (1 message)").click()
    escalation = chat.log().locator(".message--notification").last
    chat.expect(escalation).to_contain_text("Chloe Young's fly-tipping incidents return for November 2026 is 5 working "
                                            "days late (it was due Thu 10 Dec)")


def test_the_clock_form_offers_only_dates_from_today_on(chat: ChatPage) -> None:
    day = chat.tab.locator("#clock-date")
    chat.expect(day).to_have_attribute("min", "2026-11-27")
    chat.expect(day).to_have_value("2026-11-28")
    day.fill("2026-11-20")
    chat.tab.get_by_role("button", name="Move the clock").click()
    assert day.evaluate("input => !input.validity.valid")
    chat.expect(chat.tab.locator("#clock-label")).to_have_text("Fri 27 Nov 2026, 09:00")


@pytest.fixture
def hostile_demo(demo_database: Path, tmp_path: Path) -> Any:
    """The demo with a person and an indicator whose names are HTML and script."""
    with sqlite3.connect(demo_database) as connection:
        connection.execute("INSERT INTO person (email, name, roles, ward_code) VALUES (?, ?, 'councillor', ?)",
                           ("evil@demo-council.example", f"Cllr {HOSTILE} Evil", "E05014851"))
        connection.execute("UPDATE indicator SET name = ? WHERE code = 'NEET'", (f"NEET {HOSTILE}",))
    running = start_demo(tmp_path, demo_database, "--port", "0", "--today", "2026-11-27")
    yield running
    running.stop()


def test_hostile_names_questions_and_data_are_shown_as_text(hostile_demo: DemoProcess, page: Any,
                                                           screenshots: Path) -> None:
    chat = ChatPage(page, hostile_demo.url)
    option = page.locator('#person option[value="evil@demo-council.example"]')
    chat.expect(option).to_have_text(f"Cllr {HOSTILE} Evil — Park")
    chat.talk_as("evil@demo-council.example")
    chat.expect(chat.log().locator(".note").first).to_contain_text(f"You are talking as Cllr {HOSTILE} Evil")
    answer = chat.ask(f"{HOSTILE} what's the latest NEET rate?")
    chat.expect(chat.log().locator(".message--mine p")).to_have_text(f"{HOSTILE} what's the latest NEET rate?")
    chat.expect(answer).to_contain_text(f"NEET {HOSTILE}")
    form = chat.ask("submit value").locator("form")
    form.get_by_label("Indicator").fill(HOSTILE)
    form.get_by_label("Value").fill(HOSTILE)
    form.get_by_role("button", name="Submit").click()
    chat.expect(form.locator(".error").last).to_contain_text(f"I can't read “{HOSTILE[:40]}” as a number")
    assert page.evaluate("window.__pwned") is None
    assert page.locator("img[src='x'], .log script").count() == 0
    assert page.evaluate("[...document.scripts].map((s) => new URL(s.src).pathname)") == \
        ["/static/app.js", "/static/start-again.js"]
    page.screenshot(path=str(screenshots / "web-demo-hostile.png"))


def test_every_control_has_a_label_and_the_skip_link_reaches_the_message_box(chat: ChatPage) -> None:
    unlabelled = chat.tab.evaluate("""() => [...document.querySelectorAll('input, select, button')]
        .filter((el) => !(el.labels && el.labels.length) && !el.textContent.trim() && !el.getAttribute('aria-label'))
        .map((el) => el.outerHTML)""")
    assert unlabelled == []
    chat.tab.keyboard.press("Tab")
    chat.expect(chat.tab.locator(".skip-link")).to_be_focused()
    chat.tab.keyboard.press("Enter")
    chat.tab.keyboard.type("help")
    chat.tab.keyboard.press("Enter")
    chat.expect(chat.answers().last).to_contain_text("Try:")

