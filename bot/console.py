"""The console channel: `perfbot ask` (one answer, or a JSON-lines script of questions) and
`perfbot chat` (an interactive conversation). Charts are saved as PNG files when asked."""
from __future__ import annotations

import json
import re
import sys
from datetime import date
from pathlib import Path
from typing import IO

from bot.core.bot import Bot
from bot.core.messages import ChartReply, ChoicesReply, FileReply, FormReply, Message, TextReply, UnsupportedReply
from data_access.store import Store


def _bot(store: Store, today: str | None) -> Bot:
    fixed = date.fromisoformat(today) if today else None
    return Bot(store, today=(lambda: fixed) if fixed else None)


def _save_charts(answer_replies: list, directory: Path | None, stem: str) -> list[str]:
    """Write each chart reply as a PNG, and each file (the report deck) under its name, in
    `directory`; returns the paths written, in reply order."""
    if directory is None:
        return []
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for number, reply in enumerate(r for r in answer_replies if isinstance(r, (ChartReply, FileReply))):
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
        out.write(render_text(answer.replies, facts["charts_saved"]) + "\n")
    return 0


def ask_lines(store: Store, lines: IO[str], default_today: str | None, save_charts: Path | None, out: IO[str]) -> int:
    """Answer one JSON object per input line (`question`, `as`, optional `today`, `conversation`);
    a line that cannot be answered gets a one-line error naming the line, and the rest go on."""
    bots: dict[str, Bot] = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            question, email, today, conversation = _read_line(line, default_today)
        except ValueError as error:
            out.write(json.dumps({"line": number, "error": str(error)}) + "\n")
            out.flush()
            continue
        bot = bots.setdefault(str(today), _bot(store, today))
        person = bot.person_by_email(email) if email else None
        answer = bot.answer(Message(question, person, f"jsonl:{conversation}", channel="console"),
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


def render_text(replies: list, chart_paths: list[str]) -> str:
    """Replies as terminal text: buttons as a numbered list, charts as the path they were saved to."""
    lines: list[str] = []
    charts = iter(chart_paths)
    for reply in replies:
        if isinstance(reply, TextReply):
            lines.append(reply.text)
        elif isinstance(reply, ChoicesReply):
            lines.append(reply.prompt)
            lines.extend(f"  [{i}] {choice.label}" for i, choice in enumerate(reply.choices, start=1))
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


def chat(store: Store, email: str | None, today: str | None, chart_dir: Path, stdin: IO[str], out: IO[str]) -> int:
    """An interactive conversation on the console; a number picks a button; 'quit' ends."""
    bot = _bot(store, today)
    person = bot.person_by_email(email) if email else None
    who = person.name if person else "an unknown user"
    out.write(f"perfbot — talking as {who}. Type 'help' for ideas, 'quit' to leave.\n")
    choices: list = []
    turn = 0
    while True:
        out.write("> ")
        out.flush()
        line = stdin.readline()
        if not line or line.strip().lower() in ("quit", "exit", "bye"):
            out.write("Bye.\n")
            return 0
        text = line.strip()
        action = None
        if text.isdigit() and 0 < int(text) <= len(choices):
            action = {"choice": choices[int(text) - 1].value}
        turn += 1
        replies = bot.handle(Message(text, person, "console", channel="console", action=action))
        choices = [c for r in replies if isinstance(r, ChoicesReply) for c in r.choices]
        out.write(render_text(replies, _save_charts(replies, chart_dir, f"chat-{turn}")) + "\n")
