"""The answers one bot process has given, by channel and intent, with how long they took, written
in the Prometheus text format (version 0.0.4) for /metrics. Each process counts its own answers:
a Prometheus server scraping every process (or a reverse proxy's upstreams) adds them up."""
from __future__ import annotations

import threading
from bisect import bisect_left
from collections import defaultdict

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)


def label_value(text: str) -> str:
    """A label value escaped as the text format requires (backslash, quote, newline)."""
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


class AnswerMetrics:
    """Counts and a latency histogram of answers, by (channel, intent); thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._buckets: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0] * (len(LATENCY_BUCKETS) + 1))
        self._sums: dict[tuple[str, str], float] = defaultdict(float)

    def observe(self, channel: str, intent: str, seconds: float) -> None:
        """Count one answer on `channel` for `intent` that took `seconds`."""
        with self._lock:
            self._buckets[(channel, intent)][bisect_left(LATENCY_BUCKETS, seconds)] += 1
            self._sums[(channel, intent)] += seconds

    def answers(self, channel: str, intent: str) -> int:
        """How many answers were counted for `channel` and `intent`."""
        with self._lock:
            return sum(self._buckets.get((channel, intent), ()))

    def lines(self) -> list[str]:
        """The answer counter and latency histogram in the text format."""
        with self._lock:
            snapshot = {key: (list(counts), self._sums[key]) for key, counts in self._buckets.items()}
        lines = ["# HELP perfbot_answers_total Messages answered, by channel and intent.",
                 "# TYPE perfbot_answers_total counter"]
        for (channel, intent), (counts, _) in sorted(snapshot.items()):
            lines.append(f'perfbot_answers_total{{{_labels(channel, intent)}}} {sum(counts)}')
        lines += ["# HELP perfbot_answer_seconds Time taken to answer a message, by channel and intent.",
                  "# TYPE perfbot_answer_seconds histogram"]
        for (channel, intent), (counts, total) in sorted(snapshot.items()):
            labels, running = _labels(channel, intent), 0
            for bound, count in zip((*LATENCY_BUCKETS, float("inf")), counts):
                running += count
                le = "+Inf" if bound == float("inf") else f"{bound:g}"
                lines.append(f'perfbot_answer_seconds_bucket{{{labels},le="{le}"}} {running}')
            lines.append(f"perfbot_answer_seconds_sum{{{labels}}} {total:.6f}")
            lines.append(f"perfbot_answer_seconds_count{{{labels}}} {running}")
        return lines


def _labels(channel: str, intent: str) -> str:
    return f'channel="{label_value(channel)}",intent="{label_value(intent)}"'
