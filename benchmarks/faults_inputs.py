"""Rows 5, 6, 8, 9 and 11 of issue 16 — identities nobody can borrow and bad input that ends
nothing — measured against the real program of a checkout: `perfbot serve slack` posted signed
and unsigned events over HTTP (answering into the local Slack mock), `perfbot serve teams` bound
to 0.0.0.0 without an app id, `perfbot ask --jsonl` fed bad lines, and a snooze asked for on a
Tuesday. Each function returns the row's figure for one checkout."""
from __future__ import annotations

import asyncio
import json
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from aiohttp import ClientSession

from benchmarks.faults_checkout import Checkout, Running, free_port, scalar

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "slack"))

from slack_payloads import direct_message  # noqa: E402

from bot.slack.testing import MockSlack, signed_headers  # noqa: E402
from bot.teams.testing import MockConnector  # noqa: E402
from tests.slack.test_slack_hostile_input import JUNK  # noqa: E402
from tests.slack.test_slack_identity import OUTSIDER, Workspaces, member  # noqa: E402
from tests.teams.test_teams_processes import message as teams_message  # noqa: E402

SECRET = "bench-signing-secret"
MAYA = "maya.rowe@demo-council.example"
QUESTION = {"question": "What's the latest NEET rate?", "as": MAYA}
# a lone surrogate, a day that is no date, an `as` that is not a string
BAD_LINES = {12: '{"question": "NEET rate \\ud800?"}', 25: '{"question": "NEET rate?", "today": "Tuesday"}',
             38: '{"question": "NEET rate?", "as": 42}'}


def serve_slack(checkout: Checkout, url: str, slack: MockSlack) -> tuple[Running, str]:
    """`perfbot serve slack --no-scheduler` answering into `slack`; the process and its events URL."""
    port = free_port()
    env = {"SLACK_BOT_TOKEN": "xoxb-bench", "SLACK_SIGNING_SECRET": SECRET, "SLACK_API_URL": slack.api_url,
           "SLACK_HOST": "127.0.0.1", "SLACK_PORT": str(port), "SLACK_WORKERS": "1"}
    served = checkout.start(url, "serve", "slack", "--no-scheduler", env=env)
    if not served.listening(port):
        raise RuntimeError(f"perfbot serve slack ended:\n{served.output[-2000:]}")
    return served, f"http://127.0.0.1:{port}/slack/events"


def post(url: str, body: str, content_type: str, headers: dict[str, str]) -> int:
    """POST `body` to `url`; the HTTP status."""
    request = urllib.request.Request(url, data=body.encode(), method="POST",
                                     headers={"Content-Type": content_type, **headers})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def slack_bodies() -> list[tuple[str, str, dict[str, str]]]:
    """Malformed bodies unsigned and signed, a timestamp that is no number, a signed view_submission."""
    unsigned = [(kind, body, signed_headers("not-the-secret", body)) for kind, body in JUNK]
    signed = [(kind, body, signed_headers(SECRET, body)) for kind, body in JUNK]
    event = json.dumps(direct_message("What's the NEET rate?"))
    stamp = ("application/json", event, {**signed_headers(SECRET, event), "X-Slack-Request-Timestamp": "abc"})
    view = {"type": "view_submission", "team": {"id": "T0COUNCIL"}, "user": {"id": "U0001034"},
            "view": {"id": "V0001", "type": "modal", "callback_id": "anything", "state": {"values": {}}}}
    form = urllib.parse.urlencode({"payload": json.dumps(view)})
    return [*unsigned, *signed, stamp, ("application/x-www-form-urlencoded", form, signed_headers(SECRET, form))]


def hostile_slack_bodies(checkout: Checkout, url: str) -> str:
    """Row 9: how many bad bodies got a 500 and how many tracebacks the process logged."""
    with MockSlack() as slack:
        served, events = serve_slack(checkout, url, slack)
        try:
            statuses = [post(events, body, kind, headers) for kind, body, headers in slack_bodies()]
        finally:
            served.stop()
    tracebacks = served.output.count("Traceback (most recent call last)")
    answers = ", ".join(f"{statuses.count(code)}×{code}" for code in sorted(set(statuses)))
    return f"{statuses.count(500)} of {len(statuses)} bad bodies answered 500 ({answers}); {tracebacks} tracebacks"


