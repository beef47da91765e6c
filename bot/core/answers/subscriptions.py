"""Answers about alerts: subscribing ("alert me when NEET goes red", "subscribe me to Children's
Services", "tell me when anything in my ward goes red"), unsubscribing, listing what someone hears
about and why, and the performance team's "alert when NEET is worse than England by more than 1.5"."""
from __future__ import annotations

from bot.core.alerting import sweep_now
from bot.core.answers.common import Ask, Draft
from bot.core.format import period_text, rag_text
from intents.places import MY_WARD
from schedules.notices import margin_text
from schedules.subscriptions import (
    INDICATOR,
    PORTFOLIO,
    SERVICE,
    WARD,
    Interest,
    set_england_margin,
    subscribe,
    subscriptions,
    unsubscribe,
)

WARD_ROLES = ("councillor", "leadership", "performance_team")


def _target(ask: Ask) -> tuple[str | None, str | None, str | None]:
    """(kind, target, problem): what the message names to subscribe to — a ward, an indicator, a
    service or a portfolio — or why it names nothing usable."""
    store = ask.lookup.store
    for mention in ask.query.places:
        if mention.kind == MY_WARD:
            if ask.person is None or not ask.person.ward_code:
                return None, None, "You have no ward on record: name the ward, e.g. “subscribe me to Penn ward”."
            return WARD, ask.person.ward_code, None
        if mention.code and ask.lookup.place_level(mention.code) == "ward":
            return WARD, mention.code, None
    if ask.query.indicator:
        return INDICATOR, ask.query.indicator, None
    if ask.query.service:
        services = set(store.indicators["service"].dropna())
        return (SERVICE if ask.query.service in services else PORTFOLIO), ask.query.service, None
    return None, None, None


def label(ask: Ask, interest: Interest) -> str:
    """How a subscription is named to people: 'NEET …', 'Children's Services (service)', 'Penn ward'."""
    if interest.kind == INDICATOR:
        return ask.indicator_name(interest.target) if interest.target in ask.lookup.store.indicators.index else interest.target
    if interest.kind == WARD:
        return f"{ask.lookup.place_name(interest.target)} ward"
    return f"{interest.target} ({interest.kind})"


def _current(ask: Ask, indicator: str) -> str:
    latest = ask.lookup.latest_council_status(ask.council)
    rows = latest[latest["indicator_code"] == indicator] if not latest.empty else latest
    if rows.empty:
        return ""
    row = rows.iloc[0]
    state = rag_text(row["rag"]) or "without a target"
    return f" It is {state} now ({ask.show(indicator, row['value'])}, {period_text(row['period'], months=False)})."


def answer_subscribe(ask: Ask) -> Draft:
    """Subscribe the asker to an indicator, a service or portfolio, or a ward."""
    draft = Draft()
    draft.facts.update(intent="subscribe")
    if ask.person is None:
        return draft.say("I don't recognise you, so I can't send you alerts.")
    if ask.query.choices:
        draft.say("Which measure should I alert you about?")
        draft.choices = [(ask.indicator_name(c), f"alert me when {c} goes red") for c in ask.query.choices]
        return draft
    kind, target, problem = _target(ask)
    if problem:
        return draft.say(problem)
    if kind is None:
        return draft.say("What should I alert you about? Say e.g. “alert me when NEET goes red”, “subscribe me to "
                         "Children's Services” or, for councillors, “tell me when anything in my ward goes red”.")
    if kind == WARD and not any(ask.person.has_role(role) for role in WARD_ROLES):
        return draft.say("Ward alerts are for councillors. You can subscribe to a measure or a service instead, "
                         "e.g. “alert me when NEET goes red”.")
    added = subscribe(ask.lookup.store, ask.person.email, kind, target)
    interest = Interest(ask.person.email, kind, target)
    draft.facts.update(subscription={"kind": kind, "target": target}, subscribed=added)
    if kind == WARD and added:
        sweep_now(ask.lookup.store)  # record the ward's statuses now: only later changes alert
    already = "" if added else "You were already subscribed: "
    if kind == INDICATOR:
        draft.say(f"{already or 'Done — '}I'll tell you when *{label(ask, interest)}* goes red, and when it recovers."
                  + _current(ask, target))
    elif kind == WARD:
        draft.say(f"{already or 'Done — '}I'll tell you when any measure in *{label(ask, interest)}* goes red against "
                  "the council's targets, and when it recovers.")
    else:
        column = "service" if kind == SERVICE else "portfolio"
        count = int((ask.lookup.store.indicators[column] == target).sum())
        draft.say(f"{already or 'Done — '}I'll tell you when any of the {count} measures in *{target}* goes red, "
                  "and when it recovers.")
    return draft.say("Say “what am I subscribed to” to see them all, or “unsubscribe from …” to stop.")


