"""Core replies out: each reply kind becomes Slack messages (Block Kit) or a file upload, within
Slack's limits (3,000 characters a section, 150 a header, 75 a button label, 25 buttons an actions
block, 50 blocks a message, 1,000 characters of alt text). Long text is split into several
messages at paragraph, line or word boundaries. A kind with no renderer raises `UnsupportedReply`.

A form is a message with an "Open the form" button carrying the form; clicking it opens a modal
(`modal`) whose submission is checked before it closes (errors under the fields). A card's buttons
are independent: clicking one marks that one only (`answered_one`); a question's buttons are
one-shot (`answered`).
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

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
    reply_from_dict,
    reply_to_dict,
)

SECTION_LIMIT = 3000
HEADER_LIMIT = 150
BUTTON_TEXT_LIMIT = 75
BUTTONS_PER_BLOCK = 25
BLOCKS_PER_MESSAGE = 50
ALT_TEXT_LIMIT = 1000
BUTTON_VALUE_LIMIT = 2000
MODAL_TITLE_LIMIT = 24
OPTION_TEXT_LIMIT = 75
OPTIONS_LIMIT = 100

CHOICE_ACTION_PREFIX = "perf_choice:"
CARD_ACTION_PREFIX = "perf_card:"
FORM_OPEN_ACTION = "perf_form_open"
FORM_FILL_ACTION = "perf_form_fill"  # a modal's select whose choice fills in other fields
METADATA_LIMIT = 3000
FORM_VIEW_PREFIX = "perf_form:"  # the modal's callback_id: this prefix and the form id
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
    return [*kept, _note(note)]


def answered_one(blocks: Sequence[Block], action_id: str, note: str) -> list[Block]:
    """A clicked card's blocks with only the clicked button replaced by a note: the others stay usable."""
    kept: list[Block] = []
    for block in blocks:
        if block.get("type") == "actions":
            block = dict(block, elements=[e for e in block.get("elements", []) if e.get("action_id") != action_id])
            if not block["elements"]:
                continue
        kept.append(block)
    return [*kept, _note(note)]


def _note(text: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}


def modal(form: FormReply, metadata: dict[str, Any]) -> Block:
    """The modal view showing `form` (views.open); `metadata` (where to answer) comes back with its
    submission, and with what each select option fills in (see `refilled`), when that fits."""
    blocks: list[Block] = [_input(field) for field in form.fields]
    fills = {o.value: dict(o.fills) for field in form.fields for o in field.options if o.fills}
    if fills and len(json.dumps({**metadata, "fills": fills})) <= METADATA_LIMIT:
        metadata = {**metadata, "fills": fills}
    return {
        "type": "modal",
        "callback_id": f"{FORM_VIEW_PREFIX}{form.form_id}",
        "title": _plain(form.title, MODAL_TITLE_LIMIT),
        "submit": _plain(form.submit_label, MODAL_TITLE_LIMIT),
        "close": _plain("Cancel", MODAL_TITLE_LIMIT),
        "private_metadata": json.dumps(metadata),
        "blocks": blocks,
    }


def refilled(view: Block, chosen: str) -> Block | None:
    """The open modal `view` (as a block_actions payload carries it) with the fields the option
    `chosen` fills in set to its values, for views.update; None when it fills in nothing. The filled
    inputs get a new action id, since Slack keeps what was typed in an input it already knows."""
    fills = (json.loads(view.get("private_metadata") or "{}").get("fills") or {}).get(chosen)
    if not fills:
        return None
    blocks = []
    for block in view.get("blocks", []):
        name = str(block.get("block_id", "")).removeprefix(FORM_FIELD_BLOCK_PREFIX)
        if block.get("type") == "input" and name in fills:
            element = {**block["element"], "initial_value": fills[name], "action_id": f"value:{chosen}"[:255]}
            block = {**block, "element": element}
        blocks.append(block)
    kept = ("type", "callback_id", "title", "submit", "close", "private_metadata")
    return {**{key: view[key] for key in kept if key in view}, "blocks": blocks}


