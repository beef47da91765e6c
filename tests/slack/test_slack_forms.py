"""Forms and buttons in Slack, through the real bolt app over HTTP: the Submit value form opens as
a modal listing the returns the person owes, a bad value keeps the modal open with the error under
its field (response_action "errors"), a good one closes it and the confirmation is posted; a card's
buttons are independent; a view without a type is acknowledged, not a 500."""
from __future__ import annotations

import json
import urllib.parse
from collections.abc import Iterator
from typing import Any

import pytest
from slack_fakes import SLACK_EMAILS, FakeCore, SlackDriver
from slack_payloads import block_actions, direct_message, view_select, view_submission
from test_slack_end_to_end import _current, _serve

from bot.slack.settings import SlackSettings
from bot.slack.testing import MockSlack
from data_access.store import Store

MAYA = "U0001034"  # owns NEET (October 2026 owed) and CLA_RATE in the demo data
FORM_OPEN_ACTION = "perf_form_open"  # the action id of a form's "Open the form" button


class MockSlackWithModals(MockSlack):
    """The local Slack, also answering views.open as Slack does (the view with an id)."""

    def _views_open(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "view": {**args["view"], "id": "V0FORM0001"}}

    def _views_update(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "view": {**args["view"], "id": args["view_id"]}}


@pytest.fixture
def mock_slack() -> Iterator[MockSlack]:
    """The local Slack, with modals."""
    with MockSlackWithModals(SLACK_EMAILS) as mock:
        yield mock


@pytest.fixture
def real_slack(settings: SlackSettings, store: Store, mock_slack: MockSlack) -> Iterator[SlackDriver]:
    """The Slack channel in front of the real core over a demo store the test may write to."""
    yield from _serve(settings, store, mock_slack)


def _submit(slack: SlackDriver, view: dict[str, Any], values: dict[str, str], user: str = MAYA):
    body = urllib.parse.urlencode({"payload": json.dumps(view_submission(view, values, user))})
    return slack.send(body, "application/x-www-form-urlencoded")


def _open_form(slack: SlackDriver, user: str = MAYA) -> dict[str, Any]:
    """Ask for the form in a DM, click its button, and return the modal Slack was asked to open."""
    slack.event(direct_message("submit a value", user=user, channel="D" + user[1:]))
    slack.mock.wait_for("chat.postMessage", count=2, timeout=60)
    post = next(p for p in slack.posts() if any(
        e.get("action_id") == FORM_OPEN_ACTION for b in p.get("blocks") or [] if b["type"] == "actions"
        for e in b["elements"]))
    slack.action(block_actions({**post, "ts": "1718000000.888888"}, FORM_OPEN_ACTION, user=user))
    [opened] = slack.mock.wait_for("views.open")
    assert opened.args["trigger_id"] == "1111.2222.yyyy"
    return opened.args["view"]


def test_the_form_opens_as_a_modal_offering_the_returns_owed(real_slack: SlackDriver) -> None:
    view = _open_form(real_slack)
    real_slack.finish()
    blocks = {b["block_id"]: b for b in view["blocks"]}
    select = blocks["perf_field:return"]["element"]
    assert select["type"] == "static_select"
    labels = [o["text"]["text"] for o in select["options"]]
    assert "16-17 year olds not in education, employment or… — October 2026" in labels
    assert "Children looked after per 10,000 children — Q2 2026/27" in labels
    assert labels[-1] == "Another indicator"
    assert select["initial_option"]["text"]["text"] == labels[0]
    assert blocks["perf_field:period"]["element"]["initial_value"] == labels[0].rsplit(" — ", 1)[1]
    assert all(len(label) <= 75 for label in labels)


def test_choosing_another_return_fills_in_its_period(real_slack: SlackDriver) -> None:
    view = _open_form(real_slack)
    real_slack.action(view_select(view, "perf_field:return", "CLA_RATE@2026/27 Q2", user=MAYA))
    [update] = real_slack.mock.wait_for("views.update")
    real_slack.finish()
    assert (update.args["view_id"], update.args["hash"]) == ("V0FORM0001", "1718100300.efgh")
    period = next(b for b in update.args["view"]["blocks"] if b["block_id"] == "perf_field:period")
    assert period["element"]["initial_value"] == "Q2 2026/27"
    assert period["element"]["action_id"] != "value"  # a new action id, or Slack keeps the old text
    assert update.args["view"]["callback_id"] == view["callback_id"]


def test_a_bad_value_keeps_the_modal_open_with_the_error_under_the_field(real_slack: SlackDriver,
                                                                         store: Store) -> None:
    view = _open_form(real_slack)
    posts_before = len(real_slack.posts())
    response = _submit(real_slack, view, {"return": "NEET@2026-10", "period": "October 2026", "value": "about five"})
    assert response.status == 200
    assert response.json() == {"response_action": "errors", "errors": {
        "perf_field:value": "I can't read “about five” as a number: write it like 5.4, 5.4%, 1,234 or 23 of 410."}}
    response = _submit(real_slack, view, {"return": "NEET@2026-10", "period": "December 2026", "value": "5.4"})
    assert "The return you chose is for October 2026" in response.json()["errors"]["perf_field:period"]
    real_slack.finish()
    assert len(real_slack.posts()) == posts_before  # nothing said in the chat
    assert _current(store, "NEET", "2026-10") == []