def outsider(checkout: Checkout, url: str) -> str:
    """Row 5: a user of another workspace, Maya Rowe's e-mail on his profile, submits NEET October 2026."""
    maya_before = scalar(url, "SELECT count(*) FROM person WHERE email = :email AND slack_user_id IS NOT NULL",
                         email=MAYA)
    with Workspaces() as slack:
        slack.users[OUTSIDER] = member(OUTSIDER, MAYA, team_id="T0ELSEWHERE")
        served, events = serve_slack(checkout, url, slack)
        try:
            for text, answer in [("submit 6.1 for NEET October 2026", ""), ("yes", "Recorded")]:
                body = json.dumps(direct_message(text, user=OUTSIDER, channel="D0OUTSIDE"))
                post(events, body, "application/json", signed_headers(SECRET, body))
                said(slack, answer, timeout=10)
        finally:
            served.stop()
    taken = scalar(url, "SELECT count(*) FROM person WHERE email = :email AND slack_user_id = :user",
                   email=MAYA, user=OUTSIDER)
    recorded = scalar(url, "SELECT count(*) FROM audit_log WHERE actor = :email AND new_value = '6.1'", email=MAYA)
    linked = "linked to Maya Rowe" if taken else "refused"
    overwritten = ", her stored Slack id overwritten" if taken and maya_before else ""
    return f"outsider {linked}{overwritten}; NEET October 2026 = 6.1 recorded as Maya: {'yes' if recorded else 'no'}"


def said(slack: MockSlack, words: str, timeout: float) -> bool:
    """Wait until the bot has posted a message containing `words` (True), or `timeout` passed."""
    deadline = time.monotonic() + timeout
    count = 1
    try:
        while True:
            calls = slack.wait_for("chat.postMessage", count, timeout=max(0.1, deadline - time.monotonic()))
            if any(words in call.args.get("text", "") for call in calls):
                return True
            count = len(calls) + 1
    except AssertionError:
        return False


def teams_beyond_loopback(checkout: Checkout, url: str) -> str:
    """Row 6: `perfbot serve teams` with TEAMS_HOST=0.0.0.0 and no app id; an unsigned activity as Maya."""
    port = free_port()
    env = {"TEAMS_HOST": "0.0.0.0", "TEAMS_PORT": str(port), "MICROSOFT_APP_ID": "", "MICROSOFT_APP_PASSWORD": ""}
    served = checkout.start(url, "serve", "teams", "--no-scheduler", env=env)
    try:
        if not served.listening(port):
            refusal = served.output.strip().splitlines()[-1:] or [""]
            return f"refuses to start (exit {served.process.returncode}: {refusal[0][:90]}…)"
        replies = asyncio.run(_unsigned_activity(f"http://127.0.0.1:{port}/api/messages"))
    finally:
        served.stop()
    answered = f"{len(replies)} repl{'y' if len(replies) == 1 else 'ies'}"
    return f"listens on 0.0.0.0 unauthenticated; an unsigned activity as Maya answered: {answered}"


async def _unsigned_activity(endpoint: str) -> list[str]:
    async with MockConnector() as connector, ClientSession() as session:
        async with session.post(endpoint, json=teams_message(connector.url, "What's the latest NEET rate?", "1601")):
            pass
        return [posted.text for posted in connector.in_conversation("a:1personal-29:demo-0034")]


def jsonl_bad_lines(checkout: Checkout, url: str) -> str:
    """Row 8: 50 lines of `perfbot ask --jsonl`, three bad (lines 12, 25 and 38)."""
    lines = [BAD_LINES.get(number) or json.dumps(QUESTION) for number in range(1, 51)]
    done = checkout.perfbot(url, "ask", "--jsonl", stdin="\n".join(lines) + "\n")
    out = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    errors = sum(1 for item in out if "error" in item)
    return (f"{len(lines) - len(out)} of {len(lines)} lines killed (exit {done.returncode}); "
            f"{len(out) - errors} answered, {errors} per-line errors")


def snooze_on_a_tuesday(checkout: Checkout, url: str) -> str:
    """Row 11: the snooze stored for "snooze until Monday" on Tuesday 1 December."""
    found = checkout.step("snooze", url)
    if "until" not in found:
        return f"could not run: {found.get('stderr', '')[-200:]}"
    when = "in the past" if found["in_the_past"] else "in the future"
    return f"snooze until {found['until'][:16].replace('T', ' ')} written on 1 Dec: {when}"
