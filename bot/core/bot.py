"""The channel-neutral bot: `handle(message) -> replies`. It understands the text (intents/),
answers from the store (bot/core/answers), attaches charts when they help, remembers the
conversation for follow-ups, and answers the channels' questions about people. It imports no
Slack or Teams package."""
from __future__ import annotations

import json
import logging
import os
import re
import time
from dataclasses import replace
from datetime import date
from functools import partial
from threading import Lock
from typing import Any, Callable

import pandas as pd
from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError

from bot.core import charting, commentary, people, return_template, returnfiles, submitting
from bot.core.answers import changes, conversation, dictionary, rank, reminders, report, status, subscriptions, trend, values
from bot.core.answers.cannot import answer_cannot
from bot.core.answers.common import Ask, Draft
from bot.core.context import Memory, Turn, follow_up, offered_still
from bot.core.lookup import Lookup
from bot.core.public import PublicLookup
from bot.core.messages import Answer, ChartReply, Choice, ChoicesReply, Message, Person, Reply, TextReply
from bot.metrics import AnswerMetrics
from data_access.audit import record_change
from data_access.catalogue import breakdown_pairs, indicators_at, places_with_observations
from data_access.models import ConversationReference
from data_access.models import Person as PersonRow
from data_access.store import Store
from intents import query as q
from intents.acting_for import cannot_do
from intents.parser import Lexicon, parse

log = logging.getLogger(__name__)
UNDO = re.compile(r"^\s*(?:undo|undo (?:that|it|my last (?:submission|value))|take (?:that|it) back)\s*[.!]?\s*$", re.I)
FORM_REQUEST = re.compile(r"^\s*submit(?:\s+a)?\s+values?\b", re.I)
MAX_REPLY = 3500
NOT_RECORDED = ("Sorry, I couldn't reach perfbot's database just now, so nothing was recorded. "
                "Please send it again in a few minutes.")
RECORDING_INTENTS = frozenset({q.SUBMIT, q.SNOOZE, q.ACTION, q.REPORT_COMMENT, q.UNAVAILABLE, q.COMMENTARY})
CHANNEL_IDS = {"slack": "slack_user_id", "teams": "teams_user_id"}
REFERENCE_RESAVE_SECONDS = 600  # an unchanged conversation reference is written again at most this often
PUBLIC_INTENTS = frozenset({q.VALUE, q.COMPARE, q.TREND, q.RANK, q.DEFINITION, q.SEARCH, q.HELP, q.CLARIFY,
                            q.UNKNOWN, q.PROFILE, q.THANKS})
ANSWERS: dict[str, Callable[[Ask], Draft]] = {
    q.VALUE: values.answer_value, q.COMPARE: values.answer_compare, q.TREND: trend.answer_trend,
    q.RANK: rank.answer_rank, q.STATUS: status.answer_status, q.PROFILE: status.answer_profile,
    q.OWNER: dictionary.answer_owner, q.TARGET: dictionary.answer_target,
    q.DEFINITION: dictionary.answer_definition, q.SEARCH: dictionary.answer_search,
    q.DUE: conversation.answer_due, q.HELP: conversation.answer_help, q.THANKS: conversation.answer_thanks, q.CLARIFY: conversation.answer_clarify,
    q.UNKNOWN: conversation.answer_unknown, q.SUBSCRIBE: subscriptions.answer_subscribe,
    q.UNSUBSCRIBE: subscriptions.answer_unsubscribe, q.SUBSCRIPTIONS: subscriptions.answer_subscriptions,
    q.ALERT_RULE: subscriptions.answer_alert_rule,
    q.REPORT: report.answer_report, q.REPORT_OUTSTANDING: report.answer_outstanding,
    q.CHANGES: changes.answer_changes,
}


LOOSE_SUBMISSION = ("a figure set beside", "a figure with its unit")


def _a_question_after_all(ask: Ask) -> bool:
    """True when only a number at the end made the message read as a submission ("care home admissions
    65+ 2025/26") and the asker may not submit that indicator: it is a question about it."""
    query = ask.query
    if not query.indicator or not any(cue in query.why for cue in LOOSE_SUBMISSION):
        return False
    owner = ask.lookup.indicator(query.indicator)["owner_email"]
    delegators = ask.lookup.store.delegators(ask.person.email) if ask.person else []
    return not people.may_submit(ask.person, owner, delegators)


