"""Submitting KPI values by message: "NEET for October is 5.4%", "5.4" in reply to a reminder, a
numerator and denominator, or the Submit value form. Checks who may submit, the period and the
number before anything is written; asks "are you sure?" for implausible values, a reason for a
correction, and commentary when the value is amber or red; "undo" withdraws the last submission.

The dialogue's state (what is waiting for confirmation, a reason or commentary) is a `Pending`
kept with the conversation; everything written goes through data_access.submissions."""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

import numpy as np

from bot.core.alerting import sweep_now
from bot.core.answers.common import Ask, Draft
from bot.core.format import period_text, rag_text, shorten
from bot.core.messages import FormField, FormReply, Option
from bot.core.people import may_submit
from bot.core.reasons import check_reason
from data_access import submissions
from data_access.periods import FINANCIAL_YEAR, MONTH, QUARTER, Period, containing, parse_period
from intents import query as q
from intents.query import Submission
from intents.submission import read_submission
from intents.text import normalise
from intents.when import When, read_when
from schedules.returns import Return, owners_for

KIND_OF = {"monthly": MONTH, "quarterly": QUARTER, "annual": FINANCIAL_YEAR}
EXAMPLE = {"monthly": "October 2026", "quarterly": "Q2 2026/27", "annual": "2025/26"}
UNDO_WINDOW = timedelta(minutes=30)
YES = re.compile(r"^\s*(?:yes|y|yep|yeah|confirm|confirmed|correct|ok|okay|sure|go ahead|record it)\b", re.I)
NO = re.compile(r"^\s*(?:no|n|nope|change|cancel|stop|wrong|don'?t)\b", re.I)
CANCEL = re.compile(r"^\s*(?:cancel|stop|don'?t)\b", re.I)  # a "no" that ends the submission rather than changes it
SKIP = re.compile(r"^\s*(?:skip|no comment|none|later|not now)\b", re.I)
FORM_ID = "submit-value"
SEPARATOR = "@"  # between the indicator and the period in a return's option value: "NEET@2026-10"
OTHER = "other"  # the option for an indicator not among the returns owed


@dataclass(frozen=True)
class Pending:
    """A submission waiting for the person's next message: 'confirm', 'value' (the right value,
    after "Change"), 'reason' or 'commentary'."""

    step: str
    indicator: str
    period: str
    value: float | None = None
    text: str = ""
    reason: str | None = None
    observation_id: int | None = None
    correcting: bool = False  # a correction of an older period, confirmed (or to be confirmed) as meant


@dataclass
class LastSubmission:
    """The asker's most recent submission in a conversation, for "undo"."""

    observation_id: int
    at: datetime
    indicator: str
    period: str


def submit_form(ask: Ask, indicator: str | None = None, period: str | None = None,
                sent: dict[str, str] | None = None, errors: dict[str, str] | None = None) -> FormReply:
    """The Submit value form: a select of the returns the asker owes (each filling in its period),
    or an indicator to name; pre-filled where the indicator and period are known. Shown again with
    the values `sent` and the `errors` beside their fields when a submission could not be taken."""
    sent, errors = sent or {}, errors or {}
    owed = owed_returns(ask)
    fields = []
    if owed:
        chosen = _chosen_return(owed, indicator, period)
        fields.append(FormField(
            "return", "Return", sent.get("return", chosen), "The returns you owe; for anything else choose “Another indicator”",
            tuple(Option(f"{shorten(ask.indicator_name(r.indicator_code), 50)} — {_when(r.period)}",
                         f"{r.indicator_code}{SEPARATOR}{r.period}", (("period", _when(r.period)),))
                  for r in owed) + (Option("Another indicator", OTHER),), errors.get("return", ""), required=True))
        named = ask.indicator_name(indicator) if indicator and chosen == OTHER else ""
        fields.append(FormField("indicator", "Other indicator", sent.get("indicator", named),
                                "Only for another indicator, e.g. NEET", error=errors.get("indicator", "")))
        shown = _when(chosen.partition(SEPARATOR)[2] if chosen != OTHER else period)
    else:
        fields.append(FormField("indicator", "Indicator", sent.get("indicator", ask.indicator_name(indicator) if indicator else ""),
                                "e.g. NEET", error=errors.get("indicator", ""), required=True))
        shown = _when(period)
    fields.append(FormField("period", "Period", sent.get("period", shown), "e.g. October 2026, Q2 2026/27 or 2025/26",
                            error=errors.get("period", ""), required=True))
    fields.append(FormField("value", "Value", sent.get("value", ""), "e.g. 5.4, 5.4%, 1,234 or 23 of 410",
                            error=errors.get("value", ""), required=True))
    return FormReply(FORM_ID, "Submit a value", tuple(fields), "Submit")



