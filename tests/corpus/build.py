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


def write(name: str, items: list[dict[str, Any]]) -> None:
    """Write one JSON Lines file."""
    text = "".join(json.dumps(item, ensure_ascii=False) + "\n" for item in items)
    (HERE / name).write_text(text, encoding="utf-8")
    print(f"{name}: {len(items)}")


def main() -> None:
    """Write every corpus file."""
    write("demo.jsonl", demo_lines().items)
    write("real.jsonl", real_lines().items)
    demo, real = refusal_lines()
    write("refuse.jsonl", demo.items + real.items)
    write("conversations.jsonl", conversation_items())


if __name__ == "__main__":
    main()
