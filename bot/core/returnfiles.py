"""A KPI owner drops the return's spreadsheet into the chat: perfbot answers with a preview — per
indicator and period the value to add or the correction (old → new), its RAG after, what it could
not read and what is not theirs to submit — with Confirm and Cancel. Nothing is recorded before
Confirm; a preview lasts 30 minutes. Confirm records every value in one transaction as the person's
submission from the named file, asks a reason first when the file corrects recorded values, runs
the alert sweep and asks commentary for each amber or red value, as a message submission does;
"undo" then undoes the whole file. Channels attach the file to the core `Message` (`files`) and
show the buttons; everything else is here and in data_access.return_files."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from bot.core.alerting import sweep_now
from bot.core.answers.common import Ask, Draft
from bot.core.format import rag_text
from bot.core.messages import Upload
from bot.core.people import may_submit
from bot.core.submitting import SKIP, UNDO_WINDOW, _fits_unit, _implausible, _period_problem, _when
from data_access import return_files as files
from data_access import submissions
from data_access.periods import parse_period
from data_access.status import rag
from schedules.working_time import LONDON

CONFIRM = re.compile(r"^\s*confirm return file ([\w-]+)\s*$", re.I)
CANCEL = re.compile(r"^\s*cancel return file ([\w-]+)\s*$", re.I)
SHOWN = 25  # lines of each list in a preview before "… and N more"


@dataclass(frozen=True)
class FileReason:
    """A confirmed file waiting for the reason its corrections need."""

    token: str


@dataclass(frozen=True)
class FileCommentary:
    """Values a confirmed file recorded amber or red, waiting for commentary one by one."""

    observation_ids: tuple[int, ...]
    indicators: tuple[str, ...]
    periods: tuple[str, ...]


@dataclass(frozen=True)
class FileSubmission:
    """The file a person confirmed last in a conversation, for "undo"."""

    token: str
    at: datetime


def answer_file(ask: Ask, channel: str, upload: Upload) -> Draft:
    """Read an attached return and show what confirming it would record (nothing is recorded)."""
    draft = Draft(facts={"intent": "return file", "recorded": False, "file": upload.name})
    if ask.person is None:
        draft.facts["refused"] = True
        return draft.say("I don't know who you are, so I can't take a return from you. Ask your performance team "
                         "to add you to perfbot's people list.")
    try:
        files.check_upload(upload.name, upload.size)
        if upload.content is None:
            raise files.FileRefused(f"{upload.name} could not be fetched from the chat service; send it again.")
        found = files.read_values(ask.lookup.store, upload.content, upload.name)
    except files.FileRefused as refusal:
        draft.facts["refused"] = True
        return draft.say(str(refusal) if "Nothing was recorded" in str(refusal) else f"{refusal} Nothing was recorded.")
    delegators = ask.lookup.store.delegators(ask.person.email)
    taken, refused, problems = [], {}, []
    for entry in found.entries:
        info = ask.lookup.indicator(entry.indicator)
        if not may_submit(ask.person, info["owner_email"], delegators):
            refused.setdefault(info["name"], _who(ask, info["owner_email"]))
        elif entry.place != ask.council:
            problems.append(f"{info['name']}, {_when(entry.period)}: a value for {_place(ask, entry.place)} — by chat "
                            f"you submit the council's own figure ({_place(ask, ask.council)})")
        elif problem := (_period_problem(info, parse_period(entry.period), ask.today)
                         or _fits_unit(entry.value, info["unit"], info["polarity"])):
            problems.append(f"{info['name']}, {_when(entry.period)}: {problem.replace('*', '')}")
        else:
            taken.append(entry)
    if found.breakdowns:
        problems.append(f"{_count(found.breakdowns, 'value')} for a breakdown (an age group, a sex…): by chat you "
                        "submit the overall figure; the performance team imports breakdowns")
    problems += [f"“{code}” is no indicator perfbot knows: name it as the indicator list does (the return "
                 "template has the codes)" for code in found.unknown]
    token = files.keep_preview(ask.lookup.store, ask.person.email, channel, upload.name, taken) if taken else None
    draft.facts.update(preview=token, taken=[_fact(e) for e in taken], refused_indicators=sorted(refused),
                       problems=problems, refused=not taken)
    draft.say(f"*{upload.name}* — {_count(len(taken), 'value')} you can submit. Nothing is recorded until you confirm.")
    _list(draft, "To add:", [_line(ask, e) for e in taken if not e.correction])
    _list(draft, "To correct (old → new):", [_line(ask, e) for e in taken if e.correction])
    _list(draft, "Refused — not yours to submit (only the owner, their delegates or the performance team can):",
          [f"{name} (owner {owner})" for name, owner in sorted(refused.items())])
    _list(draft, "Could not take:", problems)
    quiet = [f"{_count(found.unchanged, 'value')} already recorded as they are"] if found.unchanged else []
    quiet += [f"{_count(found.blank, 'value cell')} left empty"] if found.blank else []
    if quiet:
        draft.say("Left alone: " + "; ".join(quiet) + ".")
    if token is None:
        return draft.say("So there is nothing to confirm: nothing was recorded.")
    if refused or problems:
        draft.say("Confirm records the values listed to add or correct; the others are not recorded.")
    if any(e.correction for e in taken):
        draft.say("Corrections need a reason: when you confirm I'll ask for one.")
    expires = (ask.lookup.store.clock() + files.LIFETIME).astimezone(LONDON)
    draft.say(f"This preview lasts 30 minutes (until {expires:%H:%M}).")
    draft.choices = [("Confirm", f"confirm return file {token}"), ("Cancel", f"cancel return file {token}")]
    return draft


def answer_confirm(ask: Ask, channel: str, token: str, reason: str | None = None) -> tuple[Draft, object]:
    """Record a previewed file's values (once), or say why not; asks a reason for corrections first."""
    draft = Draft(facts={"intent": "return file", "recorded": False, "preview": token})
    store = ask.lookup.store
    kept = files.preview(store, token)
    if kept is None or ask.person is None or kept.person != ask.person.email:
        return draft.say("I have no preview of a file of yours with that button: send the file again."), None
    if kept.state != "previewed" or kept.expired(store.clock()):
        return draft.say(_not_waiting(kept, store.clock())), None
    if reason:
        files.give_reason(store, token, reason)
    elif any(e.correction for e in kept.entries) and not kept.reason:
        draft.facts["needs_reason"] = True
        return draft.say(f"*{kept.filename}* corrects {_count(sum(e.correction for e in kept.entries), 'recorded value')}: "
                         "why? Reply with a short reason (it is kept with each correction), or “cancel”."), FileReason(token)
    ids = files.confirm(store, token, ask.person.email, ask.person.name, channel)
    if ids is None:
        return draft.say(_not_waiting(files.preview(store, token), store.clock())), None
    ask.lookup.refresh()
    sweep_now(store)  # alerts go out at once, as for a value sent by message
    draft.facts.update(recorded=True, observation_ids=ids, refused=False)
    draft.submitted = FileSubmission(token, store.clock())
    draft.say(f"Recorded from *{kept.filename}*, as submitted by {ask.person.name}:")
    due = []
    for entry, observation in zip(kept.entries, ids):
        status = _status(ask, entry)
        draft.say(f"• {_line(ask, entry, status)}")
        if status in ("amber", "red"):
            due.append((observation, entry.indicator, entry.period))
    draft.say("Your reminders for these returns stop. Say “undo” within 30 minutes to undo the whole file.")
    return _ask_commentary(ask, draft, due)