def _who(ask: Ask, recorded_by: str | None) -> str:
    """The person behind a recorded value, by name when the people list has them."""
    person = ask.lookup.store.person(recorded_by) if recorded_by else None
    return person.name if person else (recorded_by or "an import")

def owed_returns(ask: Ask) -> list[Return]:
    """The returns the asker owes as owner or delegate, soonest deadline first (the list “what's due
    from me” gives)."""
    if ask.person is None:
        return []
    owners = owners_for(ask.lookup.store, ask.person.email)
    return [r for r in ask.lookup.outstanding(ask.council, ask.today) if r.owner_email in owners]


def _chosen_return(owed: list[Return], indicator: str | None, period: str | None) -> str:
    """The select's value for the return asked about: the first owed return of that indicator (and
    period), "other" for an indicator not owed, else the soonest return owed."""
    if indicator is None:
        return f"{owed[0].indicator_code}{SEPARATOR}{owed[0].period}"
    matching = [r for r in owed if r.indicator_code == indicator and period in (None, r.period)]
    return f"{matching[0].indicator_code}{SEPARATOR}{matching[0].period}" if matching else OTHER


def form_text(values: dict) -> str:
    """The sentence a submitted form stands for."""
    code, _, owed_period = str(values.get("return") or "").partition(SEPARATOR)
    indicator = code if owed_period else values.get("indicator", "")
    period = values.get("period") or owed_period
    return f"submit {values.get('value', '')} for {indicator} {period}".strip()


def form_problems(ask: Ask, values: dict[str, str]) -> dict[str, str]:
    """What is wrong with a submitted Submit value form, by field name (empty when it can be taken);
    checks only, nothing is recorded."""
    return _read_form(ask, values)[1]


def from_form(ask: Ask, channel: str, values: dict[str, str]) -> tuple[Draft, Pending | None]:
    """A submitted Submit value form: the form again with the errors beside their fields, or the
    submission carried on as if typed (recorded, or asking to confirm, for a reason or commentary)."""
    read, errors = _read_form(ask, values)
    if read is None:
        draft = Draft(facts={"intent": "submit", "recorded": False, "refused": True, "form_errors": errors})
        draft.say("Nothing was recorded: correct what is marked in the form and submit it again.")
        draft.form = submit_form(ask, sent={k: str(v) for k, v in values.items()}, errors=errors)
        return draft, None
    code, period, submission = read
    query = ask.query.but(intent=q.SUBMIT, indicator=code, submission=submission, when=When(period),
                          why="submit: the Submit value form")
    return start(replace(ask, query=query), channel, form_text(values))


