"""Conversations: one asker, one conversation, many questions in a row. Unrelated questions must
each be answered as new questions (never as a follow-up of the one before); true follow-ups
("and for Penn?", "what about last year?", "as a chart") continue it."""
from __future__ import annotations

from typing import Any

from tests.corpus.conversation_turns import CONVERSATIONS
from tests.corpus.data import DemoCouncil, RealData
from tests.corpus.expect import DemoFacts
from tests.corpus.real_questions import RealFacts, real_conversations


def conversation_items() -> list[dict[str, Any]]:
    """Every conversation with each turn's expected facts."""
    stores = [("demo", CONVERSATIONS(DemoFacts(DemoCouncil()))), ("real", real_conversations(RealFacts(RealData())))]
    items = []
    for store, conversations in stores:
        for who, turns in conversations:
            items.append({"id": f"conversation-{len(items) + 1:03d}", "category": "conversation", "store": store,
                          "as": who, "turns": [{"q": q, "expect": expect} for q, expect in turns]})
    return items