class Bot:
    """The core: answers messages from any channel against one store."""

    def __init__(self, store: Store, today: Callable[[], date] | None = None, council: str | None = None):
        self.store = store
        self.today = today or (lambda: store.clock().date())
        self.council = council_of(store, council)
        self.lookup = Lookup(store)
        self.memory = Memory(store)
        self.metrics = AnswerMetrics()
        self.lexicon = Lexicon.build(store.indicators, store.places, self.council, store.comparator_groups(),
                                     _breakdown_pairs(store), _places_with_figures(store),
                                     {person.name: person.email for person in store.people()})
        self.public = _public_indicators(store)
        _warm_up(self.lexicon)
        self.public_lookup = PublicLookup.beside(self.lookup, self.public)
        self._people_lock = Lock()
        self._people_names: tuple[tuple[int, int, int], list[tuple[str, str]]] | None = None
        self._people_by_id: tuple[tuple[int, int], dict[tuple[str, str], Person]] | None = None
        self._references_saved: dict[tuple[str, str], tuple[str, float]] = {}

    # --- answering --------------------------------------------------------------------------
    def handle(self, message: Message) -> list[Reply]:
        """Answer one message with the replies to show (charts rendered)."""
        return self.answer(message).replies

    def answer(self, message: Message, render_charts: bool = True) -> Answer:
        """Answer one message: the replies and the facts behind them (see README, `perfbot ask --json`).
        When the store cannot be reached, a message that would have recorded something (a value, a
        reason, a snooze, an action, an undo) is answered that nothing was recorded and to send it
        again; for anything else the error goes up to the channel, which apologises."""
        try:
            return self._answer(message, render_charts)
        except SQLAlchemyError:
            if not self._would_record(message):
                raise
            log.exception("the store could not be reached: nothing recorded for a change sent on %s", message.channel)
            return Answer([TextReply(NOT_RECORDED)], {"intent": "submit", "recorded": None, "refused": True,
                                                      "answer": NOT_RECORDED})

    def _would_record(self, message: Message) -> bool:
        """True when `message` would change what is stored (read from its words alone: the store is down)."""
        text = _message_text(message)
        if _form_values(message) is not None or UNDO.match(text) or submitting.bare_number(text) is not None:
            return True
        return message.person is not None and parse(text, self.lexicon, self.today()).intent in RECORDING_INTENTS

    def _answer(self, message: Message, render_charts: bool) -> Answer:
        started = time.perf_counter()
        text = _message_text(message)
        self.lookup.refresh()
        key = (message.channel, message.conversation, message.person.email if message.person else "-")
        before = self.memory.last(key)
        fresh = parse(text, self.lexicon, self.today())
        form = _form_values(message)
        reread = partial(parse, lexicon=self.lexicon, today=self.today())
        query = fresh if form is not None else follow_up(text, fresh, before, reread, self.lexicon.places.name_of)
        lookup = self.lookup if message.person is not None else self.public_lookup  # published values only
        ask = Ask(query, message.person, lookup, self.council, self.today())
        draft, pending = self._converse(ask, text, message.channel, before, form, message.files)
        submitted = draft.submitted or (before.submitted if before else None)
        talked_of = query  # after the one return listed, that return's measure: "when was it due?"
        if query.intent == q.DUE and not query.indicator and draft.facts.get("indicator"):
            talked_of = query.but(indicator=draft.facts["indicator"])
        turn = Turn(talked_of, draft.facts.get("period"), pending, submitted, (draft.facts.get("ranked") or [None])[0],
                    tuple(draft.facts.get("red") or ()), offered_still(query, before))
        named_elsewhere = bool(query.indicator and query.unknown_places)  # "gigabit in Telford": then "ok, ours"
        if query.intent == q.UNKNOWN and pending is None and before is not None and before.pending is None \
                and not named_elsewhere:
            turn = Turn(before.query, before.period, None, submitted, offered=before.offered)  # a refusal keeps the talk
        self.memory.remember(key, turn)
        answer = self._finish(query, draft, render_charts)
        self.metrics.observe(message.channel, str(answer.facts.get("intent")), time.perf_counter() - started)
        return answer

    def _converse(self, ask: Ask, text: str, channel: str, before: Turn | None,
                  form: dict[str, str] | None, attached: tuple = ()) -> tuple[Draft, object]:
        """Continue a waiting submission, or answer afresh; returns the draft and what now waits."""
        outcome = _return_file(ask, text, channel, before, attached)
        if outcome is not None:
            return outcome
        if ask.person is not None:
            if form is not None:
                return submitting.from_form(ask, channel, form)
            if UNDO.match(text):  # before a waiting step: "undo" is never a reason or a commentary
                return submitting.undo_last(ask, channel, before.submitted if before else None), None
            if before is not None and before.pending is not None:
                outcome = submitting.carry_on(ask, channel, before.pending, text)
                if outcome is not None:
                    return outcome
                note = submitting.dropped(ask, before.pending)
                if note:  # a question or new request instead: answered, saying the correction was not made
                    draft, pending = self._afresh(ask, text, channel)
                    draft.lines.insert(0, note)
                    return draft, pending
            return self._afresh(ask, text, channel)
        return self._draft(ask), None

    def _afresh(self, ask: Ask, text: str, channel: str) -> tuple[Draft, object]:
        """Answer a known person's message that continues nothing: a submission, a request or a question."""
        cannot = cannot_do(text, self._known_people(), ask.person.email)
        if cannot is not None:  # acting for someone else, or changing what only files set: said, never answered in its place
            return answer_cannot(ask, cannot), None
        if FORM_REQUEST.match(text) and submitting.value_in(text, ask.today) is None:
            period = ask.query.when.period
            return Draft(lines=["Fill in the value:"], form=submitting.submit_form(
                ask, ask.query.indicator, period.label if period else None), facts={"intent": "submit"}), None
        number = submitting.bare_number(text)
        if number is not None:
            return submitting.start(replace(ask, query=submitting.answering_a_reminder(ask, text, number)), channel, text)
        if ask.query.intent == q.SUBMIT and _a_question_after_all(ask):
            draft = self._draft(replace(ask, query=ask.query.but(intent=q.VALUE, submission=None)))
            draft.facts.setdefault("intent", q.VALUE)
            return draft, None
        if ask.query.intent == q.SUBMIT:
            return submitting.start(ask, channel, text)
        if ask.query.intent == q.SNOOZE:
            return reminders.answer_snooze(ask, text), None
        if ask.query.intent in (q.ACTION, q.REPORT_COMMENT):
            answer = report.answer_action if ask.query.intent == q.ACTION else report.answer_comment
            return answer(ask, text), None
        if ask.query.intent == q.UNAVAILABLE:
            return reminders.answer_unavailable(ask, text), None
        if ask.query.intent == q.COMMENTARY:
            draft, pending = commentary.request_commentary(ask)
            if pending is not None and ask.query.comment:  # "comment on CLA: …": recorded at once
                plain = replace(ask, query=q.Query(q.UNKNOWN))
                return submitting.carry_on(plain, channel, pending, ask.query.comment)
            return draft, pending
        return self._draft(ask), None

    def _draft(self, ask: Ask) -> Draft:
        query = ask.query
        if ask.lookup.store.indicators.empty and query.intent != q.HELP:
            return Draft(lines=[EMPTY_STORE], facts={"refused": True})
        if ask.person is None and (query.intent not in PUBLIC_INTENTS or (query.indicator and query.indicator not in self.public)):
            return Draft(lines=["I don't recognise you, so I can only answer questions about published indicators "
                                "(values, comparisons, trends and rankings). Ask your performance team to add you "
                                "to perfbot's people list for the rest."], facts={"refused": True})
        if query.intent in q.NEEDS_INDICATOR and query.indicator is None:
            return conversation.answer_needs_indicator(ask)
        if query.when.finer and query.indicator and query.intent in (q.VALUE, q.COMPARE, q.TREND, q.RANK):
            return conversation.answer_finer(ask)
        return ANSWERS[query.intent](ask)

    def _finish(self, query: q.Query, draft: Draft, render_charts: bool) -> Answer:
        wants_chart = draft.chart is not None and _chart_helps(query, draft)
        chart = _drawn(draft.chart, query) if wants_chart and render_charts else None
        if wants_chart and render_charts and chart is None:  # the answer stands without it, saying so
            wants_chart = False
            draft.lines.append(CHART_LEFT_OUT)
        text = "\n".join(draft.lines)
        replies: list[Reply] = [TextReply(part) for part in split_text(text)]
        if draft.choices:
            replies.append(ChoicesReply("Choose one:", tuple(Choice(label, value) for label, value in draft.choices)))
        if draft.form is not None:
            replies.append(draft.form)
        replies.extend(draft.files)
        if chart is not None:
            replies.append(chart)
        facts = {"intent": query.intent, "indicator": query.indicator,
                 "geographies": [], "period": None, "values": [], "status": None, "ranked": [], "red": [],
                 "owner": None, "target": None, "choices": [], "chart": wants_chart, "recorded": None,
                 "refused": None, **draft.facts, "answer": text, "why": query.why}
        facts["chart"] = wants_chart
        facts["understood"] = _by_role(query.understood)
        facts["not_understood"] = list(query.unmatched) + list(query.unknown_places) + list(query.missing_breakdown)
        return Answer(replies, _plain(facts))

    def check_form(self, message: Message) -> dict[str, str]:
        """What is wrong with a submitted Submit value form, by field name (empty when it can be
        taken); nothing is recorded or remembered, so a channel may ask before closing the form."""
        values = _form_values(message)
        if values is None or message.person is None:
            return {}
        self.lookup.refresh()
        ask = Ask(parse(_message_text(message), self.lexicon, self.today()), message.person, self.lookup,
                  self.council, self.today())
        return submitting.form_problems(ask, values)

    # --- the channels' questions about people ------------------------------------------------
    def person_by_channel_id(self, channel: str, user_id: str) -> Person | None:
        """The person whose Slack or Teams id is `user_id`."""
        if channel not in CHANNEL_IDS or not user_id:
            return None
        return self._people_by_channel_id().get((channel, user_id))

    def _people_by_channel_id(self) -> dict[tuple[str, str], Person]:
        """Everyone with a Slack or Teams id, by (channel, id): read once per data version (every
        change to people, by import or by linking an id, is audited, so the version moves)."""
        version = self.lookup.version()
        with self._people_lock:
            if self._people_by_id is None or self._people_by_id[0] != version:
                everyone = [people.from_row(row) for row in self.store.people()]
                self._people_by_id = (version, {(channel, getattr(person, field)): person for person in everyone
                                                for channel, field in CHANNEL_IDS.items() if getattr(person, field)})
            return self._people_by_id[1]

    def _known_people(self) -> list[tuple[str, str]]:
        """Everyone's (e-mail, name), read once per data version."""
        version = self.lookup.version()
        with self._people_lock:
            if self._people_names is None or self._people_names[0] != version:
                self._people_names = (version, [(row.email, row.name) for row in self.store.people()])
            return self._people_names[1]

    def person_by_email(self, email: str) -> Person | None:
        """The person with this e-mail address."""
        row = self.store.person(email) if email else None
        return people.from_row(row) if row else None

    def link_channel_id(self, channel: str, email: str, user_id: str) -> bool:
        """Remember a person's Slack/Teams id (audited); True when it is now theirs. A different id
        already stored is never replaced: the conflict is refused and audited for the performance
        team to resolve (clear the old id with an import of people), and False is returned."""
        column = CHANNEL_IDS[channel]
        with self.store.sessions.begin() as session:
            row = session.get(PersonRow, email.lower())
            if row is None:
                return False
            old = getattr(row, column)
            if old == user_id:
                return True
            if old:
                record_change(session, self.store.clock(), f"{channel}:{user_id}", "link refused", "person", row.email,
                              old, user_id, f"{row.email} already has {channel} id {old}; a person's id is never "
                              "replaced silently — the performance team must clear the old one first")
                return False
            session.execute(update(PersonRow).where(PersonRow.email == row.email).values({column: user_id}))
            record_change(session, self.store.clock(), f"{channel}:{user_id}", "link", "person", row.email, old, user_id)
            return True

    def save_conversation_reference(self, channel: str, key: str, reference: dict[str, Any]) -> None:
        """Store how to reach a person or chat channel proactively (an upsert: safe when two first
        messages from the same person arrive at once). A reference this process saved unchanged in
        the last REFERENCE_RESAVE_SECONDS is not written again: most messages change nothing."""
        body = json.dumps(reference, sort_keys=True)
        saved = self._references_saved.get((channel, key))
        if saved is not None and saved[0] == body and time.monotonic() - saved[1] < REFERENCE_RESAVE_SECONDS:
            return
        with self.store.sessions.begin() as session:
            dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
            statement = dialect.insert(ConversationReference).values(
                channel=channel, key=key, reference=body, updated_at=self.store.clock())
            session.execute(statement.on_conflict_do_update(
                index_elements=["channel", "key"], set_={"reference": body, "updated_at": self.store.clock()},
                where=ConversationReference.reference != body))
        self._references_saved[(channel, key)] = (body, time.monotonic())

    def conversation_reference(self, channel: str, key: str) -> dict[str, Any] | None:
        """The stored reference for `key`, or None."""
        with self.store.sessions() as session:
            row = session.get(ConversationReference, (channel, key))
            return json.loads(row.reference) if row else None


