"""`perfbot ask --jsonl` with bad lines among good ones: every line gets an answer or a one-line
error naming the line and what is wrong, and the batch runs to the end."""
from __future__ import annotations

import json
import subprocess
import sys

MAYA = "maya.rowe@demo-council.example"
GOOD = json.dumps({"question": "what is the latest NEET rate?", "as": MAYA, "today": "2026-11-27"})
BAD = [
    ('{"question": "NEET \\ud800 rate?", "as": "%s"}' % MAYA, "'question' holds a lone surrogate"),
    (json.dumps({"question": "NEET?", "today": "last tuesday"}), "'today' must be a date written YYYY-MM-DD, not 'last tuesday'"),
    (json.dumps({"question": "NEET?", "today": "2026-02-30"}), "'today' must be a date written YYYY-MM-DD"),
    (json.dumps({"question": "NEET?", "as": ["maya"]}), "'as' must be a string, not list"),
    (json.dumps({"question": "NEET?", "as": 7}), "'as' must be a string, not int"),
    (json.dumps({"question": 42}), "expected a JSON object with a 'question' string"),
    (json.dumps(["question"]), "expected a JSON object with a 'question' string"),
    ("{not json", "not JSON"),
    ("null", "expected a JSON object with a 'question' string"),
]


def test_every_line_gets_an_answer_or_its_own_error(store) -> None:
    lines = [GOOD]
    for bad, _ in BAD:
        lines += [bad, GOOD]
    url = store.engine.url.render_as_string(hide_password=False)
    result = subprocess.run([sys.executable, "-m", "bot.cli", "--database", url, "ask", "--jsonl"],
                            input="\n".join(lines) + "\n", capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(out) == len(lines)
    answers, errors = out[0::2], out[1::2]
    assert all(a.get("question") == "what is the latest NEET rate?" and "error" not in a for a in answers)
    assert all(a["indicator"] == "NEET" for a in answers)
    for number, (error, (_, why)) in enumerate(zip(errors, BAD), start=1):
        assert error["line"] == 2 * number
        assert error["error"].startswith(why), error
    assert "Traceback" not in result.stderr
