"""Core replies rendered as Teams messages: Markdown text within Teams' message size limit,
Adaptive Cards for choices, forms and fact cards, image attachments for charts, a link for a file.
A form's selects are Input.ChoiceSet, its required inputs checked by Teams before it is sent
(isRequired, errorMessage), and an error the core found is shown under its field (`form_card`);
`sent_card` is what a form becomes once the core has taken it.

Produces Bot Framework activity JSON (plain dicts), so it imports no SDK. A reply kind it has no
rendering for raises `UnsupportedReply`.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any, Protocol

from bot.core.messages import (
    CardReply,
    ChartReply,
    Choice,
    ChoicesReply,
    FileReply,
    FormField,
    FormReply,
    Reply,
    TextReply,
    UnsupportedReply,
)

ACTION_KEY = "perfbot"
ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive"
CARD_VERSION = "1.4"
# Teams refuses bot messages over about 100 KB of UTF-16 (40 KB on older tenants), not counting
# inline images; text is cut into pieces well inside the older limit.
MAX_TEXT_BYTES = 32_000
SINGLE_ASTERISKS = re.compile(r"(?<![*\w])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![*\w])")


class ChartAttachments(Protocol):
    """Something that turns a chart into a Teams image attachment (see `bot.teams.images`)."""

    def attachment(self, chart: ChartReply) -> dict[str, Any]:
        """The attachment JSON showing `chart`."""

    def link(self, document: FileReply) -> str:
        """The public URL a file is served at."""


def render(replies: Iterable[Reply], charts: ChartAttachments) -> list[dict[str, Any]]:
    """The Teams message activities that show `replies`, in order."""
    return [activity for reply in replies for activity in render_reply(reply, charts)]


def render_reply(reply: Reply, charts: ChartAttachments) -> list[dict[str, Any]]:
    """The Teams message activities for one reply; raises UnsupportedReply for unknown kinds."""
    match reply:
        case TextReply(text=text):
            return [_text_message(piece) for piece in split_text(text)]
        case ChartReply(title=title, alt_text=alt_text):
            message = _text_message(teams_markdown(f"*{title}*\n{alt_text}"))
            return [dict(message, attachments=[charts.attachment(reply)])]
        case FileReply(title=title, description=description):
            return [_text_message(f"[{title}]({charts.link(reply)})\n\n{description}")]
        case ChoicesReply(prompt=prompt, choices=choices):
            return [card_message(_card([_text_block(prompt)], choices))]
        case FormReply():
            return [card_message(form_card(reply))]
        case CardReply(title=title, lines=lines, actions=actions):
            body = [_text_block(title, weight="Bolder", size="Medium"), *(_text_block(line) for line in lines)]
            return [card_message(_card(body, actions))]
    raise UnsupportedReply(f"The Teams channel cannot show a {type(reply).__name__}")


def teams_markdown(text: str) -> str:
    """The core's Markdown-light as Teams Markdown: *bold* becomes **bold**, and each line break is
    doubled because Teams ignores a single one."""
    return "\n\n".join(_markdown_lines(text))


def split_text(text: str, limit: int = MAX_TEXT_BYTES) -> list[str]:
    """`text` as Teams Markdown, cut at line (else word) boundaries into pieces of at most `limit`
    UTF-16 bytes each."""
    pieces: list[list[str]] = [[]]
    size = 0
    for line in _lines_within(_markdown_lines(text), limit):
        cost = _utf16_bytes(line) + _utf16_bytes("\n\n")
        if pieces[-1] and size + cost > limit:
            pieces.append([])
            size = 0
        pieces[-1].append(line)
        size += cost
    return ["\n\n".join(piece) for piece in pieces]


def form_card(form: FormReply) -> dict[str, Any]:
    """An Adaptive Card with one input per field (a compact ChoiceSet for a select), each error the
    core found in a red line under its field; submitting returns the values with the form id."""
    body = [_text_block(form.title, weight="Bolder", size="Medium")]
    for field in form.fields:
        body.append(_input(field))
        if field.error:
            body.append(_text_block(f"⚠ {field.error}", color="Attention", size="Small", spacing="None"))
    submit = {"type": "Action.Submit", "title": form.submit_label, "data": {ACTION_KEY: {"form": form.form_id}}}
    return dict(_card(body, ()), actions=[submit])


def sent_card() -> dict[str, Any]:
    """What a submitted form's card becomes: a note that it was sent, no inputs left to send twice."""
    return _card([{"type": "TextBlock", "text": "✓ Sent — the answer follows.", "wrap": True, "isSubtle": True}], ())


def _input(field: FormField) -> dict[str, Any]:
    """The Adaptive Card input for one form field."""
    common = {"id": field.name, "label": field.label, "value": field.value, "isRequired": field.required}
    if field.options:
        return {"type": "Input.ChoiceSet", "style": "compact", **common,
                "choices": [{"title": option.label, "value": option.value} for option in field.options],
                "errorMessage": f"Choose a {field.label.lower()}."}
    return {"type": "Input.Text", **common, "placeholder": field.hint,
            "errorMessage": f"Fill in the {field.label.lower()}{f' ({field.hint})' if field.hint else ''}."}


def _card(body: list[dict[str, Any]], choices: Iterable[Choice]) -> dict[str, Any]:
    """An Adaptive Card with `body` and one submit button per choice."""
    return {
        "type": "AdaptiveCard",
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "version": CARD_VERSION,
        "body": body,
        "actions": [_choice_action(choice) for choice in choices],
    }


def _choice_action(choice: Choice) -> dict[str, Any]:
    """A button that posts `choice.value` back; Teams also shows the label as the user's message."""
    payload = {ACTION_KEY: {"choice": choice.value}}
    teams = {"type": "messageBack", "displayText": choice.label, "text": choice.value, "value": payload}
    return {"type": "Action.Submit", "title": choice.label, "data": dict(payload, msteams=teams)}


def _text_block(text: str, **style: str) -> dict[str, Any]:
    """A wrapping TextBlock in Teams Markdown."""
    return {"type": "TextBlock", "text": teams_markdown(text), "wrap": True, **style}


def _text_message(text: str) -> dict[str, Any]:
    """A Markdown message activity."""
    return {"type": "message", "textFormat": "markdown", "text": text}


def card_message(card: dict[str, Any]) -> dict[str, Any]:
    """A message activity carrying one Adaptive Card."""
    return {"type": "message", "attachments": [{"contentType": ADAPTIVE_CARD, "content": card}]}


def _markdown_lines(text: str) -> Iterator[str]:
    """Each line of `text` with the core's *bold* written as Teams' **bold**."""
    return (SINGLE_ASTERISKS.sub(r"**\1**", line) for line in text.split("\n"))


def _lines_within(lines: Iterable[str], limit: int) -> Iterator[str]:
    """The lines, with any line longer than `limit` UTF-16 bytes cut at spaces (or anywhere)."""
    for line in lines:
        while _utf16_bytes(line) > limit:
            cut = len(line.encode("utf-16-le")[: limit - 4].decode("utf-16-le", errors="ignore"))
            space = line.rfind(" ", 0, cut)
            head, line = (line[:space], line[space + 1 :]) if space > 0 else (line[:cut], line[cut:])
            yield head
        yield line


def _utf16_bytes(text: str) -> int:
    """How many bytes Teams counts for `text` (it measures messages in UTF-16)."""
    return len(text.encode("utf-16-le"))