def _return_file(ask: Ask, text: str, channel: str, before: Turn | None, attached: tuple) -> tuple[Draft, object] | None:
    """A return's spreadsheet dropped in, its Confirm or Cancel, the steps after it (a reason, commentary,
    "undo"), or the request for the return template; None for anything else (bot/core/returnfiles.py)."""
    if attached:
        return returnfiles.answer_file(ask, channel, attached[0]), None
    if return_template.REQUEST.search(text):
        return return_template.answer_template(ask), None
    if ask.person is None:
        return None
    found = returnfiles.CONFIRM.match(text) or returnfiles.CANCEL.match(text)
    if found:
        draft, pending = (returnfiles.answer_confirm(ask, channel, found.group(1)) if returnfiles.CONFIRM.match(text)
                          else (returnfiles.answer_cancel(ask, found.group(1)), None))
        if pending is None and not draft.facts.get("recorded") and before is not None:
            pending = before.pending  # a second click changes nothing, not even what waits for a reply
        return draft, pending
    if UNDO.match(text) and before is not None and isinstance(before.submitted, returnfiles.FileSubmission):
        return returnfiles.undo(ask, channel, before.submitted), None
    if before is not None and before.pending is not None:
        return returnfiles.carry_on(ask, channel, before.pending, text)
    return None


