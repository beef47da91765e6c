"""The development set (tests/data/questions.md, copied from shared/examples) answered right through
`perfbot ask --jsonl` against the demo-council data, as a person would script it."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

QUESTIONS = Path(__file__).parent / "data" / "questions.md"


def development_set() -> list[tuple[str, str, dict]]:
    """(asker, question, expected facts) for every row of the table."""
    rows = []
    for line in QUESTIONS.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0].startswith("`") and cells[2].startswith("`{"):
            rows.append((cells[0].strip("`"), cells[1], json.loads(cells[2].strip("`"))))
    return rows


CASES = development_set()


@pytest.fixture(scope="module")
def answers(module_store) -> dict[str, dict]:
    """Every question answered in one `perfbot ask --jsonl` run."""
    lines = "".join(json.dumps({"question": q, "as": who, "today": "2026-11-27", "conversation": str(i)}) + "\n"
                    for i, (who, q, _) in enumerate(CASES))
    result = subprocess.run([sys.executable, "-m", "bot.cli", "--database", str(module_store.engine.url.render_as_string(hide_password=False)),
                             "ask", "--jsonl"], input=lines, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    out = [json.loads(line) for line in result.stdout.splitlines()]
    return {item["question"]: item for item in out}


def test_the_set_is_all_there():
    assert len(CASES) == 25


@pytest.mark.parametrize("who,question,expected", CASES, ids=[q for _, q, _ in CASES])
def test_answer_carries_the_facts(answers, who, question, expected):
    got = answers[question]
    assert got["intent"] == expected["intent"], got["why"]
    assert got["answer"].strip()
    for key in ("indicator", "period", "from_period", "owner", "service"):
        if key in expected:
            assert got.get(key) == expected[key], (key, got["answer"])
    if "geographies" in expected:
        assert got["geographies"] == expected["geographies"], got["answer"]
    if "values" in expected:
        quoted = {v["geography"]: v["value"] for v in got["values"] if v["period"] == got["period"]}
        assert quoted == pytest.approx(expected["values"]), got["answer"]
    if "ranked" in expected:
        assert got["ranked"][:len(expected["ranked"])] == expected["ranked"], got["answer"]  # those asked for, first
    if "red" in expected:
        assert sorted(got["red"]) == sorted(expected["red"]), got["answer"]
    if "target" in expected:
        assert got["target"] == pytest.approx(expected["target"])
    if "includes" in expected:
        assert set(expected["includes"]) <= set(got["includes"]), got["answer"]
    if expected.get("chart"):
        assert got["chart"] is True
    if "value" in expected:
        assert got["value"] == pytest.approx(expected["value"])
    if "refused" in expected:
        assert got["refused"] is expected["refused"], got["answer"]