def _read_form(ask: Ask, values: dict[str, str]) -> tuple[tuple[str, Period, Submission] | None, dict[str, str]]:
    """The indicator, period and value a form gives, or the errors by field name."""
    errors: dict[str, str] = {}
    chosen = str(values.get("return") or "").strip()
    code, _, owed_period = chosen.partition(SEPARATOR)
    if owed_period:
        if not any(r.indicator_code == code and r.period == owed_period for r in owed_returns(ask)):
            errors["return"] = ("That return is no longer one you owe (it may have been submitted meanwhile): "
                                "choose another, or “Another indicator”.")
    else:
        named = str(values.get("indicator") or "").strip()
        code = ask.query.indicator if named else None
        if not named:
            errors["indicator"] = "Say which indicator the value is for, e.g. NEET" + (
                ", or choose one of your returns." if chosen else ".")
        elif code is None:
            errors["indicator"] = (f"I don't know an indicator called “{named[:80]}”: give its name as the "
                                   "indicator list has it, e.g. NEET or Household waste recycled.")
    info = ask.lookup.indicator(code) if code and not errors else None
    if info is not None and not may_submit(ask.person, info["owner_email"], ask.lookup.store.delegators(ask.person.email)):
        errors["return" if owed_period else "indicator"] = _not_yours(info)
    period = _form_period(ask, info, str(values.get("period") or "").strip(), owed_period, errors)
    submission = _form_value(info, str(values.get("value") or "").strip(), errors)
    if errors:
        return None, {name: problem.replace("*", "") for name, problem in errors.items()}
    return (code, period, submission), errors


def _form_period(ask: Ask, info, typed: str, owed_period: str, errors: dict[str, str]) -> Period | None:
    """The period typed (or, left empty, the chosen return's), with any problem put in `errors`."""
    if not typed and not owed_period:
        errors["period"] = "Say which period the value is for, e.g. “October 2026”."
        return None
    period = read_when(normalise(typed), ask.today)[0].period if typed else parse_period(owed_period)
    if period is None:
        errors["period"] = (f"I can't read “{typed[:40]}” as a period: write it like “October 2026”, "
                            "“Q2 2026/27” or “2025/26”.")
        return None
    if owed_period and period.label != owed_period:
        owed = _when(owed_period)
        errors["period"] = (f"The return you chose is for {owed}, not {_when(period.label)}: "
                            f"put {owed}, or choose “Another indicator” to give a value for another period.")
        return None
    problem = _period_problem(info, period, ask.today) if info is not None else None
    if problem:
        errors["period"] = problem
        return None
    return period


def _form_value(info, typed: str, errors: dict[str, str]) -> Submission | None:
    """The number typed as the value, with any problem put in `errors`."""
    found = read_submission(normalise(typed)) if typed else None
    if not typed:
        errors["value"] = "Enter the value, e.g. 5.4."
    elif found is None or found.value is None or found.text != normalise(typed):
        errors["value"] = f"I can't read “{typed[:40]}” as a number: write it like 5.4, 5.4%, 1,234 or 23 of 410."
    elif info is not None and (problem := _fits_unit(found.value, info["unit"], info["polarity"])):
        errors["value"] = problem
    else:
        return found
    return None


def start(ask: Ask, channel: str, text: str) -> tuple[Draft, Pending | None]:
    """A new submission from a message: check it, then record it or ask what is missing."""
    draft = Draft(facts={"intent": "submit"})
    query = ask.query
    code = query.indicator
    value = query.submission.value if query.submission else None
    if code is None:
        return _which_return(ask, draft, value)
    info = ask.lookup.indicator(code)
    asked = query.when.period
    draft.facts.update(indicator=code, value=value, recorded=False, refused=False, period=asked.label if asked else None,
                       geographies=[ask.council])  # returns are the council's own figures
    if not may_submit(ask.person, info["owner_email"], ask.lookup.store.delegators(ask.person.email) if ask.person else []):
        draft.facts["refused"] = True
        return draft.say(_not_yours(info) + " Nothing was recorded."), None
    period, problem = _period(ask, code, info)
    draft.facts["period"] = period.label if period else None
    if problem:
        draft.facts["refused"] = True
        return draft.say(problem + " Nothing was recorded."), None
    if value is None:
        draft.facts["refused"] = True
        return draft.say(f"I couldn't find the value. Say it as a number, e.g. “{info['name'].split('(')[0].strip()} "
                         f"for {_when(period.label)} is 5.4”."), None
    problem = _fits_unit(value, info["unit"], info["polarity"])
    if problem:
        draft.facts["refused"] = True
        return draft.say(problem + " Nothing was recorded."), None
    pending = Pending("confirm", code, period.label, value, text)
    doubt = _implausible(ask, code, value)
    if doubt:
        draft.facts["confirm"] = True
        draft.say(f"{doubt} Record *{value:g}{'%' if info['unit'] == '%' else ''}* for *{info['name']}*, {_when(period.label)}?")
        draft.choices = [("Confirm", "confirm"), ("Change", "change")]
        return draft, pending
    return _reason_or_record(ask, channel, draft, pending)