def form_in_button(value: str) -> FormReply:
    """The form an "Open the form" button carries (see `_form`)."""
    form = reply_from_dict(json.loads(value))
    if not isinstance(form, FormReply):
        raise ValueError("the button carries no form")
    return form


def field_block_id(name: str) -> str:
    """The block id of a form field's input in the modal (errors are reported against it)."""
    return f"{FORM_FIELD_BLOCK_PREFIX}{name}"


def _input(field: FormField) -> Block:
    """One input block: a static select for a field with options, else a text input."""
    element: Block
    if field.options:
        options = [{"text": _plain(o.label, OPTION_TEXT_LIMIT), "value": o.value} for o in field.options[:OPTIONS_LIMIT]]
        fills = any(o.fills for o in field.options)
        element = {"type": "static_select", "action_id": FORM_FILL_ACTION if fills else "value", "options": options,
                   "placeholder": _plain("Choose…", 150)}
        initial = next((o for o in options if o["value"] == field.value), None)
        if initial:
            element["initial_option"] = initial
    else:
        element = {"type": "plain_text_input", "action_id": "value"}
        if field.value:
            element["initial_value"] = field.value
    block: Block = {"type": "input", "block_id": field_block_id(field.name), "label": _plain(field.label, 2000),
                    "element": element, "optional": not field.required}
    if element["action_id"] == FORM_FILL_ACTION:
        block["dispatch_action"] = True
    hint = f"⚠ {field.error}" if field.error else field.hint
    if hint:
        block["hint"] = _plain(hint, 2000)
    return block


def _plain(text: str, limit: int) -> dict[str, str]:
    return {"type": "plain_text", "text": text if len(text) <= limit else text[: limit - 1] + "…"}


def _sections(text: str) -> list[Block]:
    return [{"type": "section", "text": {"type": "mrkdwn", "text": piece}} for piece in split_text(escape(text))]


def _buttons(choices: Sequence[Choice], prefix: str = CHOICE_ACTION_PREFIX) -> list[Block]:
    buttons = [
        {
            "type": "button",
            "action_id": f"{prefix}{index}",
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
    return _posts(reply.title, [header, *_sections("\n".join(reply.lines)), *_buttons(reply.actions, CARD_ACTION_PREFIX)])


def _form(reply: FormReply) -> list[Outgoing]:
    """A message with the button that opens the form as a modal (Slack shows forms in modals)."""
    problems = [f"⚠ *{field.label}*: {field.error}" for field in reply.fields if field.error]
    opener = {
        "type": "button",
        "action_id": FORM_OPEN_ACTION,
        "style": "primary",
        "text": _plain("Open the form", BUTTON_TEXT_LIMIT),
        "value": _carried(reply),
    }
    header = {"type": "header", "text": _plain(reply.title, HEADER_LIMIT)}
    return _posts(reply.title, [header, *_sections("\n".join(problems)), {"type": "actions", "elements": [opener]}])


def _carried(form: FormReply) -> str:
    """The form as a button's value: JSON, with select options dropped from the end (the last,
    "another …" option kept) until it fits Slack's 2,000 characters."""
    fields = list(form.fields)
    while True:
        value = json.dumps(reply_to_dict(FormReply(form.form_id, form.title, tuple(fields), form.submit_label)),
                           separators=(",", ":"), ensure_ascii=False)
        longest = max(range(len(fields)), key=lambda i: len(fields[i].options))
        if len(value) <= BUTTON_VALUE_LIMIT or len(fields[longest].options) <= 1:
            return value
        options = fields[longest].options
        fields[longest] = replace(fields[longest], options=options[:-2] + options[-1:])


RENDERERS: dict[type, Callable[[Any], list[Outgoing]]] = {
    TextReply: _text,
    ChartReply: _chart,
    FileReply: _file,
    ChoicesReply: _choices,
    CardReply: _card,
    FormReply: _form,
}
