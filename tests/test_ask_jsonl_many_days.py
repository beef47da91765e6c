"""`perfbot ask --jsonl` over many different `today` values keeps its memory bounded (row 12 of
issue 24): before, it kept a bot per date for the life of the process (3,000 questions over 1,500
dates grew from 168 to 737 MB). The same 300 questions asked over 300 dates and all on one date
must peak at about the same size, and each is still answered as of its own date."""
from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, timedelta

from data_access.store import Store

MAYA = "maya.rowe@demo-council.example"
QUESTIONS = 300
MEASURED = ("import resource, sys; from bot.cli import main; status = main(sys.argv[1:]); "
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr); sys.exit(status)")


def peak_kib(url: str, days: list[date]) -> tuple[int, list[dict]]:
    """The peak resident size (KiB) of `perfbot ask --jsonl` answering one question per day, and its answers."""
    lines = "".join(json.dumps({"question": "which returns do I owe?", "as": MAYA, "today": day.isoformat()}) + "\n"
                    for day in days)
    done = subprocess.run([sys.executable, "-c", MEASURED, "--database", url, "ask", "--jsonl"], input=lines,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return int(done.stderr.strip().splitlines()[-1]), [json.loads(line) for line in done.stdout.splitlines()]


def test_many_dates_take_no_more_memory_than_one(store: Store) -> None:
    url = store.engine.url.render_as_string(hide_password=False)
    first = date(2026, 6, 1)
    one_date, _ = peak_kib(url, [first] * QUESTIONS)
    many_dates, answers = peak_kib(url, [first + timedelta(days=n) for n in range(QUESTIONS)])
    assert many_dates - one_date < 20_000, (one_date, many_dates)  # a bot per date: about 110 MB more
    assert len(answers) == QUESTIONS
    assert answers[0]["answer"] != answers[-1]["answer"]  # June's returns owed are not the next March's