def carry_on(ask: Ask, channel: str, pending: Pending, text: str) -> tuple[Draft, Pending | None] | None:
    """The next step of a waiting submission, or None when `text` is a fresh question instead
    (a new submission, or a short question about an indicator)."""
    if not isinstance(pending, Pending):  # another step (a return file's reason) answers for itself
        return None
    fresh = ask.query
    number = bare_number(text) if pending.step == "value" else None
    if number is not None:  # the right value, after "Change": for the return that was being changed
        return start(replace(ask, query=ask.query.but(
            intent=q.SUBMIT, indicator=pending.indicator, submission=Submission(text.strip(), number),
            when=When(parse_period(pending.period)), why="submit: the value asked for after “Change”")), channel, text)
    draft = Draft()
    code, info = pending.indicator, ask.lookup.indicator(pending.indicator)
    draft.facts.update(intent="submit", indicator=code, period=pending.period, value=pending.value, recorded=False,
                       geographies=[ask.council])
    if pending.step == "reason":
        return _reason_reply(ask, channel, draft, pending, text)
    if pending.correcting and check_reason(text, fresh).kind == "retraction":
        return _cancelled(ask, draft, pending), None
    if fresh.intent == q.SUBMIT or text.strip().endswith("?") or (
            fresh.indicator and fresh.intent != q.UNKNOWN and len(text.split()) <= 8):
        return None
    if pending.step == "confirm":
        if YES.match(text):
            return _reason_or_record(ask, channel, draft, pending)
        if NO.match(text):
            said = draft.say(f"OK — nothing recorded. Send the right value for *{info['name']}*, {_when(pending.period)}.")
            return said, (None if CANCEL.match(text) else replace(pending, step="value", value=None))
        return None
    if pending.step == "commentary":
        if SKIP.match(text):
            draft.facts["intent"] = "commentary"
            return draft.say("OK — no commentary for now. The performance team may ask for it before the report."), None
        draft.facts["intent"] = "commentary"
        try:
            submissions.add_commentary(ask.lookup.store, pending.observation_id, text.strip()[:2000],
                                       ask.person.email, channel)
        except ValueError as error:
            return draft.say(f"I couldn't record that: {error}."), None
        draft.facts.update(commentary=text.strip()[:2000])
        return draft.say(f"Thank you — your commentary is recorded with *{info['name']}*, {_when(pending.period)}."), None
    return None


def persons_last(ask: Ask) -> LastSubmission | None:
    """The asker's last submission within the undo window in any conversation (a reloaded page is a
    new one), unless they have undone something since."""
    found = submissions.last_submission(ask.lookup.store, ask.person.email, ask.lookup.store.clock() - UNDO_WINDOW)
    return LastSubmission(*found) if found else None


def _reason_reply(ask: Ask, channel: str, draft: Draft, pending: Pending,
                  text: str) -> tuple[Draft, Pending | None] | None:
    """The reply to "Why change it?": recorded with it as the reason only when it reads as one; a
    retraction cancels, a bare word asks again, a question or new request is answered afresh (None)."""
    if NO.match(text) and len(text.split()) <= 2:
        return draft.say(f"OK — the correction was not recorded: {_stays(ask, pending)}."), None
    kind = check_reason(text, ask.query).kind
    if kind == "reason":
        return _record(ask, channel, draft, replace(pending, reason=text.strip()))
    if kind == "retraction":
        return _cancelled(ask, draft, pending), None
    if kind == "unclear":
        draft.facts["needs_reason"] = True
        return draft.say(f"I need a short reason for changing *{ask.indicator_name(pending.indicator)}*, "
                         f"{_when(pending.period)} to {ask.show(pending.indicator, pending.value)} — e.g. “the provider "
                         "resubmitted the figures” — or “cancel” to leave it as it is."), pending
    return None


