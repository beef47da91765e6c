"""The web demo's page as a new visitor meets it (issue 19), in headless Chromium against the real
`python -m bot.web` process: it opens as the README's councillor for Park, "Start again" puts the
sample data and the clock back (after a confirm), and it works on a phone, 390 × 844."""
from __future__ import annotations

from pathlib import Path

from .conftest import ChatPage
from .test_web_browser import BEN, FARID, MAYA, assert_chart_loaded

PHONE = {"width": 390, "height": 844}
NEET_OCTOBER = "or not known, October 2026 — overdue"


def test_the_page_opens_as_the_readmes_councillor_for_park(chat: ChatPage) -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert "a councillor for Park" in readme
    chat.expect(chat.tab.locator("#person")).to_have_value(FARID)
    chat.expect(chat.tab.locator("#person-role")).to_have_text("Councillor for Park")
    chat.expect(chat.log()).to_have_attribute("aria-label", "Conversation as Cllr Farid Mistry")


def test_start_again_asks_first_then_forgets_values_and_the_clock(chat: ChatPage) -> None:
    chat.talk_as(MAYA)
    chat.ask("NEET for October 2026 is 5.4%")
    chat.expect(chat.ask("What returns do I owe?")).not_to_contain_text(NEET_OCTOBER)
    chat.move_clock("2026-12-10")
    asked: list[str] = []
    chat.tab.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    chat.tab.get_by_role("button", name="Start again").click()
    chat.expect(chat.tab.locator("#clock-label")).to_have_text("Thu 10 Dec 2026, 09:00")
    assert asked and asked[0].startswith("Start the demo again?")

    chat.tab.once("dialog", lambda dialog: dialog.accept())
    with chat.tab.expect_navigation():
        chat.tab.get_by_role("button", name="Start again").click()
    chat.expect(chat.tab.locator("#clock-label")).to_have_text("Fri 27 Nov 2026, 09:00")
    chat.expect(chat.tab.locator("#clock-date")).to_have_attribute("min", "2026-11-27")
    chat.expect(chat.tab.locator("#person")).to_have_value(MAYA)
    chat.expect(chat.answers()).to_have_count(0)
    chat.expect(chat.ask("What returns do I owe?")).to_contain_text(NEET_OCTOBER)


def no_sideways_scrolling(chat: ChatPage) -> None:
    """Nothing on the page, the conversation or the side panel is wider than the phone."""
    widths = chat.tab.evaluate("""() => [document.documentElement, document.querySelector('.conversations'),
        document.querySelector('.sidebar')].map((el) => [el.scrollWidth, el.clientWidth])""")
    assert widths[0][0] <= PHONE["width"], widths
    assert all(scroll <= client for scroll, client in widths), widths


def test_at_phone_width_the_page_fits_and_the_conversation_has_room(chat: ChatPage, screenshots: Path) -> None:
    chat.tab.set_viewport_size(PHONE)
    composer, who = chat.tab.locator("#compose-text"), chat.tab.locator("#phone-who")  # the picker is in a sheet
    chat.expect(who).to_be_in_viewport()
    chat.expect(chat.tab.locator("#clock-label")).to_be_in_viewport()
    trend = chat.ask("unemployment in my ward over the last 2 years")
    assert_chart_loaded(chat, trend)
    image = trend.locator("img").bounding_box()
    assert image["x"] >= 0 and image["x"] + image["width"] <= PHONE["width"]
    chat.expect(composer).to_be_in_viewport(ratio=1)
    conversation = chat.tab.locator(".conversations").bounding_box()
    assert conversation["height"] >= PHONE["height"] / 2, conversation  # the answer, not the controls, gets the room
    no_sideways_scrolling(chat)
    chat.tab.screenshot(path=str(screenshots / "web-demo-phone.png"))

    chat.talk_as(BEN)
    question = chat.ask("life expectancy")
    buttons = question.get_by_role("button")
    chat.expect(buttons.first).to_be_visible()
    for box in (buttons.nth(i).bounding_box() for i in range(buttons.count())):
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
    answer = chat.click(question, "Life expectancy at birth (female)")
    chat.expect(answer).to_contain_text("79.4 years")
    no_sideways_scrolling(chat)
    chat.expect(composer).to_be_in_viewport(ratio=1)
