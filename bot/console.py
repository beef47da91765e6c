"""The console channel: `perfbot ask` (one answer, or a JSON-lines script of questions) and
`perfbot chat` (an interactive conversation with line editing and a history kept in the user's
state folder, showing the person's notifications from their perfbot inbox as they arrive). *Bold*
and _italics_ show as terminal bold and italics on a terminal, plainly elsewhere or with NO_COLOR.
Charts are saved as PNG files, never in the current folder unless told. On the web demo's store,
with no --today, both follow the demo's clock, so the console and the page agree on the date."""
from __future__ import annotations

import json
import uuid
import os
import re
import sys
from datetime import date, datetime
from pathlib import Path
from typing import IO, Callable

from bot.core.bot import Bot
from bot.core.messages import (CardReply, ChartReply, ChoicesReply, FileReply, FormReply, Message, TextReply,
                               UnsupportedReply)
from bot.web.clock import label
from bot.web.markup import spans
from data_access.demo_clock import demo_clock
from data_access.store import Store
from schedules.channels import InboxItem, inbox_messages
from schedules.working_time import LONDON

# Terminal escapes for the core's *bold* and _italics_: (start, end).
STYLES = {"strong": ("\033[1m", "\033[22m"), "em": ("\033[3m", "\033[23m")}
HISTORY_LENGTH = 1000
SHOWN_AT_START = 5  # notifications shown when a chat starts (the newest)
NOTIFICATIONS = ("notifications", "my notifications", "inbox")


def _bot(store: Store, today: str | None) -> Bot:
    """The bot answering as of `today`, else as of the web demo's clock when the store has one (its
    time is then the store's too), else the real date."""
    if today:
        fixed = date.fromisoformat(today)
        return Bot(store, today=lambda: fixed)
    return Bot(store, today=_undated(store))


def _undated(store: Store) -> Callable[[], date]:
    """Today's date for a question given none: the web demo's clock when the store has one (its
    time is then the store's too), else the real date."""
    follow = demo_clock(store.engine)
    if follow is not None:
        store.clock = follow
        return lambda: follow().astimezone(LONDON).date()
    return lambda: store.clock().date()


