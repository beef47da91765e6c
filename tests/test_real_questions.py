"""Every file under tests/data/real with its council-style dictionary (tests/data/real-dictionary)
imported in one `perfbot import`, again as a no-op, and questions about each national file — a
value, and a comparison with England where one means something (not for a population count) — answered through `perfbot ask --jsonl`, as a person would."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Iterator

import pytest

from bot.cli import main
from tests.conftest import _fresh_url
from tests.test_importers import REAL

DICTIONARY = Path(__file__).parent / "data" / "real-dictionary"
QUESTIONS = [  # (question, indicator, period, {place: value})
    ("What is the campylobacter incidence rate in Kent in 2017?", "CAMPYLOBACTER", "2017",
     {"E10000016": 123.873705892692}),
    ("How does Kent compare with England on campylobacter in 2017?", "CAMPYLOBACTER", "2017",
     {"E10000016": 123.873705892692, "E92000001": 96.6109417215551}),
    ("What is the social worker turnover rate in Trafford in 2025?", "SW_TURNOVER", "2025", {"E08000009": 15.6}),
    ("How does Trafford compare with England on social worker turnover rate in 2025?", "SW_TURNOVER", "2025",
     {"E08000009": 15.6, "E92000001": 11.8}),
    ("How many people live in Trafford in 2021?", "POPULATION", "2021", {}),
]


@pytest.fixture(scope="module")
def answers(tmp_path_factory) -> Iterator[dict[str, dict]]:
    """The real files and dictionary imported (twice), then every question asked in one run."""
    urls = _fresh_url(tmp_path_factory.mktemp("real"))
    url = next(urls)
    assert main(["--database", url, "import", str(REAL), str(DICTIONARY)]) == 0
    assert main(["--database", url, "import", str(REAL), str(DICTIONARY)]) == 0
    lines = "".join(json.dumps({"question": q, "today": "2026-11-27", "conversation": str(i)}) + "\n"
                    for i, (q, *_) in enumerate(QUESTIONS))
    result = subprocess.run([sys.executable, "-m", "bot.cli", "--database", url, "ask", "--jsonl"], input=lines,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    yield {item["question"]: item for item in map(json.loads, result.stdout.splitlines())}
    urls.close()


def test_reimporting_the_real_files_is_a_no_op(database_url, capsys):
    url = database_url
    assert main(["--database", url, "import", str(REAL), str(DICTIONARY)]) == 0
    capsys.readouterr()
    assert main(["--database", url, "import", str(REAL), str(DICTIONARY)]) == 0
    assert "Nothing changed: everything in these files was already in the store." in capsys.readouterr().out


@pytest.mark.parametrize("question,indicator,period,values", QUESTIONS, ids=[q for q, *_ in QUESTIONS])
def test_a_question_about_each_national_file(answers, question, indicator, period, values):
    got = answers[question]
    assert got["indicator"] == indicator, got["answer"]
    assert got["period"] == period, got["answer"]
    quoted = {v["geography"]: v["value"] for v in got["values"] if v["period"] == got["period"]}
    if values:
        assert quoted == pytest.approx(values), got["answer"]
    else:
        assert quoted == {"E08000009": 235_546}, got["answer"]
    if "compare" in question:
        assert "England" in got["answer"]
