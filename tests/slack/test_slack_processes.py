"""Several real `perfbot serve slack` processes on one database, posted signed events over HTTP,
answering into the local Slack mock: a redelivered event is answered once, a conversation moves
between processes and keeps its follow-ups and its "are you sure?", and a process SIGKILLed in the
middle of a submission is replaced without losing it. Each process answers on one worker thread,
in the order events arrive, so once a later question is answered an earlier duplicate would have
been too."""
from __future__ import annotations

import json
import os
import signal
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from slack_fakes import BOT_TOKEN, SIGNING_SECRET
from slack_payloads import direct_message

from bot.launch import Served
from bot.slack.testing import MockSlack, signed_headers
from data_access.store import Store
from data_access.submissions import audit_trail

MAYA, BEN = "U0001034", "U0001001"


def _environment(mock: MockSlack) -> dict[str, str]:
    return {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET, "SLACK_API_URL": mock.api_url,
            "SLACK_HOST": "127.0.0.1", "SLACK_PORT": "0", "SLACK_WORKERS": "1", "SLACK_APP_TOKEN": ""}


@pytest.fixture
def serve(store: Store, database_url: str, mock_slack: MockSlack, tmp_path: Path) -> Iterator:
    """`serve()` starts one more `perfbot serve slack` process on the test's demo-council database."""
    started: list[Served] = []

    def start(workers: int = 1) -> Served:
        started.append(Served("slack", database_url, _environment(mock_slack), workers, tmp_path / "serve.log"))
        return started[-1]

    yield start
    for process in started:
        process.stop()


def post(process: Served, payload: dict) -> int:
    """Deliver a signed event to `process`, as Slack does; the HTTP status."""
    body = json.dumps(payload)
    request = urllib.request.Request(process.url, data=body.encode(), method="POST", headers={
        "Content-Type": "application/json", **signed_headers(SIGNING_SECRET, body)})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status


def said(mock: MockSlack, channel: str) -> list[str]:
    """What the bot posted into `channel`, in order."""
    return [call.args.get("text", "") for call in mock.calls("chat.postMessage") if call.args.get("channel") == channel]


def ask(mock: MockSlack, process: Served, text: str, user: str, channel: str, parts: int = 1) -> str:
    """Send `text` to `process` and return the answer posted for it (in `parts` messages: two
    when it offers buttons)."""
    before = len(mock.calls("chat.postMessage"))
    assert post(process, direct_message(text, user=user, channel=channel)) == 200
    mock.wait_for("chat.postMessage", count=before + parts, timeout=60)
    return "\n".join(said(mock, channel)[-parts:])


def neet_october(store: Store) -> list[float]:
    frame = store.observations(["NEET"], ["E08000031"])
    return frame[frame["period"] == "2026-10"]["value"].tolist()


def test_one_event_delivered_four_times_to_two_processes_is_answered_once(serve, mock_slack: MockSlack) -> None:
    first, second = serve(), serve()
    event = direct_message("What's the latest NEET rate?", user=BEN, channel="D0001001")
    for _ in range(4):
        assert post(first, event) == 200 and post(second, event) == 200
    # the same question afresh to each process: answered after any duplicate would have been
    assert post(first, direct_message("What's the latest NEET rate?", user=BEN, channel="D0000002")) == 200
    assert post(second, direct_message("What's the latest NEET rate?", user=BEN, channel="D0000003")) == 200
    mock_slack.wait_for("chat.postMessage", count=3, timeout=60)
    answers = [said(mock_slack, channel) for channel in ("D0001001", "D0000002", "D0000003")]
    assert answers[0] == answers[1] == answers[2] and len(answers[0]) == 1
    assert "5.3%" in answers[0][0]


def test_a_conversation_alternating_between_processes_keeps_its_follow_ups_and_its_confirmation(
        serve, mock_slack: MockSlack, store: Store) -> None:
    first, second = serve(), serve()
    assert "5.3%" in ask(mock_slack, first, "What's the latest NEET rate?", BEN, "D0001001")
    follow_up = ask(mock_slack, second, "and for Penn?", BEN, "D0001001", parts=2)
    assert "NEET" in follow_up and "Penn" in follow_up             # the other process knew the question
    assert "Record *55%*" in ask(mock_slack, first, "NEET for October is 55%", MAYA, "D0001034", parts=2)
    assert "Recorded" in ask(mock_slack, second, "yes", MAYA, "D0001034")
    assert neet_october(store) == [55.0]


def test_a_process_killed_before_yes_is_replaced_and_the_yes_is_recorded_once(
        serve, mock_slack: MockSlack, store: Store) -> None:
    asked = serve()
    assert "Record *55%*" in ask(mock_slack, asked, "NEET for October is 55%", MAYA, "D0001034", parts=2)
    asked.kill()
    replacement = serve()
    posted = len(mock_slack.calls("chat.postMessage"))
    yes = direct_message("yes", user=MAYA, channel="D0001034")
    for _ in range(2):  # Slack redelivers it, too
        assert post(replacement, yes) == 200
    assert post(replacement, direct_message("What's the latest NEET rate?", user=BEN, channel="D0001001")) == 200
    mock_slack.wait_for("chat.postMessage", count=posted + 2, timeout=60)
    recorded = said(mock_slack, "D0001034")
    assert len(recorded) == 3 and "Recorded" in recorded[2] and len(said(mock_slack, "D0001001")) == 1
    assert neet_october(store) == [55.0]
    submitted = [row for row in audit_trail(store, "NEET") if row["new"] in ("55", "55.0") and row["actor"] == "maya.rowe@demo-council.example"]
    assert len(submitted) == 1


def test_a_worker_killed_by_sigkill_is_replaced_on_the_same_port(serve, mock_slack: MockSlack) -> None:
    served = serve(workers=2)
    served.wait_for_line("started", count=2)
    victim = served.workers()[0]
    os.kill(victim, signal.SIGKILL)
    served.wait_for_line("started", count=3)
    assert victim not in served.workers()[2:]
    assert "5.3%" in ask(mock_slack, served, "What's the latest NEET rate?", BEN, "D0001001")
    with urllib.request.urlopen(served.base + "/readyz", timeout=30) as response:
        assert response.read().decode().strip() == "ready"
