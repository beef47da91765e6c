"""Chat answers about the quarter's corporate performance report: recording an improvement action
(“add an action for CRIME_RATE: targeted patrols in Heath Town, Inspector Khan, by 31 January”),
what is still outstanding for it (“what's outstanding for the Q2 report?”), a cabinet member's
comment (“comment on the Q2 report: …”), and the deck itself as a file (“send me the Q2 report”,
“the Children's Services report”)."""
from __future__ import annotations

import re
from datetime import date

from bot.core.answers.common import Ask, Draft
from bot.core.commentary import may_comment
from bot.core.format import period_text
from bot.core.messages import FileReply
from data_access.periods import QUARTER, Period, containing
from intents.text import normalise
from intents.when import read_when
from reports.actions import ActionRefused, read_action, record_action
from reports.comments import record_comment
from reports.content import QuarterNotBegun, build_report
from reports.outstanding import ACTION, CABINET, RETURN, outstanding_items

PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"


def report_quarter(asked: Period | None, today: date) -> Period:
    """The quarter asked for ('Q2' is read as the newest Q2 by intents/when), else the newest one ended by `today`."""
    if asked is not None and asked.kind == QUARTER:
        return asked
    return containing(today, QUARTER).shift(-1)


def _services(ask: Ask) -> list[str] | None:
    """The services a question names (a portfolio names its services), or None for all."""
    named = ask.query.service
    if not named:
        return None
    indicators = ask.lookup.store.indicators
    if named in set(indicators["service"].dropna()):
        return [named]
    return sorted(set(indicators[indicators["portfolio"] == named]["service"].dropna())) or None


def answer_report(ask: Ask) -> Draft:
    """The quarter's report deck, for the whole council or the services named, as a file."""
    draft = Draft(facts={"intent": "report"})
    chosen = report_quarter(ask.query.when.period, ask.today)
    services = _services(ask)
    store = ask.lookup.store
    try:
        report = build_report(store, chosen, services, ask.today)
    except QuarterNotBegun as refusal:
        draft.facts.update(period=chosen.label, refused=True)
        return draft.say(f"{refusal} Ask for that one: “send me the {period_text(refusal.newest.label, months=False)} "
                         "report”.")
    scope = services[0] if services and len(services) == 1 else "the council"
    from reports.deck import deck_bytes  # python-pptx and matplotlib: loaded when a deck is first made
    data = deck_bytes(store, report)
    reds = [m for m in report.measures if m.rag == "red"]
    waiting = sum(1 for m in reds if not m.commentary)
    quarter = period_text(chosen.label, months=False)
    if report.partial:
        draft.say(f"{quarter} is not over: it runs to {chosen.end:%-d %B %Y}, so this report is partial, with the "
                  f"values in by {ask.today:%-d %B %Y}.")
    returns = len(report.returns)
    draft.say(f"Here is the {quarter} corporate performance report for {scope}: {len(report.measures)} measures, "
              f"{len(reds)} red" + (f", {waiting} still without commentary" if waiting else ", all with commentary")
              + (f"; {returns} return{'s' if returns != 1 else ''} for the quarter still outstanding (those measures show "
                 "their previous value, marked as carried)." if returns else "."))
    from reports.cli import default_name  # loads the deck writer: only when a report is sent
    name = default_name(chosen.label if not services or len(services) > 1 else f"{chosen.label} {services[0]}")
    draft.files.append(FileReply(name, data, f"Corporate performance report {chosen.label}",
                                 f"{quarter} corporate performance report for {scope} (PowerPoint, "
                                 f"{len(report.services)} service{'s' if len(report.services) != 1 else ''})", PPTX))
    draft.facts.update(period=chosen.label, service=services[0] if services and len(services) == 1 else None,
                       file=name, red=[m.code for m in reds])
    return draft


