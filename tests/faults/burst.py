"""A burst of Slack events at the real `perfbot serve slack --workers N`, with workers SIGKILLed
while what they acknowledged is still unanswered; then what each person received.

Each event comes from its own person in their own direct message, so the posts in a DM are the
answers to one event. Events are written in batches, all of a batch at once on connections of its
own; after chosen batches a worker is killed the moment the batch is acknowledged (the parent
starts another). An event whose connection died with its worker was not acknowledged, and is
delivered again, as Slack does. Used by tests/faults/test_acknowledged.py and bench_faults.py.
"""
from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.bench_slack import SIGNING_SECRET, deliver_at_once, event, percentile, signed_request
from bot.slack.testing import MockSlack

FIRST_PERSON = 3_000_000  # U3000000 on: nobody in the demo people table
PER_ANSWER = 2  # the note for someone perfbot does not know, then the answer


@dataclass
class Outcome:
    """What came of a burst: acknowledgements, kills, and the answers each event got."""

    events: int
    acknowledged: int = 0
    redelivered: int = 0
    kills: int = 0
    lost: list[str] = field(default_factory=list)
    doubled: list[str] = field(default_factory=list)
    latencies_ms: list[float] = field(default_factory=list, repr=False)
    seen: dict[str, list[str]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def p99_ms(self) -> float:
        """The 99th percentile of the acknowledgements (ms)."""
        return percentile(self.latencies_ms, 0.99)

    def __str__(self) -> str:
        return (f"{self.acknowledged} of {self.events} acknowledged ({self.redelivered} redelivered), "
                f"{self.kills} workers killed: {len(self.lost)} lost, {len(self.doubled)} doubled")


class ServedSlack:
    """`perfbot serve slack --no-scheduler --workers N` of the checkout `code`, and the lines it printed."""

    def __init__(self, code: Path, url: str, env: dict[str, str], workers: int, log: Path) -> None:
        with open(log, "wb") as errors:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "bot.cli", "--database", url, "serve", "slack", "--no-scheduler",
                 "--workers", str(workers)], cwd=code, env={**env, "PYTHONPATH": str(code)}, text=True,
                stdout=subprocess.PIPE, stderr=errors)
        self.lines: list[str] = []
        self._changed = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()
        self.port = int(self.line("listening on").split("listening on ", 1)[1].split("/")[2].split(":")[1])
        self.line("started", count=workers)

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            with self._changed:
                self.lines.append(line.strip())
                self._changed.notify_all()

    def line(self, words: str, count: int = 1, timeout: float = 90) -> str:
        """The `count`-th line printed containing `words`."""
        with self._changed:
            if not self._changed.wait_for(lambda: len([x for x in self.lines if words in x]) >= count
                                          or self.process.poll() is not None, timeout):
                raise AssertionError(f"perfbot serve never printed {words!r}: {self.lines}")
            found = [x for x in self.lines if words in x]
            assert len(found) >= count, f"perfbot serve ended ({self.process.poll()}): {self.lines}"
            return found[count - 1]

    def workers(self, killed: set[int]) -> list[int]:
        """The process ids of the workers now running."""
        with self._changed:
            started = [int(x.split()[1]) for x in self.lines if x.startswith("worker ") and x.endswith("started")]
        return [pid for pid in started if pid not in killed]

    def stop(self) -> None:
        """SIGTERM: the workers finish what they are answering, then end."""
        self.process.terminate()
        self.process.wait(timeout=60)


def burst(code: Path, url: str, slack: MockSlack, *, events: int = 400, batches: int = 8,
          kill_after: tuple[int, ...] = (1, 3, 5, 7), workers: int = 4, lease_seconds: float = 2,
          seed: int = 24, log: Path | None = None) -> Outcome:
    """Serve with `workers` processes; one event to learn what an answer is; `events` events in
    `batches` batches, a worker killed after each batch numbered in `kill_after`; redeliver what
    was not acknowledged; wait until every event has an answer (or 60 quiet seconds), then stop the
    server (letting it finish) and count the posts in each event's DM."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("SLACK_", "PERFBOT_"))}
    env.update(SLACK_BOT_TOKEN="xoxb-burst", SLACK_SIGNING_SECRET=SIGNING_SECRET, SLACK_API_URL=slack.api_url,
               SLACK_HOST="127.0.0.1", SLACK_PORT="0", SLACK_WORKERS="4",
               PERFBOT_INBOX_LEASE_SECONDS=str(lease_seconds), PYTHONUNBUFFERED="1")
    log = log or Path(tempfile.mkdtemp(prefix="perfbot-burst-")) / "serve.log"
    served = ServedSlack(code, url, env, workers, log)
    chosen, killed = random.Random(seed), set[int]()
    outcome = Outcome(events)
    people = [FIRST_PERSON + number for number in range(1, events + 1)]
    try:
        deliver_at_once(served.port, [signed_request(served.port, json.dumps(event(FIRST_PERSON)))])
        slack.wait_for("chat.postMessage", count=PER_ANSWER, timeout=90)  # a first answer, before any kill
        size = -(-events // batches)
        waiting = []
        for number in range(batches):
            batch = people[number * size:(number + 1) * size]
            results, _ = deliver_at_once(served.port, [signed_request(served.port, json.dumps(event(i))) for i in batch])
            outcome.latencies_ms += [seconds * 1000 for status, seconds in results if status == 200]
            waiting += [person for person, (status, _) in zip(batch, results, strict=True) if status != 200]
            if number in kill_after:
                victim = chosen.choice(served.workers(killed))
                os.kill(victim, signal.SIGKILL)
                killed.add(victim)
                outcome.kills += 1
                served.line("started", count=workers + outcome.kills)
        for _ in range(3):  # Slack redelivers what was not acknowledged
            if not waiting:
                break
            outcome.redelivered += len(waiting)
            results, _ = deliver_at_once(served.port, [signed_request(served.port, json.dumps(event(i))) for i in waiting])
            waiting = [person for person, (status, _) in zip(waiting, results, strict=True) if status != 200]
        outcome.acknowledged = events - len(waiting)
        _answered(slack, people, quiet=60)
    finally:
        served.stop()
    posts = Counter(call.args["channel"] for call in slack.calls("chat.postMessage"))
    outcome.lost = [f"D{person:07d}" for person in people if posts[f"D{person:07d}"] < PER_ANSWER]
    outcome.doubled = [f"D{person:07d}" for person in people if posts[f"D{person:07d}"] > PER_ANSWER]
    outcome.seen = {channel: [call.args["text"][:60] for call in slack.calls("chat.postMessage")
                              if call.args["channel"] == channel] for channel in outcome.lost + outcome.doubled}
    outcome.problems = [line for line in log.read_text(errors="replace").splitlines()
                        if "ERROR" in line or "WARNING" in line or "Error" in line][-20:]
    return outcome


def _answered(slack: MockSlack, people: list[int], quiet: float) -> None:
    """Return once each person's DM has a whole answer, or once no post has arrived for `quiet` seconds."""
    seen = -1
    while True:
        calls = slack.calls("chat.postMessage")
        posts = Counter(call.args["channel"] for call in calls)
        if all(posts[f"D{person:07d}"] >= PER_ANSWER for person in people) or len(calls) == seen:
            return
        seen = len(calls)
        try:
            slack.wait_for("chat.postMessage", count=seen + 1, timeout=quiet)
        except AssertionError:
            return
