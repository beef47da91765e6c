"""“send me my return template”: a workbook (.xlsx) of the returns the asker owes — one row per
indicator and period with its name, the last value, the target and an empty value column — laid out
as the observations file `perfbot import` knows (indicator_code, geography_code, period, value), so
the filled-in workbook reads back without any mapping. Text that a spreadsheet would take for a
formula (starting =, +, -, @) is written as quoted text, never a formula."""
from __future__ import annotations

import io
import re
from typing import TYPE_CHECKING

from bot.core.answers.common import Ask, Draft
from bot.core.messages import FileReply
from bot.core.submitting import _when, owed_returns
from data_access.periods import parse_period

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

REQUEST = re.compile(r"\b(?:my\s+)?returns?\s+(?:template|workbook|spreadsheet)\b|\btemplate\s+(?:for|of)\s+my\s+returns?\b",
                     re.I)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER = ("indicator_code", "indicator", "geography_code", "place", "period", "period_name", "last_value",
          "last_period", "target", "value")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
WIDTHS = {"A": 22, "B": 60, "C": 14, "D": 18, "E": 12, "F": 20, "G": 12, "H": 14, "I": 10, "J": 12}


def answer_template(ask: Ask) -> Draft:
    """The asker's return template as a file, or why there is none."""
    draft = Draft(facts={"intent": "return template"})
    if ask.person is None:
        return draft.say("I don't know who you are, so I can't tell which returns you owe.")
    owed = owed_returns(ask)
    draft.facts["returns"] = [f"{r.indicator_code} {r.period}" for r in owed]
    if not owed:
        return draft.say("You owe no returns right now, so there is no template to fill in. Ask “what's due from "
                         "me” to see what comes next.")
    draft.say(f"Here is your return template: {len(owed)} return{'s' if len(owed) != 1 else ''} you owe. Fill in "
              "the *value* column (a number: 5.4 for 5.4%), leave the rest as it is, and drop the file back "
              "here — I'll show you what it records before anything is.")
    day = ask.today.isoformat()
    draft.files.append(FileReply(f"returns-{ask.person.email.split('@')[0]}-{day}.xlsx", workbook(ask, owed),
                                 "your return template", f"{len(owed)} returns owed by {ask.person.name} on {day}",
                                 XLSX))
    return draft


def workbook(ask: Ask, owed: list) -> bytes:
    """The template's bytes: the returns sheet first (the importer reads the first sheet), then help."""
    from openpyxl import Workbook  # only when a template is asked for: every process imports this module
    from openpyxl.styles import Font, PatternFill

    book = Workbook()
    sheet = book.active
    sheet.title = "Returns"
    sheet.append(HEADER)
    place = ask.lookup.store.places.loc[ask.council, "name"] if ask.council in ask.lookup.store.places.index else ""
    for due in owed:
        history = ask.lookup.values(due.indicator_code, [ask.council])
        history = history[history["value"].notna()]
        last = history.iloc[-1] if not history.empty else None
        target = ask.lookup.target(due.indicator_code, ask.council, parse_period(due.period).financial_year.label)
        target_value = None if target is None or target["target"] != target["target"] else float(target["target"])
        _append(sheet, [due.indicator_code, ask.indicator_name(due.indicator_code), ask.council, place, due.period,
                        _when(due.period), None if last is None else float(last["value"]),
                        None if last is None else _when(last["period"]), target_value, None])
    sheet.freeze_panes = "A2"
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for cell in sheet["J"]:
        cell.fill = PatternFill("solid", fgColor="FFF2CC")
    for column, width in WIDTHS.items():
        sheet.column_dimensions[column].width = width
    help_sheet = book.create_sheet("How to fill in")
    for line in ("Fill in the value column only, one number per row (5.4 for 5.4%; a count as a whole number).",
                 "Leave a row's value empty if you have no figure yet: it is left alone.",
                 "Do not change indicator_code, geography_code or period: they say what each value is for.",
                 "Send the file back to perfbot in the chat; it shows what it would record before anything is."):
        _append(help_sheet, [line])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _append(sheet: Worksheet, values: list) -> None:
    """Append a row; text a spreadsheet would read as a formula is kept as quoted text."""
    sheet.append(values)
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str) and cell.value.startswith(FORMULA_START):
            cell.data_type = "s"  # openpyxl took it for a formula
            cell.quotePrefix = True