def answer_outstanding(ask: Ask) -> Draft:
    """What the quarter's report still needs: everything by service and director for the performance
    team, a director's own service, or what the asker owes."""
    draft = Draft(facts={"intent": "report_outstanding"})
    chosen = report_quarter(ask.query.when.period, ask.today)
    person = ask.person
    items = outstanding_items(ask.lookup.store, chosen, as_at=ask.today)
    if person.has_role("performance_team") or person.has_role("leadership") and not person.has_role("director"):
        mine, scope = items, "the council"
    elif person.has_role("director"):
        mine, scope = [i for i in items if i.service == person.service], person.service
    else:
        mine, scope = [i for i in items if i.recipient == person.email], "you"
    draft.facts.update(period=chosen.label, outstanding=[{"kind": i.kind, "indicator": i.indicator,
                                                         "recipient": i.recipient} for i in mine])
    if not mine:
        return draft.say(f"Nothing is outstanding for the {chosen.label} report from {scope}.")
    draft.say(f"*Outstanding for the {chosen.label} report* ({scope}): {len(mine)} item{'s' if len(mine) != 1 else ''}.")
    for service in dict.fromkeys(i.service for i in mine):
        draft.say(f"*{service}*")
        for i in (i for i in mine if i.service == service):
            if i.kind == CABINET:
                draft.say(f"• the cabinet member's comment for the summary page, from {i.recipient_name}")
                continue
            if i.kind == RETURN:
                late = " (overdue)" if i.deadline and i.deadline < ask.today else ""
                draft.say(f"• {i.indicator_name} ({i.period}): the return, due {i.deadline:%-d %b %Y}{late}, from "
                          f"{i.recipient_name}")
                continue
            what = "an improvement action (red for a second period)" if i.kind == ACTION else "commentary"
            draft.say(f"• {i.indicator_name} ({i.period}): {what} from {i.recipient_name}")
    return draft


def answer_action(ask: Ask, text: str) -> Draft:
    """Record an improvement action for a red measure in the quarter's report, from the message as typed."""
    draft = Draft(facts={"intent": "action", "recorded": False})
    head, _, rest = text.partition(":")
    code = _indicator_in(ask, head)
    if code is None:
        return draft.say("Which measure is the action for? Say e.g. “add an action for CRIME_RATE: targeted patrols "
                         "in Heath Town, Inspector Khan, by 31 January”.")
    info = ask.lookup.indicator(code)
    store = ask.lookup.store
    if not may_comment(ask.person, info["owner_email"], info["service"], store.delegators(ask.person.email)):
        return draft.say(f"Only the owner of *{info['name']}*, their delegates, the {info['service']} director or the "
                         "performance team can add its improvement actions.")
    try:
        given = read_action(rest, ask.today)
    except ActionRefused as refusal:
        return draft.say(str(refusal))
    chosen = report_quarter(read_when(normalise(head), ask.today)[0].period, ask.today)  # not the “by” date
    record_action(store, code, chosen.label, given, ask.person.email)
    draft.facts.update(indicator=code, period=chosen.label, recorded=True)
    return draft.say(f"Recorded for the {chosen.label} report — *{info['name']}*: {given.action}, led by {given.lead}, "
                     f"by {given.due:%d %B %Y}.")


def _indicator_in(ask: Ask, head: str) -> str | None:
    """An indicator code written in `head` (CRIME_RATE, crime_rate), else the one the parser found."""
    codes = {code.lower(): code for code in ask.lookup.store.indicators.index}
    for word in re.findall(r"[A-Za-z0-9_]+", head):
        if word.lower() in codes:
            return codes[word.lower()]
    return ask.query.indicator


def answer_comment(ask: Ask, text: str) -> Draft:
    """Record a cabinet member's comment on their services' pages of the quarter's report."""
    draft = Draft(facts={"intent": "report_comment", "recorded": False})
    person = ask.person
    indicators = ask.lookup.store.indicators
    services = sorted(set(indicators[indicators["portfolio"] == person.portfolio]["service"].dropna())) \
        if person.has_role("cabinet_member") and person.portfolio else []
    if not services:
        return draft.say("Only a cabinet member can comment on their portfolio's pages of the report.")
    head, _, comment = text.partition(":")
    comment = comment.strip()
    if not comment:
        return draft.say("Write the comment after a colon, e.g. “comment on the Q2 report: good progress on NEET; "
                         "care leavers remain a concern”.")
    chosen = report_quarter(read_when(normalise(head), ask.today)[0].period, ask.today)
    for service in services:
        record_comment(ask.lookup.store, chosen.label, service, comment, person.email)
    draft.facts.update(period=chosen.label, recorded=True, service=services[0])
    return draft.say(f"Thank you — your comment will appear on the {' and '.join(services)} summary page of the "
                     f"{chosen.label} report.")