def answer_unsubscribe(ask: Ask) -> Draft:
    """Remove one of the asker's subscriptions, or all of them ("unsubscribe from everything")."""
    draft = Draft()
    draft.facts.update(intent="unsubscribe")
    if ask.person is None:
        return draft.say("I don't recognise you, so you have no subscriptions.")
    store, email = ask.lookup.store, ask.person.email
    kind, target, problem = _target(ask)
    mine = subscriptions(store, email)
    if problem:
        return draft.say(problem)
    if kind is None and not mine:
        return draft.say("You have no subscriptions.")
    if kind is None and not ask.query.everyone and len(mine) > 1:
        draft.say("Which subscription should I stop?")
        draft.choices = [(label(ask, s), f"unsubscribe from {_phrase(ask, s)}") for s in mine[:5]]
        return draft
    removed = unsubscribe(store, email) if kind is None else unsubscribe(store, email, kind, target)
    draft.facts.update(unsubscribed=[{"kind": r.kind, "target": r.target} for r in removed])
    if not removed:
        draft.say(f"You weren't subscribed to {label(ask, Interest(email, kind or '', target or ''))}.")
        return _list(ask, draft, mine)
    draft.say("Done — no more alerts about " + ", ".join(f"*{label(ask, r)}*" for r in removed) + ".")
    rest = subscriptions(store, email)
    if rest:
        draft.say("Still subscribed to: " + ", ".join(label(ask, r) for r in rest) + ".")
    return draft


def _phrase(ask: Ask, interest: Interest) -> str:
    """How to name a subscription in a button's message so that the parser finds it again."""
    if interest.kind == WARD:
        return f"{ask.lookup.place_name(interest.target)} ward"
    return interest.target


def answer_subscriptions(ask: Ask) -> Draft:
    """What the asker hears about: their subscriptions, and what their roles bring them."""
    draft = Draft()
    draft.facts.update(intent="subscriptions")
    if ask.person is None:
        return draft.say("I don't recognise you, so you have no subscriptions.")
    return _list(ask, draft, subscriptions(ask.lookup.store, ask.person.email))


def _list(ask: Ask, draft: Draft, mine: list[Interest]) -> Draft:
    person = ask.person
    draft.facts["subscriptions"] = [{"kind": s.kind, "target": s.target} for s in mine]
    if mine:
        draft.say("You're subscribed to alerts about:")
        for interest in mine:
            draft.say(f"• {label(ask, interest)}")
        draft.choices = [(f"Unsubscribe: {label(ask, s)}"[:75], f"unsubscribe from {_phrase(ask, s)}") for s in mine[:5]]
    else:
        draft.say("You have no subscriptions. Say e.g. “alert me when NEET goes red”.")
    indicators = ask.lookup.store.indicators
    roles = []
    owned = int((indicators["owner_email"] == person.email).sum())
    if owned:
        roles.append(f"the {owned} measure{'s' if owned != 1 else ''} you own")
    if person.has_role("director") and person.service:
        roles.append(f"{person.service} (your service)")
    if person.has_role("cabinet_member") and person.portfolio:
        roles.append(f"the {person.portfolio} portfolio (yours), with a weekly digest")
    if person.has_role("leader"):
        draft.say("As the council's leader you hear whenever any measure at the council goes red.")
    elif roles:
        draft.say("You also hear when anything goes red in " + "; ".join(roles) + ".")
    return draft


def answer_alert_rule(ask: Ask) -> Draft:
    """Set or remove the 'worse than England by more than X' alert of an indicator (performance team)."""
    draft = Draft()
    draft.facts.update(intent="alert_rule")
    if ask.person is None or not ask.person.has_role("performance_team"):
        return draft.say("Only the performance team can set alert rules.")
    indicator, margin = ask.query.indicator, ask.query.margin
    if indicator is None:
        return draft.say("Which measure? Say e.g. “alert when NEET is worse than England by more than 1.5”.")
    name = ask.indicator_name(indicator)
    if margin is None:
        old = set_england_margin(ask.lookup.store, indicator, None, ask.person.email)
        draft.facts.update(indicator=indicator, margin=None)
        return draft.say(f"Done — no more England alerts for *{name}*." if old is not None
                         else f"*{name}* had no England alert rule.")
    polarity = ask.lookup.indicator(indicator)["polarity"]
    if polarity not in ("higher_is_better", "lower_is_better"):
        return draft.say(f"*{name}* has no better or worse direction, so it can't be worse than England.")
    set_england_margin(ask.lookup.store, indicator, margin, ask.person.email)
    draft.facts.update(indicator=indicator, margin=margin)
    draft.say(f"Done — everyone who hears about *{name}* will be alerted when it is worse than England by more "
              f"than {margin_text(ask.lookup.store, indicator, margin)}, and told when it recovers.")
    values = ask.lookup.values(indicator, [ask.council, ask.country] if ask.country else [ask.council])
    own = values[(values["geography_code"] == ask.council) & values["value"].notna()] if not values.empty else values
    if not own.empty and own.iloc[-1]["england_value"] == own.iloc[-1]["england_value"]:
        row = own.iloc[-1]
        draft.say(f"Now: {ask.show(indicator, row['value'])} against England's {ask.show(indicator, row['england_value'])}"
                  f" ({period_text(row['period'], months=False)}). Alerts start from here: only a later change alerts.")
    return draft
