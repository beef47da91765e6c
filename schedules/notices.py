"""Writing alerts and recovery notices as people read them: what went red, where, the value
against the target, the region and England, the direction of travel and the owner — several in
one message when they arrive together — with the commentary already given on the value (who, when,
what), read when the message is written, or else an Add commentary button for the people accountable.
A recovery rewrites the alert it answers (`alert_message` with `recovered`), or stands alone when
there is no alert to rewrite."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import select

from bot.core.format import direction_text, period_text, rag_text, shorten, value_text
from bot.core.messages import CardReply, Choice, Reply
from data_access.models import AuditEntry
from data_access.store import Store
from data_access.submissions import current_observation
from schedules.routing import ACCOUNTABLE, LEADER, LEADERSHIP
from schedules.statuses import ENGLAND, is_alarm
from schedules.working_time import LONDON

MAX_BUTTONS, BUTTON_NAME = 5, 40
WHY = {"owner": "you own this measure", "service director": "it is in your service",
       "portfolio holder": "it is in your portfolio", "subscribed": "you subscribed to it",
       LEADERSHIP: "leadership hears of every red", LEADER: "the council's leader hears of every red"}
Payload = dict[str, Any]


def _present(value: Any) -> bool:
    return value is not None and value == value


def show(store: Store, indicator: str, value: float | None) -> str:
    """A value of `indicator` with its unit and decimals."""
    if indicator not in store.indicators.index:
        return value_text(value, "", 1)
    row = store.indicators.loc[indicator]
    return value_text(value, row["unit"], int(row["decimals"]))


def margin_text(store: Store, indicator: str, margin: float) -> str:
    """A difference in the indicator's unit: '1.5 percentage points', '3 per 10,000'."""
    unit = store.indicators["unit"].get(indicator)
    if unit == "%":
        return f"{margin:g} percentage point{'' if margin == 1 else 's'}"
    return show(store, indicator, margin)


def name_of(store: Store, indicator: str) -> str:
    """The indicator's name (its code when unknown)."""
    return str(store.indicators["name"].get(indicator, indicator))


ACRONYM = re.compile(r"\s*\(([A-Z]{2,})\)")
LINKING_WORDS = frozenset({"a", "and", "at", "for", "in", "of", "on", "or", "the", "to"})


def said_as_acronym(name: str) -> str:
    """A name with a phrase and its acronym in brackets said as the acronym, the way people say it:
    '16-17 year olds not in education, employment or training (NEET) or not known' →
    '16-17 year olds NEET or not known'. Unchanged when the words before the brackets do not spell it."""
    found = ACRONYM.search(name)
    if found is None:
        return name
    letters, start = list(found.group(1)), None
    for word in reversed(list(re.finditer(r"[A-Za-z][\w'-]*", name[:found.start()]))):
        if not letters:
            break
        if word.group().lower() in LINKING_WORDS:
            continue
        if word.group()[0].upper() != letters[-1]:
            return name
        letters.pop()
        start = word.start()
    if letters or start is None:
        return name
    return name[:start] + found.group(1) + name[found.end():]


def spoken_name(store: Store, indicator: str) -> str:
    """The indicator's name as people say it (see `said_as_acronym`), for sentences and buttons."""
    return said_as_acronym(name_of(store, indicator))


def short_name(name: str, limit: int) -> str:
    """`name` shortened at a word, never leaving a bracket open ('per FTE (rolling…' → 'per FTE…')."""
    cut = shorten(name, limit)
    return cut[:cut.rindex("(")].rstrip() + "…" if cut.count("(") > cut.count(")") else cut


def place_of(store: Store, code: str) -> str:
    """A place's name (its code when unknown)."""
    return str(store.places["name"].get(code, code))


def item_key(p: Payload) -> tuple[str, str, str]:
    """What an alert and its recovery have in common: the rule, indicator and place."""
    return p["rule"], p["indicator"], p["place"]


def target_text(store: Store, p: Payload) -> str:
    """'the 2026/27 target of 89.0 per 10,000' (or a range); '' without a target."""
    ind = p["indicator"]
    if _present(p.get("target_low")) and _present(p.get("target_high")):
        return f"the {p['financial_year']} target range of {show(store, ind, p['target_low'])} to {show(store, ind, p['target_high'])}"
    if _present(p.get("target")):
        return f"the {p['financial_year']} target of {show(store, ind, p['target'])}"
    return ""


def state_text(p: Payload, status: str | None = None) -> str:
    """'🔴 red' (the status of the payload, or `status`), or 'worse than England' for the England rule."""
    status = p["status"] if status is None else status
    if p["rule"] == ENGLAND:
        return "worse than England" if status == "worse" else "no longer worse than England"
    return rag_text(status) or "without a target"


