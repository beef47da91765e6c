"""Core replies out: each reply kind becomes Slack messages (Block Kit) or a file upload, within
Slack's limits (3,000 characters a section, 150 a header, 75 a button label, 25 buttons an actions
block, 50 blocks a message, 1,000 characters of alt text). Long text is split into several
messages at paragraph, line or word boundaries. A kind with no renderer raises `UnsupportedReply`.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from bot.core.messages import (
    CardReply,
    ChartReply,
    Choice,
    ChoicesReply,
    FileReply,
    FormReply,
    Reply,
    TextReply,
    UnsupportedReply,
)

SECTION_LIMIT = 3000
HEADER_LIMIT = 150
BUTTON_TEXT_LIMIT = 75
BUTTONS_PER_BLOCK = 25
BLOCKS_PER_MESSAGE = 50
ALT_TEXT_LIMIT = 1000

CHOICE_ACTION_PREFIX = "perf_choice:"
FORM_SUBMIT_ACTION = "perf_form_submit"
FORM_FIELD_BLOCK_PREFIX = "perf_field:"

Block = dict[str, Any]


@dataclass(frozen=True)
class Post:
    """One chat.postMessage: the notification text and the Block Kit blocks shown."""

    text: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Upload:
    """One files_upload_v2 of a chart PNG or a document, with its title and the alt text (or description)
    screen readers announce."""

    content: bytes
    filename: str
    title: str
    alt_text: str


Outgoing = Post | Upload


def escape(text: str) -> str:
    """Text made safe for Slack mrkdwn: &, < and > as entities (formatting characters kept)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def split_text(text: str, limit: int = SECTION_LIMIT) -> list[str]:
    """`text` cut into pieces of at most `limit` characters, preferring paragraph, line, then word
    breaks; never inside an HTML entity such as &amp;."""
    pieces: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        window = rest[: limit + 1]
        cut = next((at for sep in ("\n\n", "\n", " ") if (at := window.rfind(sep)) > limit // 2), -1)
        if cut == -1:
            cut = limit
            entity = rest.rfind("&", cut - 5, cut)
            if entity != -1 and ";" not in rest[entity:cut]:
                cut = entity
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        pieces.append(rest)
    return pieces


def render(reply: Reply) -> list[Outgoing]:
    """The Slack messages and uploads that show one core reply."""
    renderer = RENDERERS.get(type(reply))
    if renderer is None:
        raise UnsupportedReply(f"the Slack channel cannot show a {type(reply).__name__}")
    return renderer(reply)


def render_all(replies: Iterable[Reply]) -> list[Outgoing]:
    """All replies rendered, in order; raises before anything is sent if one cannot be shown."""
    return [outgoing for reply in replies for outgoing in render(reply)]


def answered(blocks: Sequence[Block], note: str) -> list[Block]:
    """A clicked message's blocks with its buttons and inputs replaced by a note of what was done."""
    kept = [block for block in blocks if block.get("type") not in ("actions", "input")]
    return [*kept, {"type": "context", "elements": [{"type": "mrkdwn", "text": note}]}]


def _plain(text: str, limit: int) -> dict[str, str]:
    return {"type": "plain_text", "text": text if len(text) <= limit else text[: limit - 1] + "…"}


def _sections(text: str) -> list[Block]:
    return [{"type": "section", "text": {"type": "mrkdwn", "text": piece}} for piece in split_text(escape(text))]


def _buttons(choices: Sequence[Choice]) -> list[Block]:
    buttons = [
        {
            "type": "button",
            "action_id": f"{CHOICE_ACTION_PREFIX}{index}",
            "text": _plain(choice.label, BUTTON_TEXT_LIMIT),
            "value": choice.value,
        }
        for index, choice in enumerate(choices)
    ]
    return [
        {"type": "actions", "elements": buttons[start : start + BUTTONS_PER_BLOCK]}
        for start in range(0, len(buttons), BUTTONS_PER_BLOCK)
    ]


def _posts(text: str, blocks: list[Block]) -> list[Outgoing]:
    fallback = split_text(escape(text))[0] if text.strip() else " "
    return [
        Post(fallback, tuple(blocks[start : start + BLOCKS_PER_MESSAGE]))
        for start in range(0, len(blocks), BLOCKS_PER_MESSAGE)
    ]


def _text(reply: TextReply) -> list[Outgoing]:
    return [Post(block["text"]["text"], (block,)) for block in _sections(reply.text)]


def _chart(reply: ChartReply) -> list[Outgoing]:
    slug = re.sub(r"[^a-z0-9]+", "-", reply.title.lower()).strip("-") or "chart"
    alt = reply.alt_text if len(reply.alt_text) <= ALT_TEXT_LIMIT else reply.alt_text[: ALT_TEXT_LIMIT - 1] + "…"
    return [Upload(reply.png, f"{slug}.png", reply.title, alt)]


def _file(reply: FileReply) -> list[Outgoing]:
    return [Upload(reply.content, reply.filename, reply.title, reply.description[:ALT_TEXT_LIMIT])]


def _choices(reply: ChoicesReply) -> list[Outgoing]:
    return _posts(reply.prompt, [*_sections(reply.prompt), *_buttons(reply.choices)])


def _card(reply: CardReply) -> list[Outgoing]:
    header = {"type": "header", "text": _plain(reply.title, HEADER_LIMIT)}
    return _posts(reply.title, [header, *_sections("\n".join(reply.lines)), *_buttons(reply.actions)])


def _form(reply: FormReply) -> list[Outgoing]:
    inputs = []
    for field in reply.fields:
        element: Block = {"type": "plain_text_input", "action_id": "value"}
        if field.value:
            element["initial_value"] = field.value
        block: Block = {
            "type": "input",
            "block_id": f"{FORM_FIELD_BLOCK_PREFIX}{field.name}",
            "label": _plain(field.label, 2000),
            "element": element,
        }
        if field.hint:
            block["hint"] = _plain(field.hint, 2000)
        inputs.append(block)
    submit = {
        "type": "button",
        "action_id": FORM_SUBMIT_ACTION,
        "style": "primary",
        "text": _plain(reply.submit_label, BUTTON_TEXT_LIMIT),
        "value": reply.form_id,
    }
    header = {"type": "header", "text": _plain(reply.title, HEADER_LIMIT)}
    return _posts(reply.title, [header, *inputs, {"type": "actions", "elements": [submit]}])


RENDERERS: dict[type, Callable[[Any], list[Outgoing]]] = {
    TextReply: _text,
    ChartReply: _chart,
    FileReply: _file,
    ChoicesReply: _choices,
    CardReply: _card,
    FormReply: _form,
}
