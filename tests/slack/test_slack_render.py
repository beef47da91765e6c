"""Core replies rendered as Slack messages and uploads, within Slack's limits."""
from __future__ import annotations

import json

import pytest

from bot.core.messages import (
    CardReply,
    ChartReply,
    Choice,
    ChoicesReply,
    FormField,
    FormReply,
    Option,
    TextReply,
    UnsupportedReply,
)
from bot.slack.render import (
    ALT_TEXT_LIMIT,
    BLOCKS_PER_MESSAGE,
    Post,
    Upload,
    answered,
    escape,
    form_in_button,
    modal,
    render,
    render_all,
    split_text,
)


def test_text_is_escaped_for_mrkdwn_but_keeps_its_formatting() -> None:
    [post] = render(TextReply("*NEET* <5% & falling\n• Ward A"))
    assert isinstance(post, Post)
    assert post.text == "*NEET* &lt;5% &amp; falling\n• Ward A"
    assert post.blocks == ({"type": "section", "text": {"type": "mrkdwn", "text": post.text}},)


def test_split_text_prefers_paragraphs_then_lines_then_words() -> None:
    paragraph = ("word " * 240).strip()  # 1,199 characters
    pieces = split_text(f"{paragraph}\n\n{paragraph}\n\n{paragraph}", limit=3000)
    assert pieces == [f"{paragraph}\n\n{paragraph}", paragraph]
    assert split_text("a" * 10 + "\n" + "b" * 10, limit=15) == ["a" * 10, "b" * 10]
    assert split_text("x" * 7, limit=3) == ["xxx", "xxx", "x"]


def test_split_text_never_cuts_an_entity_in_half() -> None:
    text = escape("x" * 2998 + "&&&&")
    pieces = split_text(text)
    assert all(len(p) <= 3000 for p in pieces)
    assert "".join(pieces) == text
    assert pieces[1].startswith("&amp;")


def test_choices_become_buttons_in_blocks_of_at_most_25_with_short_labels() -> None:
    choices = tuple(Choice(f"Ward {i} " + "x" * 100, f"ward {i}") for i in range(30))
    [post] = render(ChoicesReply("Which ward?", choices))
    assert isinstance(post, Post)
    actions = [b for b in post.blocks if b["type"] == "actions"]
    assert [len(a["elements"]) for a in actions] == [25, 5]
    buttons = [e for a in actions for e in a["elements"]]
    assert all(len(b["text"]["text"]) <= 75 for b in buttons)
    assert [b["value"] for b in buttons] == [f"ward {i}" for i in range(30)]
    assert len({b["action_id"] for b in buttons}) == 30
    assert post.text == "Which ward?"


def test_a_card_too_big_for_one_message_becomes_several() -> None:
    lines = tuple("y" * 2999 for _ in range(60))
    posts = render(CardReply("T" * 200, lines))
    assert [len(p.blocks) for p in posts if isinstance(p, Post)] == [BLOCKS_PER_MESSAGE, 11]
    header = posts[0].blocks[0]  # type: ignore[union-attr]
    assert header["type"] == "header" and len(header["text"]["text"]) == 150


def test_a_chart_is_an_upload_with_a_file_name_and_bounded_alt_text() -> None:
    [upload] = render(ChartReply(b"\x89PNG", "a" * 1500, "Recycling rate — 2023/24"))
    assert isinstance(upload, Upload)
    assert upload.filename == "recycling-rate-2023-24.png"
    assert len(upload.alt_text) == ALT_TEXT_LIMIT
    assert upload.title == "Recycling rate — 2023/24"


def test_a_form_becomes_a_button_that_carries_it_into_a_modal() -> None:
    form = FormReply("f1", "Submit", (FormField("value", "Value", hint="a number", required=True),
                                      FormField("return", "Return", "b", options=(Option("A", "a"), Option("B", "b")))),
                     submit_label="Send")
    [post] = render(form)
    assert isinstance(post, Post)
    _, actions = post.blocks
    view = modal(form_in_button(actions["elements"][0]["value"]), {"channel": "D1"})
    value, chosen = view["blocks"]
    assert (value["block_id"], value["hint"]["text"], value["optional"]) == ("perf_field:value", "a number", False)
    assert "initial_value" not in value["element"]
    assert chosen["element"]["initial_option"] == {"text": {"type": "plain_text", "text": "B"}, "value": "b"}
    assert view["submit"]["text"] == "Send" and json.loads(view["private_metadata"]) == {"channel": "D1"}


def test_a_form_with_many_options_still_fits_in_its_button() -> None:
    options = tuple(Option(f"Return number {i} — October 2026", f"R{i}@2026-10") for i in range(200)) + (
        Option("Another indicator", "other"),)
    [post] = render(FormReply("f1", "Submit", (FormField("return", "Return", options=options),)))
    value = post.blocks[-1]["elements"][0]["value"]  # type: ignore[union-attr]
    carried = form_in_button(value).fields[0].options
    assert len(value) <= 2000 and carried[0] == options[0] and carried[-1].label == "Another indicator"


def test_an_unknown_reply_kind_raises_before_anything_is_sent() -> None:
    class Poll:
        pass

    with pytest.raises(UnsupportedReply, match="Poll"):
        render_all([TextReply("ok"), Poll()])  # type: ignore[list-item]


def test_answered_replaces_buttons_and_inputs_with_a_note() -> None:
    [post] = render(ChoicesReply("Which?", (Choice("A", "a"),)))
    assert isinstance(post, Post)
    blocks = answered(post.blocks, "✓ chose *A*")
    assert [b["type"] for b in blocks] == ["section", "context"]
