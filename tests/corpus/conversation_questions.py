"""Conversations: one asker, one conversation, many questions in a row. Unrelated questions must
each be answered as new questions (never as a follow-up of the one before); true follow-ups
("and for Penn?", "what about last year?", "as a chart") continue it."""
from __future__ import annotations

from typing import Any

from tests.corpus.conversation_turns import CONVERSATIONS
from tests.corpus.data import DemoCouncil
from tests.corpus.expect import DemoFacts


def conversation_items() -> list[dict[str, Any]]:
    """Every conversation with each turn's expected facts."""
    facts = DemoFacts(DemoCouncil())
    items = []
    for number, (who, turns) in enumerate(CONVERSATIONS(facts), start=1):
        items.append({"id": f"conversation-{number:03d}", "category": "conversation", "store": "demo", "as": who,
                      "turns": [{"q": q, "expect": expect} for q, expect in turns]})
    return items