def _message_text(message: Message) -> str:
    """The text to understand: typed, a clicked button's value, or a submitted form as a sentence."""
    if message.action and "choice" in message.action:
        return str(message.action["choice"])
    if message.action and message.action.get("form") == submitting.FORM_ID:
        return submitting.form_text(message.action.get("values") or {})
    return message.text or ""


def _form_values(message: Message) -> dict[str, str] | None:
    """The values of a submitted Submit value form, or None when the message is not one."""
    if not message.action or message.action.get("form") != submitting.FORM_ID:
        return None
    return {str(name): str(value) for name, value in (message.action.get("values") or {}).items()}


def _drawn(build: Callable[[], Any], query: q.Query) -> ChartReply | None:
    """The chart for an answer, or None (logged with its traceback) when it cannot be drawn."""
    try:
        data = build()
        chart, narrow = charting.render(data), charting.render_narrow(data)
    except Exception:  # noqa: BLE001 — a chart is an extra: its failure is logged and said, the answer still goes
        log.exception("chart left out of the answer (%s, %s)", query.intent, query.indicator)
        return None
    return ChartReply(chart.png, chart.alt_text, chart.title, narrow.png if narrow else None)


def _chart_helps(query: q.Query, draft: Draft) -> bool:
    """Trends always; comparisons and rankings when asked or when there are more than a few numbers;
    the scorecard for a status overview."""
    if query.intent == q.TREND or query.chart:
        return True
    if query.intent == q.STATUS:
        return query.rag is None
    return len(draft.facts.get("values") or []) > 4


