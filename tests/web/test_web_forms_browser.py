"""The Submit value form and card buttons in headless Chromium against the real demo process: the
form offers the returns owed as a select that fills in the period, a wrong field comes back under
that field with the form still usable (nothing said in the chat), a right one is recorded and the
form closed; one button of an alert card leaves the others usable."""
from __future__ import annotations

from .conftest import ChatPage

MAYA = "maya.rowe@demo-council.example"
NEET = "16-17 year olds not in education, employment or… — October 2026"
CLA = "Children looked after per 10,000 children — Q2 2026/27"


def test_choosing_a_return_fills_in_its_period(chat: ChatPage) -> None:
    chat.talk_as(MAYA)
    form = chat.ask("submit value").locator("form")
    chosen = form.get_by_label("Return")
    chosen.select_option(label=NEET)
    chat.expect(form.get_by_label("Period")).to_have_value("October 2026")
    chosen.select_option(label=CLA)
    chat.expect(form.get_by_label("Period")).to_have_value("Q2 2026/27")


def test_a_wrong_value_keeps_the_form_open_with_the_error_under_the_field(chat: ChatPage, screenshots) -> None:
    chat.talk_as(MAYA)
    answer = chat.ask("submit value")
    form = answer.locator("form")
    form.get_by_label("Return").select_option(label=NEET)
    form.get_by_label("Value", exact=True).fill("lots")
    answers, said = chat.answers().count(), chat.log().locator(".message--mine").count()
    form.get_by_role("button", name="Submit").click()
    error = form.locator(".error")
    chat.expect(error).to_have_text("I can't read “lots” as a number: write it like 5.4, 5.4%, 1,234 or 23 of 410.")
    value = form.get_by_label("Value", exact=True)
    chat.expect(value).to_be_enabled()
    chat.expect(value).to_have_value("lots")
    chat.expect(value).to_have_attribute("aria-invalid", "true")
    chat.expect(value).to_be_focused()
    chat.expect(form.get_by_label("Return")).to_have_value("NEET@2026-10")
    assert chat.answers().count() == answers and chat.log().locator(".message--mine").count() == said
    chat.tab.screenshot(path=str(screenshots / "web-demo-form-error.png"))

    value.fill("5.4")
    recorded = chat.click(form, "Submit")
    chat.expect(recorded).to_contain_text("or not known, October 2026 = 5.4%")
    chat.expect(form.locator(".error")).to_have_count(0)
    chat.expect(form.get_by_label("Value", exact=True)).to_be_disabled()
    chat.expect(chat.log().locator(".message--mine").last).to_have_text(
        f"You said: Submit a value — Return: {NEET} · Period: October 2026 · Value: 5.4")


def test_one_button_of_an_alert_card_leaves_the_others_usable(chat: ChatPage) -> None:
    chat.talk_as(MAYA)
    chat.ask("CLA rate for 2026/27 Q2 is 95")  # red: the alert goes out when the scheduler next runs
    chat.move_clock("2026-11-27", "09:30")
    card = chat.log().locator(".message--notification .card").first
    chat.expect(card).to_contain_text("Red: Children looked after per 10,000 children")
    trend = chat.click(card, "Show trend")
    chat.expect(trend).to_contain_text("Children looked after per 10,000 children")
    chat.expect(card.get_by_role("button", name="Show trend")).to_be_disabled()
    chat.expect(card.get_by_role("button", name="Add commentary")).to_be_enabled()
    asked = chat.click(card, "Add commentary")
    chat.expect(asked).to_contain_text("commentary")
    chat.expect(card.get_by_role("button", name="Add commentary")).to_be_disabled()
