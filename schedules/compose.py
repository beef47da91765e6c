"""Writing notifications as people read them: all the returns a person is reminded of today in
one message, overdue ones first and said plainly, each named as people say it (never by its code)
with a Submit button naming the return. An escalation names whose return it is ("Maya Rowe's
16-17 year olds NEET or not known return for October 2026 is 3 working days late"). Working days
late are counted from the deadline to the day the message is written (the day it is sent), with
bank holidays, however long the reminder waited in the outbox."""
from __future__ import annotations

import json
from datetime import date

from bot.core.messages import Choice, ChoicesReply, Reply, TextReply
from data_access.models import Notification
from data_access.store import Store
from schedules.notices import short_name, spoken_name, when_text
from schedules.working_time import WorkingTime

OWNING = ("owner", "delegate")
BUTTON_NAME, SENTENCE_NAME = 36, 48


def submit_choice(store: Store, indicator: str, period: str) -> Choice:
    """'Submit 16-17 year olds NEET or not known for October 2026' (the name shortened at a word)."""
    return Choice(f"Submit {short_name(spoken_name(store, indicator), BUTTON_NAME)} for {when_text(period)}",
                  f"submit value for {indicator} {period}")


def _mid_sentence(name: str) -> str:
    """A name as it reads after "Maya Rowe's": 'Households in…' → 'households in…', acronyms kept ('NEET…')."""
    return name[0].lower() + name[1:] if name[:2].istitle() and name[1:2].isalpha() else name


def _days(count: int) -> str:
    return f"{count} working day{'s' if count != 1 else ''}"


def _owner_name(store: Store, indicator: str) -> str | None:
    owner = store.person(str(store.indicators["owner_email"].get(indicator, "")))
    return owner.name if owner else None


def _line(store: Store, item: dict, today: date, working: WorkingTime, say_delegate: bool = True) -> str:
    name = spoken_name(store, item["indicator"])
    period = when_text(item["period"])
    deadline = date.fromisoformat(item["deadline"])
    when = f"{deadline:%a %d %b}"
    late = working.working_days_between(deadline, today) if today > deadline else 0
    owner = _owner_name(store, item["indicator"])
    if item.get("why") not in OWNING:
        whose = f"{owner}'s " if owner else ""
        name = _mid_sentence(short_name(name, SENTENCE_NAME)) if owner else short_name(name, SENTENCE_NAME)
        if today <= deadline:
            return f"• {whose}{name} return for {period} is due {'*today*' if today == deadline else when}"
        return f"• {whose}{name} return for {period} is *{_days(late) + ' late' if late else 'overdue'}* (it was due {when})"
    if today > deadline:
        state = f"*overdue* — it was due {when}" + (f" ({_days(late)} ago)" if late else "")
    elif today == deadline:
        state = "due *today*"
    else:
        state = f"due {when}"
    behalf = f" (as {owner}'s delegate)" if say_delegate and item.get("why") == "delegate" and owner else ""
    return f"• {name}, {period} — {state}{behalf}"


def reminder_message(store: Store, recipient: str, items: list[Notification], today: date,
                     working: WorkingTime | None = None) -> list[Reply]:
    """One message for everything a person is reminded of today (`today`: the day it is sent)."""
    working = working or WorkingTime()
    returns = {}  # a return queued twice (a rung that waited, and today's) is listed once
    for n in sorted(items, key=lambda n: n.id):
        returns.setdefault((n.indicator_code, n.period), {"indicator": n.indicator_code, "period": n.period,
                                                          **json.loads(n.payload)})
    payloads = sorted(returns.values(), key=lambda p: (p["deadline"], p["indicator"]))
    person = store.person(recipient)
    first = person.name.split()[0] if person and not person.name.startswith("Cllr") else (person.name if person else "")
    late = [p for p in payloads if today > date.fromisoformat(p["deadline"])]
    heading = f"Good morning{', ' + first if first else ''}. "
    if late and len(late) == len(payloads):
        heading += f"{'This return is' if len(late) == 1 else f'These {len(late)} returns are'} overdue:"
    elif late:
        heading += f"{len(late)} of the {len(payloads)} returns below {'is' if len(late) == 1 else 'are'} overdue:"
    else:
        heading += f"A reminder about {len(payloads)} return{'s' if len(payloads) != 1 else ''}:"
    # a delegate for one owner only is told so once, not on every line
    behalf = {_owner_name(store, p["indicator"]) if p.get("why") == "delegate" else None for p in payloads}
    once = len(behalf) == 1 and None not in behalf
    lines = [heading, *(_line(store, p, today, working, not once) for p in payloads)]
    if once:
        lines.append(f"You are reminded as {behalf.pop()}'s delegate.")
    owner_items = [p for p in payloads if p.get("why") in OWNING]
    if len(owner_items) < len(payloads):
        lines.append("Say “who hasn't submitted?” to see every return still outstanding.")
    if owner_items:
        lines.append("Reply with the value (e.g. “NEET for October is 5.4%”), “snooze until Monday”, or "
                     "“not available: <reason> until <date>”.")
    replies: list[Reply] = [TextReply("\n".join(lines))]
    if owner_items:
        replies.append(ChoicesReply("Submit now:", tuple(submit_choice(store, p["indicator"], p["period"])
                                                         for p in owner_items[:5])))
    return replies