def answer_cancel(ask: Ask, token: str) -> Draft:
    """Cancel a previewed file: nothing is recorded."""
    draft = Draft(facts={"intent": "return file", "recorded": False, "preview": token})
    kept = files.preview(ask.lookup.store, token)
    if kept is None or ask.person is None or kept.person != ask.person.email:
        return draft.say("I have no preview of a file of yours with that button.")
    if files.cancel(ask.lookup.store, token, ask.person.email):
        return draft.say(f"Cancelled: nothing from *{kept.filename}* was recorded.")
    return draft.say(_not_waiting(kept, ask.lookup.store.clock()))


def carry_on(ask: Ask, channel: str, pending: object, text: str) -> tuple[Draft, object] | None:
    """The next step after a file was confirmed: its corrections' reason, or commentary on a red value;
    None for a question instead (the file's preview still waits for Confirm)."""
    if isinstance(pending, (FileReason, FileCommentary)) and text.strip().endswith("?"):
        return None
    if isinstance(pending, FileReason):
        if re.fullmatch(r"\s*(?:cancel|no|stop)\W*", text, re.I):
            return answer_cancel(ask, pending.token), None
        return answer_confirm(ask, channel, pending.token, text.strip())
    if isinstance(pending, FileCommentary):
        draft = Draft(facts={"intent": "commentary"})
        name = ask.indicator_name(pending.indicators[0])
        if SKIP.match(text):
            draft.say(f"OK — no commentary for *{name}* for now.")
        else:
            try:
                submissions.add_commentary(ask.lookup.store, pending.observation_ids[0], text.strip()[:2000],
                                     ask.person.email, channel)
            except ValueError as error:
                draft.say(f"I couldn't record that: {error}.")
            else:
                draft.say(f"Thank you — your commentary is recorded with *{name}*, {_when(pending.periods[0])}.")
        rest = list(zip(pending.observation_ids, pending.indicators, pending.periods))[1:]
        return _ask_commentary(ask, draft, rest)
    return None