def when_text(period: str) -> str:
    """A period as people write it, without the months: 'Q2 2026/27', 'October 2026'."""
    return period_text(period, months=False)


def _was(store: Store, p: Payload) -> str:
    if not p.get("old_status"):
        return ""
    was = "within the margin" if p["rule"] == ENGLAND and p["old_status"] != "worse" else state_text(p, p["old_status"])
    before = show(store, p["indicator"], p.get("old_value"))
    earlier = p.get("old_period")
    if earlier and earlier != p["period"]:
        return f" — was {was} ({before}, {when_text(earlier)})"
    return f" — was {was} ({before} before the correction)"


def headline(store: Store, p: Payload) -> str:
    """Where, when, the value against the target (or England) and what it was before."""
    ind = p["indicator"]
    value = show(store, ind, p["value"])
    if p["rule"] == ENGLAND:
        gap = f"by more than {margin_text(store, ind, p['margin'])}" if _present(p.get("margin")) else ""
        return (f"*{place_of(store, p['place'])}*, {when_text(p['period'])}: *{value}* against England's "
                f"{show(store, ind, p.get('england_value'))} — {state_text(p)} {gap}".rstrip() + _was(store, p) + ".")
    target = target_text(store, p)
    against = f" against {target}" if target else ""
    return f"*{place_of(store, p['place'])}*, {when_text(p['period'])}: *{value}*{against}{_was(store, p)}."


def context_lines(store: Store, p: Payload) -> list[str]:
    """Region and England, the direction of travel, and the owner."""
    ind, lines = p["indicator"], []
    council = p.get("council")
    comparators = []
    if _present(p.get("region_value")):
        region = store.places["region_code"].get(council) if council else None
        comparators.append(f"{place_of(store, region) if region else 'the region'} {show(store, ind, p['region_value'])}")
    if _present(p.get("england_value")):
        versus = f" ({p['vs_england']} than England)" if p.get("vs_england") in ("better", "worse") else ""
        comparators.append(f"England {show(store, ind, p['england_value'])}{versus}")
    if comparators:
        lines.append("Compared with: " + ", ".join(comparators) + ".")
    if _present(p.get("previous_value")) and p.get("previous_direction"):
        lines.append(f"Direction: {direction_text(p['previous_direction'])} since {when_text(p['previous'])} "
                     f"({show(store, ind, p['previous_value'])}).")
    info = store.indicators.loc[ind] if ind in store.indicators.index else None
    owner = p.get("owner_name") or "no owner recorded"
    where = " · ".join(str(x) for x in (info["service"], info["portfolio"]) if isinstance(x, str)) if info is not None else ""
    lines.append(f"Owner: {owner}" + (f" · {where}" if where else "") + ".")
    return lines


def commentary_choice(p: Payload, label: str = "Add commentary") -> Choice:
    """The button that asks the core to take commentary on the value that went red."""
    return Choice(label, f"commentary for {p['indicator']} {p['period']}")


@dataclass(frozen=True)
class Commentary:
    """The commentary on a value: who gave it, when, and what it says."""

    by: str
    at: datetime
    text: str

    def line(self) -> str:
        """'Commentary from Maya Rowe, 30 Nov 2026: “…”'."""
        return f"Commentary from {self.by}, {self.at.astimezone(LONDON):%-d %b %Y}: “{self.text}”"


def commentaries(store: Store, alerts: list[Payload]) -> dict[tuple[str, str, str], Commentary]:
    """The commentary each alert's council value carries now (so one given after the alert was queued
    shows too), with who gave it and when from the audit log."""
    found: dict[tuple[str, str, str], Commentary] = {}
    with store.sessions() as session:
        for p in alerts:
            if p["place"] != p.get("council"):
                continue
            observation = current_observation(session, p["indicator"], p["place"], p["period"])
            if observation is None or not observation.commentary:
                continue
            entry = session.scalars(select(AuditEntry).where(
                AuditEntry.action == "commentary", AuditEntry.entity_key == f"{p['indicator']}|{p['place']}|{p['period']}")
                .order_by(AuditEntry.id.desc()).limit(1)).first()
            actor, at = (entry.actor, entry.at) if entry else (observation.recorded_by, observation.recorded_at)
            person = store.person(actor)
            found[item_key(p)] = Commentary(person.name if person else actor,
                                            at if at.tzinfo else at.replace(tzinfo=timezone.utc), observation.commentary)
    return found


def _asks_for_commentary(p: Payload, given: dict[tuple[str, str, str], Commentary]) -> bool:
    return (p.get("why") in ACCOUNTABLE and p["place"] == p.get("council") and p["rule"] != ENGLAND
            and item_key(p) not in given)