def split_text(text: str, limit: int = MAX_REPLY) -> list[str]:
    """Split a long answer at line breaks into messages of at most `limit` characters."""
    parts, current = [], ""
    for line in text.split("\n"):
        while len(line) > limit:
            parts.append(line[:limit])
            line = line[limit:]
        if current and len(current) + 1 + len(line) > limit:
            parts.append(current)
            current = line
        else:
            current = f"{current}\n{line}" if current else line
    if current:
        parts.append(current)
    return parts or [""]


def _by_role(understood: tuple[tuple[str, str], ...]) -> dict[str, list[str]]:
    """The phrases the parse used, grouped by role (indicator, place, period, breakdown, intent, service)."""
    roles: dict[str, list[str]] = {}
    for role, phrase in understood:
        roles.setdefault(role, []).append(phrase)
    return roles


def _plain(value: Any) -> Any:
    """Facts as JSON-ready values (numpy and pandas scalars made plain, NaN as None)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and value != value:
        return None
    return value


CHART_LEFT_OUT = "_The chart could not be drawn, so it is left out; the figures above stand._"
EMPTY_STORE = ("This perfbot holds no indicators yet, so I can't answer. Load the sample council with "
               "`perfbot demo` (or `perfbot chat`), or your own files with `perfbot import PATH`.")


def council_of(store: Store, named: str | None = None) -> str:
    """The council's own area: `named` or PERFBOT_COUNCIL (a GSS code or a name), else the local
    authority the targets are set for, else the one most people's wards are in; '' when none."""
    wanted = named or os.environ.get("PERFBOT_COUNCIL", "").strip()
    places = store.places
    if wanted:
        if wanted.upper() in places.index:
            return wanted.upper()
        by_name = places[(places["name"].str.lower() == wanted.lower()) & places["level"].isin(["local_authority", "county"])]
        if by_name.empty:
            raise ValueError(f"PERFBOT_COUNCIL names {wanted!r}, which is no council in the store: give its GSS code "
                             "(e.g. E08000031) or its name as the ONS lookup spells it")
        return str(by_name.index[0])
    targets = store.council_code()
    if targets:
        return targets
    wards = [row.ward_code for row in store.people() if row.ward_code]
    councils = places["la_code"].reindex(wards).dropna()
    return str(councils.value_counts().index[0]) if not councils.empty else ""


