"""Events acknowledged in a burst are handed to the answering threads once the burst ends, and a
server stopped in the middle of one still answers everything it acknowledged."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from slack_fakes import FakeCore, SlackDriver
from slack_payloads import direct_message

from bot.slack.app import create_app
from bot.slack.server import BurstHandOver, HttpServer
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


class Clockwork:
    """The little of an event loop BurstHandOver uses, with a clock the test moves."""

    def __init__(self) -> None:
        self.now = 0.0
        self.timers: list[tuple[float, object, tuple]] = []

    def time(self) -> float:
        return self.now

    def call_at(self, when: float, callback, *args) -> Clockwork.Timer:
        timer = Clockwork.Timer(self, (when, callback, args))
        self.timers.append(timer.entry)
        return timer

    def advance(self, seconds: float) -> None:
        self.now += seconds
        for entry in sorted(entry for entry in self.timers if entry[0] <= self.now):
            if entry in self.timers:
                self.timers.remove(entry)
                entry[1](*entry[2])

    class Timer:
        def __init__(self, loop: Clockwork, entry: tuple) -> None:
            self.loop, self.entry = loop, entry

        def cancel(self) -> None:
            if self.entry in self.loop.timers:
                self.loop.timers.remove(self.entry)


def test_answers_wait_until_every_acknowledgement_under_way_is_sent() -> None:
    loop, handed = Clockwork(), []
    burst = BurstHandOver(lambda body, headers, entry: handed.append(body))
    burst.receiving()
    burst.receiving()  # two deliveries in hand: the second still waits for the inbox
    burst.add(loop, "first", {})
    burst.acknowledged(loop)
    loop.advance(0.05)
    assert handed == []  # the first is acknowledged, but answering it would slow the second's
    burst.add(loop, "second", {})
    burst.acknowledged(loop)
    loop.advance(0.01)
    assert handed == ["first", "second"]


def test_answers_start_within_a_second_however_long_a_flood_lasts() -> None:
    loop, handed = Clockwork(), []
    burst = BurstHandOver(lambda body, headers, entry: handed.append(body))
    burst.receiving()
    burst.add(loop, "first", {})
    waited = []
    for _ in range(101):
        burst.receiving()  # another arrives before each is acknowledged
        burst.acknowledged(loop)
        loop.advance(0.01)
        waited.append(list(handed))
    assert waited[50] == [] and handed == ["first"]
