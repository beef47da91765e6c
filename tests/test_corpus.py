"""The question corpus (tests/corpus/*.jsonl): every question answered in-process on the demo
council or on the real (Trafford) data, today fixed at 2026-11-27, and scored against the facts a
right answer carries. Fails when a group of categories (demo, real, refuse, conversation) is
below 95% right, or on any confident wrong answer where a refusal or a question back was due.
The score table is printed at the end of the run; PERFBOT_CORPUS_REPORT=FILE also writes every
answer and verdict as JSON Lines."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from bot.core.bot import Bot
from bot.core.messages import Message
from data_access.store import Store
from tests.conftest import REAL
from tests.corpus.score import Verdict, is_refusal, score

CORPUS = Path(__file__).parent / "corpus"
TODAY = date(2026, 11, 27)
TRAFFORD = "E08000009"
GOAL = 0.95


def load(name: str) -> list[dict[str, Any]]:
    """One corpus file's lines."""
    return [json.loads(line) for line in (CORPUS / name).read_text(encoding="utf-8").splitlines() if line.strip()]


QUESTIONS = load("demo.jsonl") + load("real.jsonl") + load("refuse.jsonl")
CONVERSATIONS = load("conversations.jsonl")


def group_of(category: str) -> str:
    """The group a category is scored in: demo, real, refuse or conversation."""
    return category.split("-")[0]


def askable(item: dict[str, Any]) -> bool:
    """Whether the data a question needs is in tests/data/real (Fingertips, Nomis, DfE come later)."""
    return "needs" not in item or (REAL / item["needs"]).exists()


class Scored:
    """Every answer with its verdict, by group and category."""

    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []
        self.skipped = 0

    def add(self, item: dict[str, Any], category: str, question: str, expect: dict[str, Any],
            facts: dict[str, Any], verdict: Verdict) -> None:
        """Record one scored answer."""
        self.rows.append({"id": item["id"], "category": category, "as": item["as"], "q": question,
                          "expect": expect, "verdict": verdict, "facts": facts})

    def table(self) -> list[str]:
        """The score table by category and group."""
        counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
        for row in self.rows:
            for key in (row["category"], group_of(row["category"]) + " (all)"):
                counts[key][0] += 1
                counts[key][1] += row["verdict"].right
                counts[key][2] += row["verdict"].confident_wrong
        lines = [f"{'category':<26}{'asked':>7}{'right':>7}{'%':>7}{'confident wrong':>17}"]
        for key in sorted(counts, key=lambda k: (group_of(k.split()[0]), "(all)" in k, k)):
            asked, right, confident = counts[key]
            lines.append(f"{key:<26}{asked:>7}{right:>7}{100 * right / asked:>6.1f}%{confident:>17}")
        lines.append(f"questions not asked (their data is not in tests/data/real yet): {self.skipped}")
        return lines

    def rate(self, group: str) -> float:
        """The share right in one group."""
        rows = [row for row in self.rows if group_of(row["category"]) == group]
        return sum(row["verdict"].right for row in rows) / len(rows)

    def telling(self, limit: int = 30, group: str | None = None) -> list[str]:
        """The wrong answers that matter most (of one group): confident wrong first, then refusals, then the rest."""
        wrong = [row for row in self.rows if not row["verdict"].right and group in (None, group_of(row["category"]))]
        wrong.sort(key=lambda row: (not row["verdict"].confident_wrong, not is_refusal(row["expect"]), row["id"]))
        return [f"{row['id']} ({row['as'] or 'nobody'}): {row['q']!r} → {row['verdict'].failures[:3]}; said: "
                f"{(row['facts'].get('answer') or '').splitlines()[0][:140]!r}" for row in wrong[:limit]]


def _indicator_of(store: Store):
    def about(code: str | None) -> dict[str, str]:
        if code is None or code not in store.indicators.index:
            return {}
        row = store.indicators.loc[code]
        return {"name": str(row["name"]), "unit": str(row["unit"])}
    return about


def _ask(bot: Bot, item: dict[str, Any], question: str, conversation: str) -> dict[str, Any]:
    person = bot.person_by_email(item["as"]) if item["as"] else None
    return bot.answer(Message(question, person, conversation, channel="console"), render_charts=False).facts


@pytest.fixture(scope="module")
def scored(module_store: Store, real_store: Store, request: pytest.FixtureRequest) -> Scored:
    """Every corpus question answered and scored; the table is printed at the end of the run."""
    bots = {"demo": Bot(module_store, today=lambda: TODAY),
            "real": Bot(real_store, today=lambda: TODAY, council=TRAFFORD)}
    about = {"demo": _indicator_of(module_store), "real": _indicator_of(real_store)}
    result = Scored()
    for item in QUESTIONS:
        if not askable(item):
            result.skipped += 1
            continue
        facts = _ask(bots[item["store"]], item, item["q"], f"corpus:{item['id']}")
        result.add(item, item["category"], item["q"], item["expect"], facts,
                   score(item["expect"], facts, about[item["store"]]))
    for item in CONVERSATIONS:
        for turn in item["turns"]:
            facts = _ask(bots[item["store"]], item, turn["q"], f"corpus:{item['id']}")
            result.add(item, "conversation", turn["q"], turn["expect"], facts,
                       score(turn["expect"], facts, about[item["store"]]))
    request.config.pluginmanager.register(_Summary(result), "perfbot-corpus-summary")
    if os.environ.get("PERFBOT_CORPUS_REPORT"):
        with open(os.environ["PERFBOT_CORPUS_REPORT"], "w", encoding="utf-8") as report:
            for row in result.rows:
                verdict = row["verdict"]
                report.write(json.dumps({**row, "verdict": {"right": verdict.right, "confident_wrong": verdict.confident_wrong,
                                                           "failures": verdict.failures}}, ensure_ascii=False) + "\n")
    return result


