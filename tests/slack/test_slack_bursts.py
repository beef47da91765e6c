"""Events acknowledged in a burst are handed to the answering threads once the burst ends, and a
server stopped in the middle of one still answers everything it acknowledged."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from slack_fakes import FakeCore, SlackDriver
from slack_payloads import direct_message

from bot.slack.app import create_app
from bot.slack.server import HttpServer
from bot.slack.settings import SlackSettings
from bot.slack.testing import MockSlack


def test_a_server_stopped_mid_burst_answers_everything_it_acknowledged(
        settings: SlackSettings, core: FakeCore, mock_slack: MockSlack) -> None:
    executor = ThreadPoolExecutor(max_workers=2)
    server = HttpServer(create_app(settings, core, executor=executor), executor, settings.signing_secret).start()
    driver = SlackDriver(server, mock_slack, executor)
    statuses = [driver.event(direct_message(f"question {n}", channel=f"D000010{n}")).status for n in range(3)]
    server.stop()  # no handed_over(): what waits for the burst to end is handed over on shutdown
    executor.shutdown(wait=True)
    assert statuses == [200, 200, 200]
    assert sorted((p["channel"], p["text"]) for p in driver.posts()) == [
        (f"D000010{n}", f"[Cllr Jones] question {n}") for n in range(3)]