def _cancelled(ask: Ask, draft: Draft, pending: Pending) -> Draft:
    """A correction called off by a retraction ("sorry wrong month"): nothing changed, and how to resend."""
    draft.facts["cancelled"] = True
    return draft.say(f"OK — I have cancelled that correction, nothing was changed: {_stays(ask, pending)}. "
                     f"Send the value again with the right period, e.g. “{_example(ask, pending.indicator)}”.")


def dropped(ask: Ask, pending: Pending) -> str | None:
    """The line saying a correction waiting for a reason or confirmation was not made, when the next
    message was a question or a new request instead; None for other waiting steps."""
    if not isinstance(pending, Pending) or (pending.step != "reason" and not pending.correcting):
        return None
    return f"_That correction was not made, nothing was changed: {_stays(ask, pending)}._"


def _stays(ask: Ask, pending: Pending) -> str:
    """"*NEET*, December 2025 stays at 5.2%" — the value the correction would have replaced."""
    values = ask.lookup.values(pending.indicator, [ask.council])
    held = values[(values["period"] == pending.period) & values["value"].notna()] if not values.empty else values
    where = f"*{ask.indicator_name(pending.indicator)}*, {_when(pending.period)}"
    return f"{where} stays at {ask.show(pending.indicator, held.iloc[0]['value'])}" if not held.empty else f"{where} has no value"


def _example(ask: Ask, code: str) -> str:
    """An example submission of the indicator for its latest ended period."""
    info = ask.lookup.indicator(code)
    latest = containing(ask.today, KIND_OF.get(info["frequency"] or "monthly", MONTH)).previous()
    name = info['name'].split('(')[0].strip()
    return f"{name if len(name) <= 30 else code} for {_when(latest.label)} is 5.4"


def undo_last(ask: Ask, channel: str, last: LastSubmission | None) -> Draft:
    """Withdraw `last` (the asker's last submission in this conversation, else their last anywhere),
    within the undo window."""
    last = last or persons_last(ask)
    draft = Draft()
    draft.facts.update(intent="undo")
    if last is None or ask.lookup.store.clock() - last.at > UNDO_WINDOW:
        return draft.say("There is nothing of yours to undo here (undo works for 30 minutes after a submission).")
    try:
        restored = submissions.undo(ask.lookup.store, last.observation_id, ask.person.email, channel)
    except ValueError as error:
        return draft.say(f"I can't undo that: {error}.")
    sweep_now(ask.lookup.store)
    name = ask.indicator_name(last.indicator)
    draft.facts.update(indicator=last.indicator, period=last.period, undone=True)
    if restored is None:
        return draft.say(f"Undone: *{name}*, {_when(last.period)} has no value again.")
    return draft.say(f"Undone: *{name}*, {_when(last.period)} is back to {ask.show(last.indicator, restored)}.")


def _reason_or_record(ask: Ask, channel: str, draft: Draft, pending: Pending) -> tuple[Draft, Pending | None]:
    """Ask why, when the value corrects one already recorded; otherwise record it."""
    existing = ask.lookup.values(pending.indicator, [ask.council])
    existing = existing[(existing["period"] == pending.period) & existing["value"].notna()]
    if not existing.empty and pending.reason is None:
        old = existing.iloc[0]
        if abs(float(old["value"]) - float(pending.value)) < 1e-9:
            return draft.say(f"{ask.show(pending.indicator, pending.value)} is already recorded for "
                             f"*{ask.indicator_name(pending.indicator)}*, {_when(pending.period)} — nothing to change."), None
        latest = containing(ask.today, parse_period(pending.period).kind).previous()
        if parse_period(pending.period) < latest and not pending.correcting:
            draft.say(f"That would change *{_when(pending.period)}*, not the latest period ({_when(latest.label)}): "
                      f"*{ask.indicator_name(pending.indicator)}*, {_when(pending.period)} has "
                      f"{ask.show(pending.indicator, old['value'])} (recorded by {_who(ask, old['recorded_by'])}). "
                      f"Is {_when(pending.period)} the period you mean to correct?")
            draft.choices = [(f"Yes, correct {_when(pending.period)}", "yes"), ("Cancel", "cancel")]
            draft.facts.update(confirm=True, older_period=True)
            return draft, replace(pending, step="confirm", correcting=True)
        draft.say(f"*{ask.indicator_name(pending.indicator)}*, {_when(pending.period)} already has "
                  f"{ask.show(pending.indicator, old['value'])} (recorded by {_who(ask, old['recorded_by'])}). "
                  f"Why change it to {ask.show(pending.indicator, pending.value)}? Reply with a short reason, or “cancel”.")
        draft.facts["needs_reason"] = True
        return draft, replace(pending, step="reason")
    return _record(ask, channel, draft, pending)


