"""Writing notifications as people read them: all the returns a person is reminded of today in
one message, overdue ones first and said plainly, each with a Submit value button."""
from __future__ import annotations

import json
from datetime import date

from bot.core.messages import Choice, ChoicesReply, Reply, TextReply
from data_access.models import Notification
from data_access.store import Store


def _line(store: Store, item: dict, today: date) -> str:
    name = store.indicators.loc[item["indicator"], "name"] if item["indicator"] in store.indicators.index else item["indicator"]
    deadline = date.fromisoformat(item["deadline"])
    when = f"{deadline:%a %d %b}"
    if today > deadline:
        days = item.get("overdue_working_days") or 0
        state = f"*overdue* — it was due {when}" + (f" ({days} working day{'s' if days != 1 else ''} ago)" if days else "")
    elif today == deadline:
        state = "due *today*"
    else:
        state = f"due {when}"
    behalf = {"delegate": " (as delegate)", "owner's manager": " (you manage the owner)",
              "service director": " (your service)", "performance team": " (performance team)"}.get(item.get("why"), "")
    return f"• {name}, {item['period']} — {state}{behalf}"


def reminder_message(store: Store, recipient: str, items: list[Notification], today: date) -> list[Reply]:
    """One message for everything a person is reminded of today."""
    payloads = sorted(({"indicator": n.indicator_code, "period": n.period, **json.loads(n.payload)} for n in items),
                      key=lambda p: (p["deadline"], p["indicator"]))
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
    lines = [heading, *(_line(store, p, today) for p in payloads)]
    owner_items = [p for p in payloads if p.get("why") in ("owner", "delegate")]
    if owner_items:
        lines.append("Reply with the value (e.g. “NEET for October is 5.4%”), “snooze until Monday”, or "
                     "“not available: <reason> until <date>”.")
    replies: list[Reply] = [TextReply("\n".join(lines))]
    if owner_items:
        replies.append(ChoicesReply("Submit now:", tuple(
            Choice(f"Submit {p['indicator']} {p['period']}", f"submit value for {p['indicator']} {p['period']}")
            for p in owner_items[:5])))
    return replies