class DatedBot:
    """One bot answering every line of `ask --jsonl`, each as of its own `today`: a bot per date
    would be kept for the life of the process (thousands of dates, hundreds of megabytes)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.bot = Bot(store, today=self._today)
        self._day: date | None = None
        self._undated: Callable[[], date] | None = None

    def _today(self) -> date:
        if self._day is not None:
            return self._day
        if self._undated is None:
            self._undated = _undated(self.store)
        return self._undated()

    def on(self, today: str | None) -> Bot:
        """The bot, answering as of `today` (None: as a question with no date is answered)."""
        self._day = date.fromisoformat(today) if today else None
        return self.bot


def _save_charts(answer_replies: list, directory: Path | None, stem: str) -> list[str]:
    """Write each chart reply as a PNG, and each file (the report deck) under its name, in
    `directory`; returns the paths written, in reply order."""
    saved = [r for r in answer_replies if isinstance(r, (ChartReply, FileReply))]
    if directory is None or not saved:
        return []
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for number, reply in enumerate(saved):
        path = directory / (f"{stem}-{number + 1}.png" if isinstance(reply, ChartReply) else Path(reply.filename).name)
        path.write_bytes(reply.png if isinstance(reply, ChartReply) else reply.content)
        paths.append(str(path))
    return paths


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "chart"


def ask_one(store: Store, question: str, email: str | None, today: str | None, as_json: bool,
            save_charts: Path | None, out: IO[str]) -> int:
    """Answer one question and print it (as text, or as the JSON answer)."""
    bot = _bot(store, today)
    person = bot.person_by_email(email) if email else None
    if email and person is None:
        print(f"Nobody with the e-mail {email} is in the people table; answering as an unknown user.", file=sys.stderr)
    answer = bot.answer(Message(question, person, "cli", channel="console"), render_charts=save_charts is not None)
    facts = dict(answer.facts, charts_saved=_save_charts(answer.replies, save_charts, _slug(question)))
    if as_json:
        out.write(json.dumps(facts, ensure_ascii=False) + "\n")
    else:
        out.write(render_text(answer.replies, facts["charts_saved"], styler(out)) + "\n")
    return 0


def ask_lines(store: Store, lines: IO[str], default_today: str | None, save_charts: Path | None, out: IO[str]) -> int:
    """Answer one JSON object per input line (`question`, `as`, optional `today`, `conversation`: lines
    with the same conversation are one conversation, a line without one stands alone);
    a line that cannot be answered gets a one-line error naming the line, and the rest go on."""
    dated = DatedBot(store)
    run = uuid.uuid4().hex[:12]  # a line without a conversation is one of its own, in this run only
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            question, email, today, conversation = _read_line(line, default_today)
        except ValueError as error:
            out.write(json.dumps({"line": number, "error": str(error)}) + "\n")
            out.flush()
            continue
        bot = dated.on(today)
        person = bot.person_by_email(email) if email else None
        thread = f"jsonl:{conversation}" if conversation else f"jsonl-line:{run}:{number}"
        answer = bot.answer(Message(question, person, thread, channel="console"),
                            render_charts=save_charts is not None)
        facts = dict(answer.facts, question=question, charts_saved=_save_charts(answer.replies, save_charts, f"{number}-{_slug(question)}"))
        out.write(json.dumps(facts, ensure_ascii=False) + "\n")
        out.flush()
    return 0


def _read_line(line: str, default_today: str | None) -> tuple[str, str | None, str | None, str]:
    """The question, asker, day and conversation of one JSON line; ValueError says what is wrong."""
    try:
        item = json.loads(line)
    except ValueError as error:
        raise ValueError(f"not JSON ({error}); write one object per line, e.g. {{\"question\": \"…\"}}") from None
    if not isinstance(item, dict) or not isinstance(item.get("question"), str):
        raise ValueError("expected a JSON object with a 'question' string")
    fields = {name: item.get(name) for name in ("question", "as", "today", "conversation")}
    for name, value in fields.items():
        if value is not None and not isinstance(value, str):
            raise ValueError(f"'{name}' must be a string, not {type(value).__name__}")
        if isinstance(value, str) and _has_lone_surrogate(value):
            raise ValueError(f"'{name}' holds a lone surrogate (\\ud800–\\udfff), which is not text; fix the encoding")
    today = fields["today"] or default_today
    if today:
        try:
            date.fromisoformat(today)
        except ValueError:
            raise ValueError(f"'today' must be a date written YYYY-MM-DD, not {today!r}") from None
    return fields["question"], fields["as"], today, fields["conversation"] or ""


def _has_lone_surrogate(text: str) -> bool:
    """True when `text` cannot be written as UTF-8 (JSON's \\ud83d without its pair)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _form_lines(form: FormReply) -> list[str]:
    """The form as what to type ("submit VALUE for INDICATOR October 2026"), then a select's options
    as a list (the returns owed, in words)."""
    named = " ".join(f.value or f.name.upper() for f in form.fields if f.name != "value" and not f.options)
    options = [f"  • {o.label}" for f in form.fields for o in f.options if o.fills]
    return [f"{form.title} — type it as one line, e.g.: submit VALUE for {named}",
            *(["  Yours to submit:", *options] if options else [])]


def styler(out: IO[str]) -> Callable[[str], str]:
    """How text is marked up for `out`: terminal bold and italics on a terminal (unless NO_COLOR is
    set or TERM is dumb), else plain text with the * and _ markers taken out."""
    on_terminal = out.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"
    return styled if on_terminal else plain


def plain(text: str) -> str:
    """Markdown-light as plain text: '*Claimant count rate*' → 'Claimant count rate'."""
    return _marked(text, {})


def styled(text: str) -> str:
    """Markdown-light with terminal bold and italics."""
    return _marked(text, STYLES)


def _marked(text: str, styles: dict[str, tuple[str, str]]) -> str:
    """Each line's runs of text, a marked run between its style's start and end (none: plain text)."""
    def run(span: dict[str, str]) -> str:
        start, end = styles.get(span.get("style", ""), ("", ""))
        return f"{start}{span['text']}{end}"
    return "\n".join("".join(run(span) for span in spans(line)) for line in text.split("\n"))


def render_text(replies: list, chart_paths: list[str], style: Callable[[str], str] = plain, first: int = 1) -> str:
    """Replies as terminal text marked up by `style`: buttons (a question's, a card's) as a list
    numbered from `first`, charts as the path they were saved to."""
    lines: list[str] = []
    charts = iter(chart_paths)
    number = first
    for reply in replies:
        if isinstance(reply, TextReply):
            lines.append(style(reply.text))
        elif isinstance(reply, (ChoicesReply, CardReply)):
            lines.extend([style(f"*{reply.title}*"), *(style(line) for line in reply.lines)]
                         if isinstance(reply, CardReply) else [style(reply.prompt)])
            buttons = reply.actions if isinstance(reply, CardReply) else reply.choices
            lines.extend(f"  [{number + i}] {choice.label}" for i, choice in enumerate(buttons))
            number += len(buttons)
        elif isinstance(reply, FormReply):
            lines.extend(_form_lines(reply))
        elif isinstance(reply, ChartReply):
            path = next(charts, None)
            lines.append(f"[chart: {reply.title} — saved to {path}]" if path else f"[chart: {reply.alt_text}]")
        elif isinstance(reply, FileReply):
            path = next(charts, None)
            lines.append(f"[file: {reply.description} — saved to {path}]" if path else
                         f"[file: {reply.description} — ask with --save-charts DIR to save it]")
        else:
            raise UnsupportedReply(type(reply).__name__)
    return "\n".join(lines)


def user_folder(variable: str, fallback: str) -> Path:
    """perfbot's folder in an XDG base directory (e.g. XDG_STATE_HOME, else ~/.local/state)."""
    return Path(os.environ.get(variable) or Path.home() / fallback) / "perfbot"


def chart_folder(save_charts: str | None) -> Path:
    """Where `perfbot chat` saves charts: --save-charts DIR, else the user's cache folder
    (XDG_CACHE_HOME/perfbot/charts, ~/.cache/perfbot/charts) — never the current folder."""
    return Path(save_charts) if save_charts else user_folder("XDG_CACHE_HOME", ".cache") / "charts"


class Prompt:
    """Reads what the person types: with line editing and a history file (readline) on a terminal,
    line by line from anything else."""

    def __init__(self, stdin: IO[str], out: IO[str], history: Path):
        self.stdin, self.out, self.history = stdin, out, history
        self.readline = None
        if stdin.isatty() and out.isatty():
            import readline  # only on a terminal: it takes over the standard streams
            self.readline = readline
            readline.set_history_length(HISTORY_LENGTH)
            if history.exists():
                readline.read_history_file(history)

    def line(self, prompt: str) -> str | None:
        """The next line typed, or None at the end of input (Ctrl-D)."""
        if self.readline is None:
            self.out.write(prompt)
            self.out.flush()
            return self.stdin.readline() or None
        try:
            typed = input(prompt)
        except EOFError:
            self.out.write("\n")
            return None
        self.history.parent.mkdir(parents=True, exist_ok=True)
        self.readline.write_history_file(self.history)
        return typed


def _buttons(replies: list) -> list:
    """The buttons of replies, in the order render_text numbers them."""
    return [c for r in replies if isinstance(r, (ChoicesReply, CardReply))
            for c in (r.actions if isinstance(r, CardReply) else r.choices)]


class Notifications:
    """A person's perfbot inbox as the console shows it: the newest at the start, then each new one
    as it arrives (delivered by the scheduler of `perfbot demo`, `serve` or `scheduler`)."""

    def __init__(self, store: Store, email: str, chart_dir: Path, style: Callable[[str], str]) -> None:
        self.store, self.email, self.chart_dir, self.style = store, email, chart_dir, style
        self.seen = 0

    def newest(self, count: int) -> tuple[list[InboxItem], int]:
        """The newest `count` messages and how many came before them; all are then seen."""
        items: list[InboxItem] = []
        while batch := inbox_messages(self.store, self.email, items[-1].id if items else 0, 500):
            items += batch
        self.seen = max((item.id for item in items), default=self.seen)
        return items[-count:], max(0, len(items) - count)

    def new(self) -> list[InboxItem]:
        """Messages delivered since the last look."""
        items = inbox_messages(self.store, self.email, self.seen)
        self.seen = max((item.id for item in items), default=self.seen)
        return items

    def text(self, items: list[InboxItem], first: int) -> str:
        """The messages as terminal text, their buttons numbered from `first`, their charts saved."""
        parts = []
        for item in items:
            saved = _save_charts(item.replies, self.chart_dir, f"{item.kind.lower()}-{item.id}")
            parts.append(f"\u2500\u2500 {item.kind} \u00b7 {label(item.delivered_at)} \u2500\u2500\n"
                         + render_text(item.replies, saved, self.style, first))
            first += len(_buttons(item.replies))
        return "\n".join(parts)


def chat(store: Store, email: str | None, today: str | None, chart_dir: Path, stdin: IO[str], out: IO[str]) -> int:
    """An interactive conversation on the console with the person's notifications; a number picks
    a button; 'notifications' shows the newest again; 'quit' ends."""
    bot = _bot(store, today)
    person = bot.person_by_email(email) if email else None
    who = person.name if person else "an unknown user"
    style = styler(out)
    prompt = Prompt(stdin, out, user_folder("XDG_STATE_HOME", ".local/state") / "chat_history")
    out.write(f"perfbot — talking as {who}. Type 'help' for ideas, 'quit' to leave. Charts are saved in {chart_dir}.\n")
    if not today and demo_clock(store.engine) is not None:
        out.write(f"Following the web demo's clock on this database: {label(store.clock())} (London).\n")
    inbox = Notifications(store, person.email, chart_dir, style) if person else None
    choices: list = []
    if inbox is not None:
        shown, earlier = inbox.newest(SHOWN_AT_START)
        out.write(_inbox_heading(len(shown), earlier))
        if shown:
            out.write(inbox.text(shown, 1) + "\n")
            choices = [c for item in shown for c in _buttons(item.replies)]
    session = datetime.now().strftime("%Y%m%d-%H%M%S")
    turn = 0
    while True:
        line = prompt.line("> ")
        if line is None or line.strip().lower() in ("quit", "exit", "bye"):
            out.write("Bye.\n")
            return 0
        text = line.strip()
        if inbox is not None and text.lower() in NOTIFICATIONS:
            shown, earlier = inbox.newest(SHOWN_AT_START)
            out.write(_inbox_heading(len(shown), earlier) + (inbox.text(shown, 1) + "\n" if shown else ""))
            choices = [c for item in shown for c in _buttons(item.replies)]
            continue
        action = None
        if text.isdigit() and 0 < int(text) <= len(choices):
            action = {"choice": choices[int(text) - 1].value}
        turn += 1
        replies = bot.handle(Message(text, person, "console", channel="console", action=action))
        choices = _buttons(replies)
        out.write(render_text(replies, _save_charts(replies, chart_dir, f"chat-{session}-{turn}"), style) + "\n")
        arrived = inbox.new() if inbox is not None else []
        if arrived:
            out.write(inbox.text(arrived, len(choices) + 1) + "\n")
            choices += [c for item in arrived for c in _buttons(item.replies)]


def _inbox_heading(shown: int, earlier: int) -> str:
    """'Your notifications (the newest 5 of 12; type 'notifications' to see them again):' and the like."""
    if not shown:
        return "No notifications in your perfbot inbox yet.\n"
    which = f"the newest {shown} of {shown + earlier}" if earlier else f"{shown}"
    return f"Your notifications ({which}; type 'notifications' to see them again):\n"
