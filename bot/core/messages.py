"""The types every channel translates to and from: who asked, what they said, and what the bot replies.

A channel (Slack, Teams, the web chat, the console) turns its payload into a `Message`, hands it
to the core, and renders each reply natively. A reply kind a channel cannot show must raise
`UnsupportedReply`, never be dropped.
"""
from __future__ import annotations

import base64
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Person:
    """Someone the bot knows, from the people table."""

    email: str
    name: str
    roles: frozenset[str] = frozenset()
    ward_code: str | None = None
    portfolio: str | None = None
    service: str | None = None
    manager_email: str | None = None
    slack_user_id: str | None = None
    teams_user_id: str | None = None

    def has_role(self, role: str) -> bool:
        """True when the person holds `role` (e.g. 'councillor', 'kpi_owner', 'performance_team')."""
        return role in self.roles


@dataclass(frozen=True)
class Upload:
    """A file attached to a message: its name, its size as the chat service states it, and its bytes —
    None when the channel did not fetch it because it is larger than the core takes (the core then
    refuses it by its size, never reading it)."""

    name: str
    size: int
    content: bytes | None = None


@dataclass(frozen=True)
class Message:
    """One thing a person said (or clicked) in a conversation.

    `person` is None for someone the bot does not know: they may ask about public indicators only.
    `action` carries a button click or form submission: {"choice": value} or {"form": {...}}.
    `files` are the files attached to it (a return's spreadsheet).
    """

    text: str
    person: Person | None
    conversation: str
    channel: str = "console"
    action: dict[str, Any] | None = None
    raw: dict[str, Any] | None = None
    files: tuple[Upload, ...] = ()


@dataclass(frozen=True)
class Choice:
    """A button: the label people see and the text sent back to the core when it is clicked."""

    label: str
    value: str


@dataclass(frozen=True)
class TextReply:
    """Plain text (a few lines of Markdown-light: *bold* and bullet lines starting with '• ')."""

    text: str


@dataclass(frozen=True)
class ChartReply:
    """A PNG chart with alt text saying in words what it shows; `narrow_png`, when given, is the
    same chart drawn for a narrow screen (a ranking of many places, tall with each name above its
    bar), for a channel that can choose a picture by the width it is shown at."""

    png: bytes
    alt_text: str
    title: str
    narrow_png: bytes | None = None


@dataclass(frozen=True)
class ChoicesReply:
    """A question back with buttons; clicking one sends `Choice.value` as a new message."""

    prompt: str
    choices: tuple[Choice, ...]


@dataclass(frozen=True)
class Option:
    """One entry of a select: the label people see, the value submitted, and what choosing it fills
    in elsewhere in the form ((field name, value) pairs, e.g. the period of a chosen return)."""

    label: str
    value: str
    fills: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class FormField:
    """One input of a form: a text field, or a select when it has `options` (`value` is then the
    chosen option's value). `error` says what is wrong with the value sent (the form is shown again
    with it beside the field); a `required` field must not be left empty."""

    name: str
    label: str
    value: str = ""
    hint: str = ""
    options: tuple[Option, ...] = ()
    error: str = ""
    required: bool = False


@dataclass(frozen=True)
class FormReply:
    """A small form (Slack modal, Adaptive Card inputs, HTML form); submitting it sends
    Message.action = {"form": form_id, "values": {name: value}}."""

    form_id: str
    title: str
    fields: tuple[FormField, ...]
    submit_label: str = "Submit"

    @property
    def has_errors(self) -> bool:
        """True when the form comes back with something to correct."""
        return any(field.error for field in self.fields)


@dataclass(frozen=True)
class CardReply:
    """A titled block of facts with optional buttons (a notification, a digest section)."""

    title: str
    lines: tuple[str, ...]
    actions: tuple[Choice, ...] = ()


@dataclass(frozen=True)
class FileReply:
    """A document to hand over (the report deck): Slack uploads it, the web chat offers it as a
    download, Teams links to it at the bot's public URL. `description` says what is in it."""

    filename: str
    content: bytes
    title: str
    description: str
    media_type: str


Reply = TextReply | ChartReply | ChoicesReply | FormReply | CardReply | FileReply


class UnsupportedReply(TypeError):
    """Raised by a channel asked to show a reply kind it has no rendering for."""


@dataclass
class Answer:
    """The core's answer to one message: the replies a person sees and the facts behind them
    (intent, indicator, places, period, values…) that `perfbot ask --json` prints."""

    replies: list[Reply]
    facts: dict[str, Any] = field(default_factory=dict)


KINDS: dict[str, type] = {"text": TextReply, "choices": ChoicesReply, "card": CardReply, "form": FormReply}


def reply_to_dict(reply: Reply) -> dict[str, Any]:
    """A reply as plain data: for the outbox (which never holds charts: they are drawn when a message
    is sent) and the perfbot inbox (which keeps the charts a message was delivered with, as base64)."""
    if isinstance(reply, ChartReply):
        return {"kind": "chart", "png": base64.b64encode(reply.png).decode("ascii"), "alt_text": reply.alt_text,
                "title": reply.title}
    kind = next((name for name, cls in KINDS.items() if isinstance(reply, cls)), None)
    if kind is None:
        raise UnsupportedReply(f"{type(reply).__name__} cannot be stored")
    data = asdict(reply)
    data["kind"] = kind
    return data


def reply_from_dict(data: dict[str, Any]) -> Reply:
    """The reply stored by reply_to_dict."""
    data = dict(data)
    kind = data.pop("kind")
    if kind == "chart":
        return ChartReply(base64.b64decode(data["png"]), data["alt_text"], data["title"])
    if kind == "choices":
        return ChoicesReply(data["prompt"], tuple(Choice(**c) for c in data["choices"]))
    if kind == "card":
        return CardReply(data["title"], tuple(data["lines"]), tuple(Choice(**c) for c in data["actions"]))
    if kind == "form":
        return FormReply(data["form_id"], data["title"], tuple(_field(f) for f in data["fields"]), data["submit_label"])
    return TextReply(data["text"])


def _field(data: dict[str, Any]) -> FormField:
    """A form field stored by reply_to_dict (its options' fills were made lists)."""
    options = tuple(Option(o["label"], o["value"], tuple(tuple(pair) for pair in o.get("fills", ())))
                    for o in data.get("options", ()))
    return FormField(**{**data, "options": options})