def undo(ask: Ask, channel: str, last: FileSubmission) -> Draft:
    """Undo every value of the file the person confirmed last, within the undo window."""
    draft = Draft(facts={"intent": "undo"})
    store = ask.lookup.store
    if store.clock() - last.at > UNDO_WINDOW:
        return draft.say("There is nothing of yours to undo here (undo works for 30 minutes after a submission).")
    try:
        restored = files.undo_file(store, last.token, ask.person.email, channel)
    except ValueError as error:
        return draft.say(f"I can't undo that file: {error}.")
    ask.lookup.refresh()
    sweep_now(store)
    draft.facts.update(undone=True, values=len(restored))
    draft.say(f"Undone: the {_count(len(restored), 'value')} from that file.")
    for entry, value in restored:
        back = "has no value again" if value is None else f"is back to {ask.show(entry.indicator, value)}"
        draft.say(f"• {ask.indicator_name(entry.indicator)}, {_when(entry.period)} {back}")
    return draft


def _ask_commentary(ask: Ask, draft: Draft, due: list[tuple[int, str, str]]) -> tuple[Draft, object]:
    """Ask commentary for the first amber or red value still without it."""
    if not due:
        return draft, None
    observation, code, period = due[0]
    draft.facts["commentary_requested"] = True
    draft.say(f"As *{ask.indicator_name(code)}*, {_when(period)} is {rag_text(_current_rag(ask, code, period))}, "
              "please reply with a short commentary for the performance report (what is happening and what is "
              "being done), or “skip”.")
    return draft, FileCommentary(*(tuple(column) for column in zip(*due)))


def _current_rag(ask: Ask, code: str, period: str) -> str | None:
    rows = ask.lookup.values(code, [ask.council])
    rows = rows[rows["period"] == period]
    return rows.iloc[0]["rag"] if not rows.empty else None


def _status(ask: Ask, entry: files.Entry) -> str | None:
    """The RAG the value would have against its financial year's target."""
    info = ask.lookup.indicator(entry.indicator)
    target = ask.lookup.target(entry.indicator, entry.place, parse_period(entry.period).financial_year.label)
    if target is None:
        return None
    def number(name: str) -> float | None:
        value = target.get(name)
        return None if value is None or value != value else float(value)
    return rag(entry.value, info["polarity"], number("target"), number("target_low"), number("target_high"),
               number("amber_tolerance") or 0.0)


def _line(ask: Ask, entry: files.Entry, status: str | None = "?") -> str:
    """'NEET, November 2026: 6.1% → 🔴 red' (a correction shows old → new), with any doubt about it."""
    status = _status(ask, entry) if status == "?" else status
    value = ask.show(entry.indicator, entry.value)
    change = f"{ask.show(entry.indicator, entry.old)} → {value}" if entry.correction else value
    doubt = _implausible(ask, entry.indicator, entry.value)
    return (f"{ask.indicator_name(entry.indicator)}, {_when(entry.period)}: {change} — "
            f"{rag_text(status) if status else 'no target, so no RAG'}" + (f" ⚠️ {doubt}" if doubt else ""))


def _list(draft: Draft, title: str, lines: list[str]) -> None:
    if lines:
        draft.say(title)
        draft.lines.extend(f"• {line}" for line in lines[:SHOWN])
        if len(lines) > SHOWN:
            draft.say(f"• … and {len(lines) - SHOWN} more")


def _not_waiting(kept: files.Preview | None, now: datetime) -> str:
    """Why a preview can no longer be confirmed."""
    if kept is None:
        return "I have no preview with that button: send the file again."
    if kept.state == "confirmed" or kept.state == "undone":
        return (f"*{kept.filename}* was already recorded ({_count(len(kept.entries), 'value')}"
                f"{', since undone' if kept.state == 'undone' else ''}): nothing was recorded twice.")
    if kept.state == "cancelled":
        return f"*{kept.filename}* was cancelled, so nothing from it was recorded: send the file again to submit it."
    return (f"This preview of *{kept.filename}* expired at {files.as_utc(kept.expires_at).astimezone(LONDON):%H:%M} (a preview lasts "
            "30 minutes), so nothing was recorded: send the file again to see what it would record now.")


def _who(ask: Ask, email: str | None) -> str:
    """An owner by name (their e-mail when the people list lacks them)."""
    person = ask.lookup.store.person(email) if email else None
    return person.name if person else (email or "none recorded")


def _place(ask: Ask, code: str) -> str:
    places = ask.lookup.store.places
    return str(places.loc[code, "name"]) if code in places.index else code


def _count(n: int, what: str) -> str:
    return f"{n} {what}{'' if n == 1 else 's'}"


def _fact(entry: files.Entry) -> dict:
    return {"indicator": entry.indicator, "period": entry.period, "value": entry.value, "old": entry.old}