def _record(ask: Ask, channel: str, draft: Draft, pending: Pending) -> tuple[Draft, Pending | None]:
    """Write the value, then report its status and ask for commentary when amber or red."""
    period = parse_period(pending.period)
    recorded = submissions.record_value(ask.lookup.store, pending.indicator, ask.council, period, pending.value,
                                        ask.person.email, channel, f"{submissions.SUBMITTED}{ask.person.name}", pending.reason)
    ask.lookup.refresh()
    draft.facts.update(recorded=True, refused=False, observation_id=recorded.observation_id)
    sweep_now(ask.lookup.store)  # alerts go out at once when the value changed a status
    draft.submitted = LastSubmission(recorded.observation_id, ask.lookup.store.clock(), pending.indicator, pending.period)
    row = ask.lookup.values(pending.indicator, [ask.council])
    row = row[row["period"] == pending.period].iloc[0]
    name = ask.indicator_name(pending.indicator)
    verb = "Corrected" if recorded.replaced else "Recorded"
    draft.say(f"{verb}: *{name}*, {_when(pending.period)} = *{ask.show(pending.indicator, pending.value)}*"
              + (f" (was {ask.show(pending.indicator, recorded.previous_value)})" if recorded.replaced else "") + ".")
    draft.facts["status"] = row["rag"]
    if row["rag"]:
        draft.say(f"That is {rag_text(row['rag'])} against the {row['financial_year']} target of "
                  f"{ask.show(pending.indicator, row['target']) if row['target'] == row['target'] else 'the range'}.")
    else:
        draft.say("It has no target, so no RAG status.")
    draft.say("Say “undo” within 30 minutes if that was a mistake.")
    if row["rag"] in ("amber", "red"):
        draft.say(f"As it is {row['rag']}, please reply with a short commentary for the performance report "
                  "(what is happening and what is being done), or “skip”.")
        draft.facts["commentary_requested"] = True
        return draft, Pending("commentary", pending.indicator, pending.period, pending.value,
                              observation_id=recorded.observation_id)
    return draft, None


def _period(ask: Ask, code: str, info) -> tuple[Period | None, str | None]:
    """The period the value is for, checked against the indicator's frequency and today."""
    frequency = info["frequency"] or "monthly"
    asked = ask.query.when.period
    if asked is None:
        owed = [r for r in ask.lookup.outstanding(ask.council, ask.today) if r.indicator_code == code]
        if len(owed) == 1:
            return parse_period(owed[0].period), None
        return None, (f"Which period is it for? *{info['name']}* is reported {frequency}: say e.g. "
                      f"“{EXAMPLE.get(frequency, 'Q2 2026/27')}”.")
    problem = _period_problem(info, asked, ask.today)
    return (None, problem) if problem else (asked, None)


def _period_problem(info, asked: Period, today: date) -> str | None:
    """Why `asked` can't have a value of the indicator (not one of its periods, not ended), or None."""
    frequency = info["frequency"] or "monthly"
    if asked.kind != KIND_OF.get(frequency, MONTH):
        return (f"*{info['name']}* is reported {frequency}, so {_when(asked.label)} is not one of "
                f"its periods: say e.g. “{EXAMPLE.get(frequency, 'Q2 2026/27')}”.")
    if asked.end >= today:
        return f"{_when(asked.label)} has not ended yet, so it can't have a value; submit once it has."
    return None