WARM_UP = ("how is the claimant rate doing in the council vs England this year?", "rank the wards on it",
           "is it going up since 2023?", "which indicators are red in my service?", "what does NEET mean?")


def _warm_up(lexicon: Lexicon) -> None:
    """Read a few questions of each kind before the first real one: the understanding compiles
    its patterns and shorthand table on first use, which would otherwise fall on the first asker.
    (Any date does: what is read is thrown away, and a channel's own date may not be set yet.)"""
    for question in WARM_UP:
        parse(question, lexicon, date.today())


def _breakdown_pairs(store: Store) -> pd.DataFrame:
    """The (indicator_code, breakdown) pairs the store's current observations have, breakdowns only."""
    return pd.DataFrame(breakdown_pairs(store.engine), columns=["indicator_code", "breakdown"])


def _places_with_figures(store: Store) -> frozenset[str]:
    """The places the store's current observations are about (wards of other councils among them)."""
    return frozenset(places_with_observations(store.engine))


def _public_indicators(store: Store) -> set[str]:
    """Indicators published by national statistics: the dictionary lists regional or national figures
    for them, the store holds some, or no one in the council owns them (imported published series)."""
    levels = store.indicators["geography_levels"].fillna("")
    owned = store.indicators["owner_email"].fillna("") != ""
    listed = set(store.indicators.index[levels.str.contains("region") | levels.str.contains("country") | ~owned])
    places = store.places
    above_councils = places.index[places["level"].isin(["region", "country"])].tolist()
    return listed | indicators_at(store.engine, above_councils, sorted(set(store.indicators.index) - listed))