class _Summary:
    """Prints the corpus score table in pytest's terminal summary."""

    def __init__(self, result: Scored) -> None:
        self.result = result

    def pytest_terminal_summary(self, terminalreporter) -> None:
        """The table and the most telling wrong answers."""
        terminalreporter.section("question corpus")
        for line in self.result.table():
            terminalreporter.write_line(line)
        telling = self.result.telling()
        if telling:
            terminalreporter.write_line("most telling wrong answers:")
            for line in telling:
                terminalreporter.write_line("  " + line)


def test_the_corpus_is_as_large_as_promised():
    turns = [turn for item in CONVERSATIONS for turn in item["turns"]]
    refusals = [item for item in QUESTIONS if is_refusal(item["expect"])] + [t for t in turns if is_refusal(t["expect"])]
    assert len(QUESTIONS) + len(turns) >= 500
    assert len(refusals) >= 150
    assert sum(len(item["turns"]) >= 10 for item in CONVERSATIONS) >= 8
    categories = {item["category"] for item in QUESTIONS}
    for needed in ("demo-value", "demo-compare", "demo-trend", "demo-rank", "demo-status", "demo-lookup", "real-value",
                   "real-compare", "real-breakdown", "refuse-place", "refuse-subject", "refuse-partial",
                   "refuse-nodata", "refuse-future", "refuse-breakdown", "refuse-counts"):
        assert needed in categories, needed
    assert len({item["id"] for item in QUESTIONS + CONVERSATIONS}) == len(QUESTIONS) + len(CONVERSATIONS)


def test_every_place_the_corpus_names_is_known(module_store: Store, real_store: Store):
    stores = {"demo": module_store, "real": real_store}
    for item in QUESTIONS + CONVERSATIONS:
        known = set(stores[item["store"]].places.index)
        for expect in [item["expect"]] if "expect" in item else [turn["expect"] for turn in item["turns"]]:
            named = set(expect.get("geographies", [])) | set(expect.get("values", {})) | set(expect.get("values_within", []))
            named |= {expect["subject"]} if "subject" in expect else set()
            named |= {code for group in expect.get("ranked", []) for code in (group if isinstance(group, list) else [group])}
            if expect.get("ask"):
                named |= set(expect.get("choices", []))
            assert named <= known, (item["id"], named - known)


def test_the_table_is_printed(scored: Scored):
    table = "\n".join(scored.table())
    print("\n" + table)
    assert "demo (all)" in table and "refuse (all)" in table


@pytest.mark.parametrize("group", ["demo", "real", "refuse", "conversation"])
def test_each_group_is_at_least_95_percent_right(scored: Scored, group: str):
    rate = scored.rate(group)
    assert rate >= GOAL, f"{group}: {100 * rate:.1f}% right (goal {100 * GOAL:.0f}%)\n" + "\n".join(
        scored.table() + scored.telling(15, group))


def test_no_confident_wrong_answer_anywhere(scored: Scored):
    """A refusal answered with numbers, or another place's, indicator's or period's numbers given
    without doubt, in any group: the worst thing perfbot can do, so none is allowed."""
    confident = [row for row in scored.rows if row["verdict"].confident_wrong]
    assert not confident, f"{len(confident)} confident wrong answers:\n" + "\n".join(
        f"{row['id']}: {row['q']!r} → {(row['facts'].get('answer') or '').splitlines()[0][:120]!r}" for row in confident[:40])


CLI_SAMPLE = [item for item in QUESTIONS if item["store"] == "demo"][::17][:20]


def test_twenty_questions_answer_the_same_through_perfbot_ask_jsonl(module_store: Store, scored: Scored):
    lines = "".join(json.dumps({"question": item["q"], "as": item["as"], "today": TODAY.isoformat(),
                                "conversation": f"cli:{item['id']}"}) + "\n" for item in CLI_SAMPLE)
    url = module_store.engine.url.render_as_string(hide_password=False)
    result = subprocess.run([sys.executable, "-m", "bot.cli", "--database", url, "ask", "--jsonl"],
                            input=lines, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    answers = [json.loads(line) for line in result.stdout.splitlines()]
    assert [answer["question"] for answer in answers] == [item["q"] for item in CLI_SAMPLE]
    in_process = {row["id"]: row["facts"] for row in scored.rows}
    for item, answer in zip(CLI_SAMPLE, answers):
        mine = in_process[item["id"]]
        for key in ("intent", "indicator", "geographies", "period", "values", "ranked", "red"):
            assert answer.get(key) == mine.get(key), (item["q"], key, answer.get(key), mine.get(key))