def _when(label: str | None) -> str:
    """A period label as people write it ("October 2026", "Q2 2026/27")."""
    return period_text(label, months=False)


def _not_yours(info) -> str:
    """Why the asker may not submit for the indicator, and who may."""
    return (f"You can't submit values for *{info['name']}*: only its owner ({info['owner_email'] or 'none recorded'}), "
            "their delegates or the performance team can.")


def _fits_unit(value: float, unit: str, polarity: str) -> str | None:
    """Why the number cannot be a value of this unit, or None when it can."""
    if unit == "%" and polarity != "in_range" and not 0 <= value <= 100:
        return f"{value:g} is not a percentage between 0 and 100."
    if unit == "count" and (value < 0 or value != int(value)):
        return f"{value:g} is not a count: counts are whole numbers of 0 or more."
    if polarity != "in_range" and unit != "%" and value < 0:
        return f"{value:g} is negative, which this indicator cannot be."
    return None


def _implausible(ask: Ask, code: str, value: float) -> str | None:
    """Why the value looks unlike the indicator's history (a units slip, a jump), or None."""
    history = ask.lookup.values(code, [ask.council])
    series = history[history["value"].notna()]["value"].to_numpy(dtype=float)
    if len(series) < 3:
        return None
    last = series[-1]
    largest = float(np.max(np.abs(np.diff(series[-25:]))))
    usual = max(3 * largest, abs(last) * 0.1, 1e-9)
    if abs(value - last) <= usual:
        return None
    for factor in (100, 10, 0.1, 0.01, 1000, 0.001):
        if abs(value * factor - last) <= usual:
            return (f"That looks like a units slip: the last value was {ask.show(code, last)}, and "
                    f"{value:g} is far from it (did you mean {ask.show(code, value * factor)}?).")
    return (f"That is a big change: the last value was {ask.show(code, last)}, and it has never moved by more "
            f"than {ask.show(code, largest)} from one period to the next.")


def _which_return(ask: Ask, draft: Draft, value: float | None) -> tuple[Draft, Pending | None]:
    """A bare number: it answers the asker's only outstanding return, or we ask which one."""
    if ask.person is None:
        return draft.say("I don't know who you are, so I can't take a value from you."), None
    owed = owed_returns(ask)
    draft.facts.update(value=value, recorded=False)
    if not owed:
        return draft.say("Which indicator and period is that for? For example: “NEET for October 2026 is 5.4%”."), None
    shown = "" if value is None else f"{value:g} "
    draft.say(f"Which return is {shown}for?")
    draft.choices = [(f"{ask.indicator_name(r.indicator_code)}, {_when(r.period)}",
                      f"submit {shown}for {r.indicator_code} {r.period}") for r in owed[:5]]
    return draft, None


def answering_a_reminder(ask: Ask, text: str, value: float) -> q.Query:
    """A bare number as a submission: for the asker's only outstanding return, else still to be placed."""
    owed = owed_returns(ask)
    submission = Submission(text.strip(), value)
    if len(owed) == 1:
        return ask.query.but(intent=q.SUBMIT, indicator=owed[0].indicator_code, submission=submission,
                             when=When(parse_period(owed[0].period)), why="submit: a number answering the one return owed")
    return ask.query.but(intent=q.SUBMIT, indicator=None, submission=submission, why="submit: a bare number")


def value_in(text: str, today: date) -> float | None:
    """The value a message states once its period is taken out ("submit value for NEET 2026-10" has none)."""
    found = read_submission(read_when(normalise(text), today)[1])
    return found.value if found else None


def bare_number(text: str) -> float | None:
    """The value when a message is just a number ("5.4", "5.4%", "23 of 410"), else None."""
    if not re.fullmatch(r"\s*(?:it'?s\s+|it\s+is\s+)?[-£\d.,%\sofutk/]+\s*", text.lower()) or not re.search(r"\d", text):
        return None
    found = read_submission(text.lower().strip())
    return found.value if found else None
