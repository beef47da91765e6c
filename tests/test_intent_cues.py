"""The intent cues are data (intents/cues.txt): every intent the parser decides by a cue has its
rules there, a mistake in the file is reported with its line, and no regular expression in
intents/ is longer than a line."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from intents import query as q
from intents.cues import RULES, load

INTENTS = Path(__file__).resolve().parent.parent / "intents"


def test_every_cued_intent_has_its_rules_in_order_of_the_file():
    assert {rule.intent for rule in RULES} >= {q.HELP, q.THANKS, q.DUE, q.OWNER, q.RANK, q.TREND, q.COMPARE, q.PROFILE}
    help_rule = next(rule for rule in RULES if rule.intent == q.HELP)
    assert help_rule.first("what can you do?") == "what can you do?"
    assert next(rule for rule in RULES if rule.intent == q.RANK).first("which wards are worst") == "which wards"


@pytest.mark.parametrize("text, said", [
    ("[nonsense 0.5]\n\\bfoo\\b\n", "cues.txt:1: no intent called 'nonsense'"),
    ("[rank 0.5]\n\\b{nowhere}\\b\n", "cues.txt:1: no part called nowhere"),
    ("[rank 0.5]\n\\b(?:foo\n", "cues.txt:1:"),
    ("[rank 0.5]\n\\bfoo\\b\n\n[trend 0.4]\n\\bfoo\\b\n", "cues.txt:4: the cue '\\\\bfoo\\\\b' is under line 1 too"),
    ("[part a]\nx\n[part a]\ny\n", "cues.txt:3: the part 'a' is named twice"),
    ("\\bfoo\\b\n", "cues.txt:1: a cue before any [intent score] line"),
])
def test_a_mistake_in_the_cues_file_names_its_line(text, said):
    with pytest.raises(ValueError) as raised:
        load(text)
    assert str(raised.value).startswith(said)


def test_no_regular_expression_in_intents_is_longer_than_a_line():
    long = []
    for path in sorted(INTENTS.glob("*.py")):
        source = path.read_text(encoding="utf-8")
        for node in ast.walk(ast.parse(source)):
            segment = ast.get_source_segment(source, node) if isinstance(node, (ast.Constant, ast.JoinedStr)) else None
            if segment and segment.startswith(("r\"", "r'", "rf\"", "fr\"", "(r\"")) and len(segment) > 103:
                long.append(f"{path.name}:{node.lineno}")
    lines = (INTENTS / "cues.txt").read_text(encoding="utf-8").splitlines()
    long += [f"cues.txt:{number}" for number, line in enumerate(lines, start=1) if len(line) > 100]
    assert not long, long
