"""Formulas typed in chat never reach Excel as formulas (issue 24, item 9): `perfbot audit --csv`
puts a ' before any cell beginning with =, +, -, @, a tab or a carriage return (OWASP)."""
from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from bot.cli import main
from bot.core.bot import Bot
from bot.core.messages import Message
from bot.spreadsheet import safe_cell

MAYA = "maya.rowe@demo-council.example"
HOSTILE = ["=cmd|' /C calc'!A0", "@SUM(1)", "+1+cmd", "-2+3 recount"]


def test_the_audit_export_keeps_typed_formulas_as_text(store, capsys):
    bot = Bot(store, today=lambda: date(2026, 11, 27))
    maya = bot.person_by_email(MAYA)
    bot.answer(Message("NEET for October is 5.4%", maya, "c"), render_charts=False)
    for value, reason in zip(("5.1", "5.2", "5.3", "5.0"), HOSTILE):
        assert "Why change it" in bot.answer(Message(f"NEET for October is {value}%", maya, "c"), render_charts=False).facts["answer"]
        assert bot.answer(Message(reason, maya, "c"), render_charts=False).facts["recorded"] is True
    capsys.readouterr()
    assert main(["audit", "--csv", "--indicator", "NEET", "--database", store.engine.url.render_as_string(hide_password=False)]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    reasons = [row["reason"] for row in rows if row["action"] == "supersede"]
    assert reasons == ["'" + text for text in HOSTILE]
    cells = [cell for row in rows for cell in row.values() if cell]
    assert not [cell for cell in cells if cell[0] in "=+@\t\r" or (cell[0] == "-" and not cell[1:].replace(".", "").isdigit())]


@pytest.mark.parametrize("cell, shown", [
    ("=1+1", "'=1+1"), ("\t=1", "'\t=1"), ("\r=1", "'\r=1"), ("＝1+1", "'＝1+1"),
    ("-3.5", "-3.5"), ("+4", "+4"), ("NEET", "NEET"), (5.4, 5.4), (None, None), ("", ""),
])
def test_a_cell_is_text_when_a_spreadsheet_would_read_a_formula(cell, shown):
    assert safe_cell(cell) == shown
