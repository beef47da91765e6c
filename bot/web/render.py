"""Core replies as the JSON the web page draws: text as paragraphs and lists of runs (see markup),
charts as PNG data URLs with their alt text (and the narrow screen's drawing where there is one), files (the report deck) as download links, buttons,
forms and cards. A reply kind with no
rendering raises `UnsupportedReply`, as in every channel."""
from __future__ import annotations

import base64
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
)
from bot.web.markup import blocks


def _choices(choices: tuple[Choice, ...]) -> list[dict[str, str]]:
    return [{"label": c.label, "value": c.value} for c in choices]


def _field(field: FormField) -> dict[str, Any]:
    """A form field: a select when it has options (each with the fields it fills in), its error if any."""
    options = [{"label": o.label, "value": o.value, "fills": dict(o.fills)} for o in field.options]
    return {"name": field.name, "label": field.label, "value": field.value, "hint": field.hint,
            "options": options, "error": field.error, "required": field.required}


def reply_json(reply: Reply) -> dict[str, Any]:
    """One reply as the page's JSON."""
    if isinstance(reply, TextReply):
        return {"kind": "text", "blocks": blocks(reply.text)}
    if isinstance(reply, ChartReply):
        src = "data:image/png;base64," + base64.b64encode(reply.png).decode("ascii")
        drawn = {"kind": "chart", "title": reply.title, "alt": reply.alt_text, "src": src}
        if reply.narrow_png:
            drawn["narrow_src"] = "data:image/png;base64," + base64.b64encode(reply.narrow_png).decode("ascii")
        return drawn
    if isinstance(reply, ChoicesReply):
        return {"kind": "choices", "prompt": reply.prompt, "choices": _choices(reply.choices)}
    if isinstance(reply, FormReply):
        return {"kind": "form", "form_id": reply.form_id, "title": reply.title, "submit_label": reply.submit_label,
                "fields": [_field(f) for f in reply.fields]}
    if isinstance(reply, FileReply):
        src = f"data:{reply.media_type};base64," + base64.b64encode(reply.content).decode("ascii")
        return {"kind": "file", "name": reply.filename, "title": reply.title, "description": reply.description,
                "bytes": len(reply.content), "src": src}
    if isinstance(reply, CardReply):
        return {"kind": "card", "title": reply.title, "blocks": blocks("\n".join(reply.lines)),
                "actions": _choices(reply.actions)}
    raise UnsupportedReply(f"the web chat has no rendering for {type(reply).__name__}")


def replies_json(replies: list[Reply]) -> list[dict[str, Any]]:
    """Every reply as the page's JSON, in order."""
    return [reply_json(reply) for reply in replies]
