"""Saying plainly what perfbot cannot do, and why, for a request found by intents/acting_for.py:
acting for someone else, or changing what the performance team's files set. Nothing is changed
and no other question is answered in its place."""
from __future__ import annotations

from bot.core.answers.common import Ask, Draft
from intents.acting_for import CannotDo

SET_BY_FILES = {
    "target": ("targets", "the targets file"),
    "owner": ("who owns an indicator or who their delegates are", "the indicators and delegates files"),
    "deadline": ("deadlines", "the reporting calendar"),
    "name": ("an indicator's name, definition or unit", "the indicator dictionary"),
}
FOR_ANOTHER = {
    "subscribe": ("subscribe or unsubscribe only you", "each person chooses their own alerts — say “subscribe me to …” "
                  "for yourself, or ask {name} to"),
    "returns": ("list only the returns you owe yourself", "to see every return still outstanding ask “who hasn't "
                "submitted?” (the performance team, leadership and service leads see them)"),
    "reminders": ("snooze or pause only your own reminders", "{name} can say “not available until …” themselves"),
}


def answer_cannot(ask: Ask, cannot: CannotDo) -> Draft:
    """The refusal: what cannot be done, why, what to do instead — and that nothing changed."""
    draft = Draft(facts={"intent": "cannot", "refused": True, "cannot": cannot.kind, "recorded": False})
    if cannot.kind == "set_by_files":
        what, source = SET_BY_FILES[cannot.what]
        return draft.say(f"I can't change {what} by message — nothing was changed. They are set by the performance "
                         f"team from {source} (`perfbot import`), so ask them if it should change.")
    row = ask.lookup.store.person(cannot.who) if cannot.who else None
    name = row.name if row else cannot.who
    draft.facts["other_person"] = cannot.who
    can, instead = FOR_ANOTHER[cannot.what]
    return draft.say(f"I can {can}, not act for {name} — nothing was changed or looked up for them. "
                     + instead.format(name=name)[0].upper() + instead.format(name=name)[1:] + ".")
