"""Score perfbot on a question set written like the sealed blind set (issue 23): one JSON object a
line with the question, who asks ("as"), the day ("today"), its kind, a conversation id for
follow-ups and the facts expected. The judging is the blind scorer's own (`judge` in
../shared/blind/score, read at the time of scoring, never copied), so a set written by someone
who never saw the code measures the same things the blind set does. A development tool: perfbot
never reads ../shared at run time.

    python benchmarks/score_question_set.py benchmarks/question_sets/dev.jsonl
    python benchmarks/score_question_set.py SET.jsonl --show        # each miss with its question
    python benchmarks/score_question_set.py SET.jsonl --perfbot OTHER/.venv/bin/perfbot
"""
from __future__ import annotations

import argparse
import collections
import importlib.machinery
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def blind_scorer(path: Path):
    """The blind scorer as a module (its judge and place names)."""
    loader = importlib.machinery.SourceFileLoader("blind_score", str(path))
    spec = importlib.util.spec_from_loader("blind_score", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def answers_for(cases: list[dict], exe: Path, data: Path) -> list[dict | None]:
    """perfbot's answers to the cases, from a fresh demo store."""
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, PERFBOT_DATABASE_URL=f"sqlite:///{tmp}/set.db")
        env.pop("PERFBOT_COUNCIL", None)
        for step in (["db", "upgrade"], ["import", str(data)]):
            done = subprocess.run([str(exe), *step], env=env, capture_output=True, text=True, cwd=tmp)
            if done.returncode:
                sys.exit(f"perfbot {step[0]} failed: {(done.stderr or done.stdout)[-300:]}")
        lines = "".join(json.dumps({"question": c["question"], "as": c["as"], "today": c.get("today"),
                                    **({"conversation": c["conversation"]} if c.get("conversation") else {})}) + "\n"
                        for c in cases)
        done = subprocess.run([str(exe), "ask", "--jsonl"], env=env, input=lines, capture_output=True, text=True, cwd=tmp)
    answers = []
    for line in done.stdout.splitlines():
        if line.strip().startswith("{"):
            try:
                answers.append(json.loads(line))
            except json.JSONDecodeError:
                answers.append(None)
    if len(answers) != len(cases):
        sys.exit(f"perfbot ask --jsonl gave {len(answers)} answers for {len(cases)} questions")
    return answers


def main(argv: list[str] | None = None) -> int:
    """Print the set's score by kind (and each miss with --show)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("set", type=Path)
    parser.add_argument("--perfbot", type=Path, default=ROOT / ".venv/bin/perfbot")
    parser.add_argument("--blind", type=Path, default=ROOT.parent / "shared/blind",
                        help="the folder of the blind scorer and beside it the shared data")
    parser.add_argument("--show", action="store_true", help="print each miss with its question and answer")
    args = parser.parse_args(argv)
    scorer = blind_scorer(args.blind / "score")
    cases = [json.loads(line) for line in args.set.read_text(encoding="utf-8").splitlines() if line.strip()]
    answers = answers_for(cases, args.perfbot.resolve(), args.blind.parent / "data/demo-council")
    names = scorer.place_names()
    by_kind = collections.defaultdict(lambda: [0, 0, 0])
    mistakes = collections.Counter()
    for case, answer in zip(cases, answers):
        wrong = scorer.judge(case, answer, names)
        kind = by_kind[case.get("kind", case.get("intent"))]
        kind[0] += 1
        kind[1] += not wrong
        kind[2] += any(w.startswith("CONFIDENT WRONG") for w in wrong)
        mistakes.update(wrong)
        if wrong and args.show:
            print(f"--- [{case.get('kind')}] {case.get('conversation') or ''} as {case['as']}: {case['question']}")
            print("    " + "; ".join(wrong))
            print("    " + ((answer or {}).get("text") or json.dumps(answer))[:300].replace("\n", " | "))
    print(f"{'kind':14} {'asked':>5} {'right':>5} {'%':>6} {'confident wrong':>16}")
    for name, (asked, right, bad) in sorted(by_kind.items()):
        print(f"{name:14} {asked:5} {right:5} {right / asked:6.0%} {bad:16}")
    for what, count in mistakes.most_common():
        print(f"  {count:4}  {what}")
    asked = sum(k[0] for k in by_kind.values())
    right = sum(k[1] for k in by_kind.values())
    print(f"\n{args.set.name}: {right}/{asked} = {right / asked:.1%} right, "
          f"{sum(k[2] for k in by_kind.values())} confident wrong")
    return 0


if __name__ == "__main__":
    sys.exit(main())