def _trend_choice(store: Store, p: Payload, label: str = "Show trend") -> Choice:
    where = "" if p["place"] == p.get("council") else f" in {place_of(store, p['place'])}"
    return Choice(label, f"{p['indicator']} trend{where}")


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _recovered_text(store: Store, r: Payload, first: str = "Recovered") -> str:
    when = f" on {datetime.fromisoformat(r['raised_at']).astimezone(LONDON):%d %b}" if r.get("raised_at") else ""
    return f"✅ {first}{when}: now {state_text(r)} at {show(store, r['indicator'], r['value'])} ({when_text(r['period'])})"


def alert_message(store: Store, recipient: str, alerts: list[Payload],
                  recovered: dict[tuple[str, str, str], Payload] | None = None) -> list[Reply]:
    """One message for the alerts a recipient gets together; those in `recovered` shown as recovered."""
    recovered = recovered or {}
    given = commentaries(store, alerts)
    alerts = sorted(alerts, key=lambda p: (p["place"] != p.get("council"), p["indicator"], p["place"]))
    why = alerts[0].get("why")
    footer = f"You get this because {WHY[why]}." if why in WHY else ""
    if len(alerts) == 1:
        p = alerts[0]
        back = recovered.get(item_key(p))
        icon, state = ("🔴", "red") if p["rule"] != ENGLAND else ("⚠️", state_text(p))
        title = (f"✅ Recovered: {name_of(store, p['indicator'])}" if back else
                 f"{icon} {_capital(state)}: {name_of(store, p['indicator'])}")
        lines = [headline(store, p), *context_lines(store, p)]
        if item_key(p) in given:
            lines.append(given[item_key(p)].line())
        if back:
            lines = [_recovered_text(store, back) + ".", "The alert was:", *lines]
        elif _asks_for_commentary(p, given):
            lines.append("Please add a commentary: what is happening and what is being done.")
        if footer:
            lines.append(footer)
        actions = [] if back or not _asks_for_commentary(p, given) else [commentary_choice(p)]
        return [CardReply(title, tuple(lines), (*actions, _trend_choice(store, p)))]
    still = [p for p in alerts if item_key(p) not in recovered]
    reds = sum(1 for p in alerts if p["rule"] != ENGLAND)
    title = f"🔴 {len(alerts)} measures went red" if reds == len(alerts) else f"🔴 {len(alerts)} alerts"
    if len(still) < len(alerts):
        title += f" — {len(alerts) - len(still)} since recovered"
    lines = []
    for p in alerts:
        back = recovered.get(item_key(p))
        name = name_of(store, p["indicator"])
        if back:
            lines.append(f"• *{name}* — {_recovered_text(store, back, 'recovered')}; it was {show(store, p['indicator'], p['value'])}.")
            continue
        rest = " ".join([*context_lines(store, p), *([given[item_key(p)].line()] if item_key(p) in given else [])])
        state = f" ({state_text(p)})" if p["rule"] == ENGLAND else ""
        lines.append(f"• *{name}*{state} — {headline(store, p)} {rest}")
    asking = [p for p in still if _asks_for_commentary(p, given)]
    if asking:
        lines.append("Please add a commentary on each: what is happening and what is being done.")
    if footer:
        lines.append(footer)
    actions = tuple(commentary_choice(p, f"Commentary: {short_name(spoken_name(store, p['indicator']), BUTTON_NAME)}")
                    for p in asking[:MAX_BUTTONS])
    trends = tuple(_trend_choice(store, p, f"Trend: {short_name(spoken_name(store, p['indicator']), BUTTON_NAME)}")
                   for p in still[:MAX_BUTTONS])
    return [CardReply(title, tuple(lines), actions + trends)]


def recovery_message(store: Store, recipient: str, recoveries: list[Payload]) -> list[Reply]:
    """A recovery notice with no alert message to rewrite (the red was there before the baseline,
    or was never sent to this recipient)."""
    recoveries = sorted(recoveries, key=lambda p: (p["indicator"], p["place"]))
    why = recoveries[0].get("why")
    footer = [f"You get this because {WHY[why]}."] if why in WHY else []
    if len(recoveries) == 1:
        p = recoveries[0]
        title = f"✅ No longer {state_text(p, 'worse' if p['rule'] == ENGLAND else 'red').removeprefix('🔴 ')}: " \
                f"{name_of(store, p['indicator'])}"
        lines = [f"Now {state_text(p)}. " + headline(store, p), *context_lines(store, p), *footer]
        return [CardReply(title, tuple(lines), (_trend_choice(store, p),))]
    lines = [f"• *{name_of(store, p['indicator'])}* — now {state_text(p)}: {headline(store, p)}" for p in recoveries]
    return [CardReply(f"✅ {len(recoveries)} measures recovered", (*lines, *footer), ())]


def is_alarm_payload(p: Payload) -> bool:
    """True for an alert payload (the status raises an alert under its rule)."""
    return is_alarm(p["rule"], p["status"])
