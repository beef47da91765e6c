"""Markdown-light as data: the core's *bold*, _italic_, bullet lines ('• ') and numbered lines
('1. ') become paragraphs, lists and runs of text that the web page turns into DOM nodes — so no
text, whoever wrote it, is ever parsed as HTML."""
from __future__ import annotations

import re
from typing import Any

BULLET = "• "
NUMBERED = re.compile(r"^(\d{1,3})\. (?=\S)")
INLINE = re.compile(r"(?<![\w*])\*(?=\S)(?P<strong>[^*\n]+?)(?<=\S)\*(?![\w*])"
                    r"|(?<![\w_])_(?=\S)(?P<em>[^_\n]+?)(?<=\S)_(?![\w_])")

Span = dict[str, str]


def spans(line: str) -> list[Span]:
    """A line as runs of text: {"text": …}, with "style": "strong" or "em" where it was marked."""
    runs: list[Span] = []
    position = 0
    for match in INLINE.finditer(line):
        if match.start() > position:
            runs.append({"text": line[position:match.start()]})
        style = "strong" if match.group("strong") is not None else "em"
        runs.append({"text": match.group(style), "style": style})
        position = match.end()
    if position < len(line) or not runs:
        runs.append({"text": line[position:]})
    return runs


def blocks(text: str) -> list[dict[str, Any]]:
    """Lines as paragraphs {"p": spans}; consecutive bullet lines as one list {"ul": [spans, …]} and
    consecutive numbered lines as one {"ol": [spans, …], "start": first number}."""
    found: list[dict[str, Any]] = []
    for line in text.split("\n"):
        numbered = NUMBERED.match(line)
        if line.startswith(BULLET):
            _add_item(found, "ul", spans(line[len(BULLET):]))
        elif numbered:
            _add_item(found, "ol", spans(line[numbered.end():]), int(numbered.group(1)))
        elif line.strip():
            found.append({"p": spans(line)})
    return found


def _add_item(found: list[dict[str, Any]], kind: str, item: list[Span], number: int = 1) -> None:
    """Continue the list just before, or start one (a numbered list continues only with the next number)."""
    last = found[-1] if found else {}
    if kind in last and (kind == "ul" or last["start"] + len(last["ol"]) == number):
        last[kind].append(item)
    else:
        found.append({"ul": [item]} if kind == "ul" else {"ol": [item], "start": number})