def test_a_good_value_closes_the_modal_and_the_confirmation_is_posted(real_slack: SlackDriver, store: Store) -> None:
    view = _open_form(real_slack)
    posts_before = len(real_slack.posts())
    response = _submit(real_slack, view, {"return": "NEET@2026-10", "period": "October 2026", "value": "5.4%"})
    assert (response.status, response.body) == (200, "")
    real_slack.mock.wait_for("chat.postMessage", count=posts_before + 1, timeout=60)
    real_slack.finish()
    confirmation = real_slack.posts()[posts_before]
    assert confirmation["channel"] == "D0001034"
    assert "Recorded" in confirmation["text"] and "October 2026 = *5.4%*" in confirmation["text"]
    assert _current(store, "NEET", "2026-10") == [5.4]


def test_an_indicator_someone_else_owns_is_refused_under_its_field(real_slack: SlackDriver, store: Store) -> None:
    view = _open_form(real_slack)
    response = _submit(real_slack, view, {"return": "other", "indicator": "recycling", "period": "Q2 2026/27",
                                          "value": "45"})
    real_slack.finish()
    error = response.json()["errors"]["perf_field:indicator"]
    assert error.startswith("You can't submit values for Household waste reused, recycled and composted")


def test_a_submission_the_fake_core_refuses_is_checked_synchronously(slack: SlackDriver, core: FakeCore) -> None:
    view = {"type": "modal", "callback_id": "perf_form:f1", "private_metadata": json.dumps({"channel": "D0001001"}),
            "blocks": [{"type": "input", "block_id": "perf_field:value",
                        "element": {"type": "plain_text_input", "action_id": "value"}}]}
    refused = _submit(slack, view, {"value": "x"}, user="U0001001")
    accepted = _submit(slack, view, {"value": "5.3"}, user="U0001001")
    slack.mock.wait_for("chat.postMessage")
    slack.finish()
    assert refused.json() == {"response_action": "errors", "errors": {"perf_field:value": "“x” is not a number."}}
    assert accepted.body == ""
    assert [m.action for m in core.messages] == [{"form": "f1", "values": {"value": "5.3"}}]
    assert [p["text"] for p in slack.posts()] == ['Recorded {"value": "5.3"}']
    assert slack.posts()[0]["channel"] == "D0001001"


def test_a_form_that_cannot_be_checked_stays_open_saying_so(slack: SlackDriver, core: FakeCore) -> None:
    view = {"type": "modal", "callback_id": "perf_form:f1", "private_metadata": json.dumps({"channel": "D0001001"}),
            "blocks": [{"type": "input", "block_id": "perf_field:value",
                        "element": {"type": "plain_text_input", "action_id": "value"}}]}
    response = _submit(slack, view, {"value": "broken"}, user="U0001001")
    slack.finish()
    assert response.json() == {"response_action": "errors", "errors": {"perf_field:value": (
        "Sorry, I couldn't check this just now, so nothing was recorded. Please try again in a few minutes.")}}
    assert core.messages == [] and slack.posts() == []


def test_a_signed_view_submission_without_a_view_type_is_acknowledged(slack: SlackDriver, core: FakeCore) -> None:
    payload = {"type": "view_submission", "team": {"id": "T0COUNCIL"}, "user": {"id": "U0OFFICER"},
               "view": {"id": "V0001", "callback_id": "anything", "state": {"values": {}}}}
    response = slack.send(urllib.parse.urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded")
    slack.finish()
    assert response.status == 200
    assert core.messages == [] and slack.posts() == []


def test_clicking_one_button_of_a_card_leaves_the_others_usable(slack: SlackDriver, core: FakeCore) -> None:
    slack.event(direct_message("alert"))
    [card] = slack.mock.wait_for("chat.postMessage")
    buttons = [e for b in card.args["blocks"] if b["type"] == "actions" for e in b["elements"]]
    posted = {**card.args, "ts": "1718000000.555555"}
    slack.action(block_actions(posted, buttons[0]["action_id"]))
    [update] = slack.mock.wait_for("chat.update")
    left = [e["text"]["text"] for b in update.args["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert left == ["Add commentary"]
    assert update.args["blocks"][-1]["elements"][0]["text"] == "✓ <@U0001001> chose *Show trend*"

    slack.action(block_actions({**posted, "blocks": update.args["blocks"]}, buttons[1]["action_id"]))
    slack.mock.wait_for("chat.update", count=2)
    slack.finish()
    assert [m.text for m in core.messages] == ["alert", "NEET trend", "commentary for NEET"]
    final = slack.mock.calls("chat.update")[1].args["blocks"]
    assert not any(b["type"] == "actions" for b in final)
    assert [b["elements"][0]["text"] for b in final if b["type"] == "context"] == [
        "✓ <@U0001001> chose *Show trend*", "✓ <@U0001001> chose *Add commentary*"]
