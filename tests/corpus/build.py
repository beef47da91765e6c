"""Writes the corpus files (tests/corpus/*.jsonl) from the questions in tests/corpus/*_questions.py,
whose expected facts are looked up in the data files. Run it after editing a question:

    .venv/bin/python -m tests.corpus.build

The JSON Lines files are committed; the runner (tests/test_corpus.py) reads only them."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.corpus.conversation_questions import conversation_items
from tests.corpus.demo_questions import demo_lines
from tests.corpus.real_questions import real_lines
from tests.corpus.refuse_questions import refusal_lines

HERE = Path(__file__).parent


def numbered(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Give each line an id: its store (unless the category names it), category and number."""
    counts: dict[str, int] = {}
    for item in items:
        stem = item["category"] if item["category"].startswith(item["store"]) else f"{item['store']}-{item['category']}"
        counts[stem] = counts.get(stem, 0) + 1
        item["id"] = f"{stem}-{counts[stem]:03d}"
    return items


def write(name: str, items: list[dict[str, Any]]) -> None:
    """Write one JSON Lines file."""
    text = "".join(json.dumps(item, ensure_ascii=False) + "\n" for item in items)
    (HERE / name).write_text(text, encoding="utf-8")
    print(f"{name}: {len(items)}")


def main() -> None:
    """Write every corpus file."""
    real = real_lines().items
    answered = [item for item in real if not item["category"].startswith("refuse")]
    demo_refusals, real_refusals = refusal_lines()
    write("demo.jsonl", numbered(demo_lines().items))
    write("real.jsonl", numbered(answered))
    write("refuse.jsonl", numbered(demo_refusals.items + real_refusals.items
                                   + [item for item in real if item["category"].startswith("refuse")]))
    write("conversations.jsonl", conversation_items())


if __name__ == "__main__":
    main()
