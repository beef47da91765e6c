"""Asking for commentary on a value: the "Add commentary" button of a red alert (or “commentary for
NEET for October”) checks that the asker may comment, then waits for their next message, which the
submission dialogue (`submitting.carry_on`, step 'commentary') records with the observation."""
from __future__ import annotations

from bot.core.answers.common import Ask, Draft
from bot.core.format import period_text, rag_text
from bot.core.lookup import period_covering
from bot.core.messages import Person
from bot.core.submitting import Pending
from data_access.submissions import current_observation

SUBMIT_FIRST = "Submit the value first (e.g. “NEET for October is 5.4%”), then add its commentary."


def may_comment(person: Person | None, owner_email: str | None, service: str | None, delegators: list[str]) -> bool:
    """The owner, their delegates, the director of the indicator's service and the performance team."""
    if person is None:
        return False
    if person.has_role("performance_team") or (owner_email and (person.email == owner_email or owner_email in delegators)):
        return True
    return person.has_role("director") and bool(service) and person.service == service


def request_commentary(ask: Ask) -> tuple[Draft, Pending | None]:
    """Start taking commentary on an indicator's council value for a period (default: the newest)."""
    draft = Draft()
    draft.facts.update(intent="commentary", commentary_requested=False)
    code = ask.query.indicator
    if code is None:
        return draft.say("Which measure is the commentary for? Say e.g. “commentary for NEET for October”."), None
    info = ask.lookup.indicator(code)
    store = ask.lookup.store
    draft.facts.update(indicator=code)
    if not may_comment(ask.person, info["owner_email"], info["service"], store.delegators(ask.person.email)):
        return draft.say(f"Only the owner of *{info['name']}*, their delegates, the {info['service']} director or the "
                         "performance team can add its commentary."), None
    values = ask.lookup.values(code, [ask.council])
    values = values[values["value"].notna()] if not values.empty else values
    if values.empty:
        return draft.say(f"*{info['name']}* has no value for {ask.lookup.place_name(ask.council)} yet."), None
    asked = ask.query.when.period
    period = period_covering(values.drop_duplicates("period"), asked) if asked else str(values["period"].iloc[-1])
    if period is None:
        return draft.say(f"*{info['name']}* has no value for {period_text(asked.label, months=False)} yet. "
                         + SUBMIT_FIRST), None
    row = values[values["period"] == period].iloc[-1]
    with store.sessions() as session:
        observation = current_observation(session, code, ask.council, period)
    if observation is None:
        return draft.say(f"*{info['name']}* has no value for {period_text(period, months=False)} yet. "
                         + SUBMIT_FIRST), None
    draft.facts.update(period=period, commentary_requested=True, observation_id=observation.id)
    state = f", {rag_text(row['rag'])}" if row["rag"] else ""
    draft.say(f"Please reply with your commentary on *{info['name']}*, {period_text(period, months=False)} ({ask.show(code, row['value'])}{state}): "
              "what is happening and what is being done — or “skip”.")
    if observation.commentary:
        draft.say(f"It already has this commentary, which yours will replace: “{observation.commentary}”")
    return draft, Pending("commentary", code, period, float(row["value"]), observation_id=observation.id)
