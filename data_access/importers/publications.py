"""Government publications as published: workbooks that open on cover, contents and notes
sheets, title rows above a header with super-headers merged over it, notes and totals below,
one column per year or quarter with provisional flags, the period only in a sheet name or the
title, names without codes and DfE's three-digit LA codes — and the CSVs of the same kind
(a Stat-Xplore table: names only, one column per month).

Each table found on a sheet (`sheets.find_blocks`) becomes series:
- **the indicator** is named from the table's title (its 'Table 1006C:' number, periods, places
  and footnote digits taken out); a title 'X by Y' (Y not a place) makes the columns categories of
  Y — breakdowns of one indicator, the first 'Total…' column being everyone — unless a column's
  unit differs ('per 1,000', '(000s)'), which makes it an indicator of its own; otherwise each
  column is an indicator named by its header. A super-header over several columns ('Dwellings
  started') names the indicator of the columns under it. Sheets whose titles differ only by a
  category ('… for detached houses …') are one indicator broken down by it.
- **the period** comes from the column's header ('2022 [p]', 'Year ending Dec 1995', '2020-21 Q1
  P'), else a period column, else the sheet's name ('8081', '2019-20'), else the title, else
  `--period`; a provisional flag is kept with the value as its status.
- **the place** is the GSS code of the row's finest code column (a coarser one is its parent,
  used when a place is registered), else a DfE LA code, else a name matched to the councils,
  regions and countries the store holds. Rows about no place (group totals such as 'Unitary
  Authorities', 'LA Unknown', pseudo-codes) are left out and named in the report.
- **the unit** from the header, super-header or title ('(%)', '£ thousand', 'per 1,000',
  'Number of…'), else a count when every value is whole. Percentages published as fractions
  (0.367) are stored as percentages (36.7)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy.orm import Session

from data_access.importers.markers import REASONS
from data_access.importers.observations import WriteResult
from data_access.importers.place_names import PlaceNames
from data_access.importers.places import GSS_CODE
from data_access.importers.reading import ImportRefused, Problem, Table
from data_access.importers.series import Options, means_everyone, readable, write_series
from data_access.importers.sheets import Block, BRACKETED, clean_label, find_blocks, grid_of, is_number
from data_access.importers.workbooks import Sheet
from data_access.periods import PeriodError, find_period, parse_period

SKIPPED_SHEETS = re.compile(r"cover|contents|^index|notes?$|^notes|metadata|revision|terms|related|information|"
                            r"file:|https?:|\.xlsx?'?#|"  # an external link's cached sheet, not the publication's
                            r"lookup|drop.?down|figure|chart|guide|datasets|^front", re.I)
JUNK = re.compile(r"^(of which:?|\[[a-z]\]|=.*|sum of .*|grand total|number of households|\s*)$", re.I)
TABLE_NUMBER = re.compile(r"^(?:(?:table|worksheet)\s+[\w.]+\s*[:\-–]?\s*|[A-Z]{2,}[\w ]{0,4}\d\w*\s*:\s*)", re.I)
PLACE_PHRASE = re.compile(
    r"\s*[,(]?\s*\b(?:by|in|for|of)\s+(?:each\s+|all\s+)?(?:local\s+authorit(?:y|ies)|lower\s+and\s+single\s+tier"
    r"|district|region|county|counties|combined\s+authorit(?:y|ies)|administrative\s+geographies)"
    r"(?:\s+(?:and|&)\s+\w+)?(?:\s+(?:area|district|data))?(?:\s+in\s+(?:england|the\s+uk))?\)?|"
    r"\s*[,-]?\s*\b(?:in\s+)?(?:england|england\s+and\s+(?:the\s+)?regions|the\s+uk|united\s+kingdom)\b\s*$|"
    r"\s*\((?:excluding|including)[^)]*\)", re.I)
RANKING = re.compile(r"^\W*(largest|smallest|biggest|highest|lowest|top \d+|bottom \d+|rank)", re.I)
TOTAL_ONLY = re.compile(r"^\W*(total|-|all)\W*$", re.I)
PLACE_WORDS = re.compile(r"^(local|lower|district|region|county|counties|combined|authorit|area|ward)", re.I)


@dataclass
class Column:
    """What one value column of a table holds."""

    index: int
    indicator: str
    measure: str
    breakdown: str
    unit: str
    period: str | None
    provisional: bool


class Rows(Table):
    """The rows of every table read from one file, for refusals: each row's sheet and row number."""

    def __init__(self, path: Path, sheets: list[str], lines: list[int], header_line: int = 1):
        super().__init__(path, pd.DataFrame(index=range(len(lines))), header_line, None)
        self.sheets, self.lines = sheets, lines

    def line_of(self, row: int) -> int:
        """The row of the sheet row `row` is on."""
        return self.lines[row] if 0 <= row < len(self.lines) else row

    def refuse(self, problem: str, row: int | None = None, column: str | None = None) -> ImportRefused:
        """A refusal naming the sheet and row."""
        if row is None or not 0 <= int(row) < len(self.lines):
            return ImportRefused(self.path, problem, None, column)
        sheet = self.sheets[int(row)] or None
        return ImportRefused(self.path, problem, self.lines[int(row)], column, sheet)

    def refuse_header(self, problem: str) -> ImportRefused:
        """A refusal of the file as a whole."""
        return ImportRefused(self.path, problem)

    def _problem(self, problem: str, row: int, column: str | None) -> Problem:
        if not 0 <= row < len(self.lines):
            return Problem(None, column, problem)
        return Problem(self.lines[row], column, problem, self.sheets[row] or None)


def title_core(title: str) -> str:
    """A table's title without its number, periods, places and footnote digits: 'Table 1006C:
    Additional social rent dwellings provided by local authority area - Completions1,2' →
    'Additional social rent dwellings provided - Completions'."""
    text = clean_label(re.sub(r"(?<=[a-z])\d+(,\d+)*(?=\s|$|[,.;:)-])", "", title))
    text = re.sub(r"\b((?:19|20)\d\d)\d(,\d+)*\b", r"\1", text)  # '2014-20222,3': footnotes glued to a year
    text = re.sub(r"\b(?:19|20)\d\d\s*(?:-|–|to)\s*(?:19|20)\d\d\b", "", text)  # a span of years
    text = TABLE_NUMBER.sub("", text)
    for _ in range(3):
        found = find_period(text)
        if found is None:
            break
        text = found.rest
    for _ in range(3):
        text = re.sub(r"\s+(\d{1,2}(,\d{1,2})*|(?!19[5-9]\d|20[0-4]\d)\d{3,4})\s*$", "", text)  # footnote marks
        text = re.sub(r"(,\s*)?\b(year ending|to|from|mid-?|as at|between)\s*$", "", text, flags=re.I).strip()
        text = PLACE_PHRASE.sub("", text).strip(" ,:;-–")
    text = re.sub(r"\s+(to|and|,)\s*$", "", text)
    text = re.sub(r"\s*[-–:,]\s*[-–:,]\s*", " - ", text)
    return " ".join(text.split()).strip(" -–:,;")


@lru_cache(maxsize=8192)
def unit_of_text(text: str, counts: bool = True) -> str:
    """The unit a header or title states, or '' when it states none (`counts`: words such as
    'Number of' or 'households' say it is a count — true of a title, not of a column's category).
    Remembered for the texts met last (a publication's sheets repeat their headers)."""
    t = text.lower()
    checks = (
        (r"£\s*(thousand|000|k\b)|thousand pounds", "£ thousand"), (r"£\s*(million|m\b)", "£ million"),
        (r"per\s*\(?\s*1,?000\b|per \(000s\)|per 1,000|per thousand", "per 1,000"),
        (r"per\s*100,?000", "per 100,000"), (r"per\s*10,?000", "per 10,000"),
        (r"per sq\.?\s*km|per square k", "per sq km"), (r"\(000s\)|thousands", "thousands"),
        (r"\b(number|count)s? and (%|percentages?|per cent)", "count"),  # 'Number and % of households': the
        # numbers are counts (a column of percentages says so in its own header)
        (r"%|percentage|per cent|percent|\brate\b(?! per)|proportion", "%"), (r"£|\bprice|\bpounds\b", "£"),
        (r"\bkg\b|kilograms", "kg"), (r"\btonnes\b", "tonnes"), (r"median age|\bage\b.*years", "years"),
        (r"\b(number|numbers|count|counts|households|dwellings|incidents|appeals|sales|decisions|population|"
         r"people|persons|homes|units|actions|enrolments|pupils|children)\b", "count"),
    )
    for pattern, unit in checks if counts else checks[:-1]:
        if re.search(pattern, t):
            return unit
    return ""


def _words(parts: list[str]) -> tuple[str | None, bool, list[str]]:
    """A column's period (label), its provisional flag and the header texts left once it is out."""
    period, provisional, left = None, False, []
    for part in reversed(parts):
        found = find_period(part) if period is None else None
        if found is not None:
            period, provisional = found.period.label, found.provisional
            if found.rest and not JUNK.match(found.rest):
                left.insert(0, found.rest)
        elif not JUNK.match(part) and not BRACKETED.match(part):
            left.insert(0, part)
    return period, provisional, left


def _columns(block: Block, base: str, titles_unit: str) -> list[Column]:
    """Each value column's indicator, measure, breakdown, unit and period."""
    by = re.search(r"\bby\s+(\w+)", base)
    categories = bool(by) and not PLACE_WORDS.match(by.group(1))
    base_unit = unit_of_text(base) or titles_unit
    columns, everyone_taken, seen = [], set(), set()
    for index in block.value_columns:
        period, provisional, left = _words(block.headers[index])
        if not categories:  # a measure is named in words, never by a stray number from a pivot row ('0')
            left = [part for part in left if not is_number(part) and re.search(r"[A-Za-z]{2}", part)]
        label = left[-1] if left else ""
        supers = left[:-1]
        unit = unit_of_text(label, False) or (unit_of_text(supers[-1], False) if supers else "") or base_unit
        if not label:
            indicator, breakdown = base, ""
        elif not categories:  # a measure of its own: its unit is its header's, or the table's stated unit
            unit = unit_of_text(label) or (unit_of_text(supers[-1]) if supers else "") or titles_unit
            name = " - ".join(supers + [label])
            indicator, breakdown = (name if len(name.split()) >= 3 or not base else f"{base}: {name}"), ""
        elif categories and (unit == base_unit or not unit_of_text(label, False)):
            indicator = supers[-1] if supers else base
            whole = means_everyone(label) or label.lower().startswith(("all ", "grand total"))
            breakdown = "" if whole and (indicator, period) not in everyone_taken else label
            if is_number(breakdown):  # 'Persons by single year of age': column '5' is 'Age 5'
                breakdown = f"{_category_word(base)} {breakdown}"
            if breakdown == "":
                everyone_taken.add((indicator, period))
        else:
            name = " - ".join(supers + [label])
            indicator = name if len(name.split()) >= 3 or not base else f"{base}: {name}"
            breakdown = ""
        key = (indicator, breakdown, period)
        if key in seen:  # two columns read alike ('Other reasons / not known' under two headings)
            breakdown = (" - ".join(left) or breakdown) if categories else breakdown
            if not categories and left:
                indicator = " - ".join(left)
            key = (indicator, breakdown, period)
            if key in seen:
                breakdown = f"{breakdown or 'column'} ({_letter(index)})"
                key = (indicator, breakdown, period)
        seen.add(key)
        columns.append(Column(index, indicator, "Value", breakdown, unit, period, provisional))
    return columns


def _category_word(title: str) -> str:
    """The word a title breaks down by ('Persons by single year of age and sex' → 'Age')."""
    found = re.search(r"\bby\s+([\w ]+?)(?:\s+and\b|,|$)", title)
    return (found.group(1).split()[-1] if found else "").capitalize()


def _letter(index: int) -> str:
    """A column's letter as a spreadsheet shows it (0 → A, 27 → AB)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _sheet_categories(titles: dict[int, str]) -> dict[int, tuple[str, str]]:
    """Tables whose titles differ only by a phrase ('Median price paid for detached houses' beside
    'Median price paid'): the common name and each one's phrase (its breakdown)."""
    found: dict[int, tuple[str, str]] = {}
    cores = list(titles.items())
    for key, core in cores:
        for other_key, other in cores:
            if other_key == key or not other or len(other) >= len(core) or not core.startswith(other.split(" ")[0]):
                continue
            head = other.split(" ")
            words = core.split(" ")
            if words[:len(head)] == head or (words[:len(head) - 1] == head[:-1] and words[-1] == head[-1]):
                extra = " ".join(w for w in words if w not in head)
                extra = re.sub(r"^(for|of|in|on)\s+", "", extra).strip()
                if extra:
                    found[key] = (other, extra[:1].upper() + extra[1:])
                    found.setdefault(other_key, (other, ""))
    return found


def _place_columns(block: Block, grid: list[list[str]]) -> tuple[int | None, int | None, int | None]:
    """The column of GSS codes for the place (most distinct codes), a coarser one (its parent) and
    a column of DfE three-digit LA codes."""
    counts = []
    dfe = None
    for c in block.label_columns:
        cells = [grid[r][c] for r in block.rows if grid[r][c]]
        codes = {cell for cell in cells if GSS_CODE.match(cell)}
        if codes:
            counts.append((len(codes), c))
        elif cells and sum(1 for cell in cells if re.fullmatch(r"\d{3}", cell)) >= 0.8 * len(cells):
            dfe = c
    counts.sort(reverse=True)
    place = counts[0][1] if counts else None
    parent = counts[1][1] if len(counts) > 1 else None
    return place, parent, dfe


def _period_column(block: Block, grid: list[list[str]]) -> int | None:
    """A label column of periods ('Year', 'Financial Year': 2016-17…), when the table is long."""
    for c in block.label_columns:
        header = " ".join(block.headers[c]).lower()
        if re.search(r"year|period|date|quarter|month", header):
            cells = [grid[r][c] for r in block.rows[:50] if grid[r][c]]
            if cells and all(find_period(cell) for cell in cells):
                return c
    return None


def _row_place(row: list[str], block: Block, places: PlaceNames, place: int | None, dfe: int | None,
               skip: int | None) -> tuple[str | None, str]:
    """The place a row is about (a GSS code) and the name it gives; (None, label) when none. A row
    without a code is named by its first text cell (a group total such as '*Total' passed over) and
    by that cell only: never by a region named further along the row."""
    code = row[place] if place is not None else ""
    names = [row[c] for c in block.label_columns if c not in (place, dfe, skip) and row[c]
             and not GSS_CODE.match(row[c]) and not is_number(row[c])]
    name = next((n for n in names if not TOTAL_ONLY.match(n)), "")
    if code and GSS_CODE.match(code):
        return code, name or code
    if dfe is not None and row[dfe]:
        found = places.dfe(row[dfe])
        if found:
            return found, name
    if code and not TOTAL_ONLY.match(code):
        return None, code  # a code of no place perfbot knows ('E07AHS439'): never guessed from a name
    found = places.code_of(name) if name else None
    return (found, name) if found else (None, name or code)


def _number(text: str) -> tuple[float, str | None]:
    """A value cell: its number, or NaN and the reason it is missing."""
    if not text:
        return np.nan, "blank"
    try:
        return float(text.replace(",", "").replace(" ", "").rstrip("%")), None
    except ValueError:
        reason = REASONS.get(text.lower())
        if reason is None and BRACKETED.match(text):
            reason = f"not available ({text})"
        return np.nan, reason or f"not a number ('{text[:40]}')"


def import_publication(session: Session, path: Path, sheets: list[Sheet], actor: str, now: datetime,
                       options: Options) -> WriteResult:
    """Observations of every table about places in a publication's sheets (see the module docstring)."""
    places = PlaceNames(session)
    notes: list[str] = []
    if options.sheet:
        chosen = [s for s in sheets if s.name.strip().lower() == options.sheet.strip().lower()]
        if not chosen:
            raise ImportRefused(path, f"has no sheet '{options.sheet}'; its sheets are: "
                                      + ", ".join(s.name for s in sheets))
    else:
        chosen = [s for s in sheets if not SKIPPED_SHEETS.search(s.name) and s.rows]
        skipped = [s.name for s in sheets if s not in chosen and s.rows]
        if skipped:
            notes.append(f"sheets not read (cover, contents, notes, revisions, look-ups): {', '.join(skipped[:12])}"
                         + (", …" if len(skipped) > 12 else ""))
    found: list[tuple[Sheet, Block]] = []
    grids: dict[int, list[list[str]]] = {}  # each sheet's cells stripped and padded once, for all its tables
    for sheet in chosen:
        grids[id(sheet)] = grid_of(sheet.rows)
        blocks = find_blocks(sheet.name, grids[id(sheet)], places)
        ranked = [b for b in blocks if RANKING.search(b.title)]
        if ranked:
            notes.append(f"sheet '{sheet.name}': not read '{ranked[0].title[:60]}', a ranking of figures the other "
                         "tables give")
            blocks = [b for b in blocks if b not in ranked]
        if not blocks and len(chosen) > 1:
            notes.append(f"sheet '{sheet.name}': no table about places found, not read")
        found.extend((sheet, block) for block in blocks)
    if not found:
        raise ImportRefused(path, "holds no table perfbot can read: no sheet has rows naming a place (a GSS code "
                                  "such as E06000001, or the name of a council, region or country) beside numbers"
                                  + (f" (sheets: {', '.join(s.name for s in sheets)[:300]})" if sheets else "")
                                  + "; import the ONS lookup first if the places are not yet known, or choose the "
                                  "sheet with --sheet NAME")
    cores = {i: title_core(block.title) for i, (_, block) in enumerate(found)}
    shared = _sheet_categories(cores)
    frames, sheets_of, lines, series = [], [], [], []
    unplaced: dict[str, int] = {}
    fallback = _name_of_file(path)
    for number, (sheet, block) in enumerate(found):
        grid = grids[id(sheet)]
        base = cores[number] or (sheet.name if not re.fullmatch(r"[\w\s]{0,6}\d*", sheet.name) else fallback)
        common, category = shared.get(number, (base, ""))
        titles_unit = next((u for u in (unit_of_text(t, False) for t in block.titles)
                            if u in ("£ thousand", "£ million", "£", "thousands", "kg", "tonnes")), "")
        columns = _columns(block, common, titles_unit)
        period_column = _period_column(block, grid)
        place, parent, dfe = _place_columns(block, grid)
        default_period = _default_period(sheet.name, block.titles + _top_headers(block) + [s.name for s in sheets],
                                         options)
        codes, names, parents, kept_rows, row_periods = [], [], [], [], []
        for r in block.rows:
            code, name = _row_place(grid[r], block, places, place, dfe, period_column)
            if code is None:
                if name:
                    unplaced[name] = unplaced.get(name, 0) + 1
                continue
            codes.append(code)
            names.append(name)
            parents.append(grid[r][parent] if parent is not None and GSS_CODE.match(grid[r][parent]) else None)
            kept_rows.append(r)
            row_periods.append(find_period(grid[r][period_column]) if period_column is not None else None)
        if not kept_rows:
            continue
        offset = len(lines)
        sheets_of.extend([sheet.name] * len(kept_rows))
        lines.extend(r + 1 for r in kept_rows)
        frames.append(_block_frame(path, sheet, block, grid, columns, kept_rows, codes, names, parents, offset,
                                   period_column, row_periods, default_period, category))
        series.append((sheet.name, _series_of(frames[-1], len(columns))))
    if not frames:
        raise ImportRefused(path, "has tables, but no row of them is about a place perfbot holds (the first is "
                                  f"'{next(iter(unplaced), '')}'); import the ONS lookup first, or give GSS codes")
    if unplaced:
        shown = ", ".join(f"'{name}'" for name in list(unplaced)[:8])
        notes.append(f"left out {sum(unplaced.values())} rows about no place perfbot holds ({shown}"
                     + (", …" if len(unplaced) > 8 else "") + ")")
    frame = _joined(frames)
    if _may_repeat(series):
        frame = _first_of_each(frame, sheets_of, notes)
    table = Rows(path, sheets_of, lines)
    result = write_series(session, table, frame, actor, now, options, "place", "period", "value",
                          "government publication (workbook)" if sheets and sheets[0].name != "" else
                          "government publication")
    result.details.setdefault("notes", []).extend(notes)
    return result


def _numbers(texts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Value cells as numbers (NaN where missing) and each missing one's reason, every distinct
    text read once."""
    codes, uniques = pd.factorize(texts.ravel())
    plain = pd.to_numeric(pd.Series(uniques, dtype=object), errors="coerce").to_numpy(dtype=float)
    reasons = np.full(len(uniques), None, dtype=object)
    for i in np.flatnonzero(np.isnan(plain)):
        plain[i], reasons[i] = _number(uniques[i])
    return plain[codes].reshape(texts.shape), reasons[codes].reshape(texts.shape)


def _block_frame(path: Path, sheet: Sheet, block: Block, grid: list[list[str]], columns: list[Column],
                 kept_rows: list[int], codes: list[str], names: list[str], parents: list, offset: int,
                 period_column: int | None, row_periods: list, default_period: str | None,
                 category: str) -> pd.DataFrame:
    """One table's values, one row per place and column, in the shape `write_series` reads."""
    n, width = len(kept_rows), len(columns)
    cells = np.empty((n, len(grid[kept_rows[0]])), dtype=object)
    cells[:] = [grid[r] for r in kept_rows]  # (the grid's rows are all as wide)
    texts = cells[:, [column.index for column in columns]]
    values, reasons = _numbers(texts.reshape(n, width))
    periods = np.empty((n, width), dtype=object)
    provisional = np.zeros((n, width), dtype=bool)
    for j, column in enumerate(columns):
        if column.period is not None:
            periods[:, j], provisional[:, j] = column.period, column.provisional
        elif period_column is not None:
            periods[:, j] = [p.period.label if p else "" for p in row_periods]
            provisional[:, j] = [bool(p and p.provisional) for p in row_periods]
        elif default_period is not None:
            periods[:, j] = default_period
        else:
            raise ImportRefused(path, f"sheet '{sheet.name}' names no period for column "
                                      f"'{' / '.join(block.headers[column.index])}' (not in its header, a period "
                                      "column, the sheet's name or the title); say which with --period "
                                      "(e.g. --period 2023/24)", None, None, sheet.name)
        unit = column.unit or ("count" if np.all(np.isnan(values[:, j]) | (values[:, j] % 1 == 0)) else "value")
        if unit == "%" and np.nanmax(np.abs(values[:, j]), initial=0) <= 1 and np.any((values[:, j] % 1) != 0):
            values[:, j] = np.round(values[:, j] * 100, 9)  # a percentage published as a fraction (0.367), without
            # the binary noise of the product (0.417 * 100 is 41.699999999999996)
        column.unit = unit
    missing = np.isnan(values)
    return pd.DataFrame({
        "geography_code": np.repeat(np.asarray(codes, dtype=object), width),
        "geography_name": np.repeat(np.asarray(names, dtype=object), width),
        "parent_code": np.repeat(np.asarray(parents, dtype=object), width),
        "source_indicator": np.tile(np.asarray([c.indicator for c in columns], dtype=object), n),
        "source_measure": np.tile(np.asarray([c.measure for c in columns], dtype=object), n),
        "indicator_name": np.tile(np.asarray([c.indicator for c in columns], dtype=object), n),
        "unit": np.tile(np.asarray([c.unit for c in columns], dtype=object), n),
        "period": periods.ravel(),
        "breakdown": np.tile(np.asarray(["; ".join(b for b in (category, c.breakdown) if b) for c in columns],
                                        dtype=object), n),
        "value": values.ravel(), "missing_reason": np.where(missing, reasons, None).ravel(),
        "status": np.where(provisional, "provisional", "final").ravel()},
        index=np.repeat(np.arange(offset, offset + n), width), copy=False)  # (copy=False: its columns stay apart)


def _name_of_file(path: Path) -> str:
    """A table's name when nothing in the file gives one (a Stat-Xplore CSV has no title): the file's
    name without its publisher, tool, geography and years ('dwp_statxplore_households_on_uc_ltla_2015-2022'
    → 'Households on Universal Credit')."""
    words = re.sub(r"[_\s]+", " ", path.stem)
    words = re.sub(r"(?i)\b(ons|dwp|dfe|dluhc|mhclg|moj|defra|statxplore|ltla|utla|la|lad|\d{4}(-\d{2,4})?)\b", " ",
                   words)
    words = re.sub(r"(?i)\buc\b", "Universal Credit", " ".join(words.split()))
    return readable(words).strip(" -_") or "Values"


def _top_headers(block: Block) -> list[str]:
    """The texts of a table's first header row (a title may sit in it beside super-headers)."""
    return list(dict.fromkeys(parts[0] for parts in block.headers if parts))


def _joined(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """The tables' frames one below another, column by column, the columns kept apart (`pd.concat`
    copies them all once more into one block: a second for a million values)."""
    return pd.DataFrame({name: np.concatenate([f[name].to_numpy() for f in frames]) for name in frames[0].columns},
                        index=np.concatenate([f.index.to_numpy() for f in frames]), copy=False)


def _series_of(frame: pd.DataFrame, width: int) -> set[tuple] | None:
    """The series (indicator, period, breakdown) of each column of a table's frame (`_block_frame`:
    `width` values a row), or None when a column's period changes from row to row."""
    periods = frame["period"].to_numpy(dtype=object).reshape(-1, width)
    if not (periods == periods[0]).all():
        return None
    return set(zip(frame["source_indicator"].to_numpy()[:width], periods[0], frame["breakdown"].to_numpy()[:width]))


def _may_repeat(series: list[tuple[str, set[tuple] | None]]) -> bool:
    """True unless each table's series (`_series_of`, by sheet) are given on no other sheet: only
    then can a later sheet give a value again (a check over the columns instead of every value)."""
    sheet_of: dict[tuple, str] = {}
    for sheet, keys in series:
        if keys is None:
            return True
        for key in keys:
            if sheet_of.setdefault(key, sheet) != sheet:
                return True
    return False


def _first_of_each(frame: pd.DataFrame, sheets: list[str], notes: list[str]) -> pd.DataFrame:
    """The rows of a value given again on a later sheet with another value left out, saying so
    (a summary table repeating a detailed one, rounded): the first sheet's value is kept. A value
    given twice differently on one sheet is left for `write_series` to refuse."""
    key = ["source_indicator", "geography_code", "period", "breakdown"]
    repeated = frame.duplicated(key, keep=False)
    if not repeated.any():
        return frame
    sheet = pd.Series(np.asarray(sheets, dtype=object)[frame.index.to_numpy()], index=frame.index)
    first_sheet = sheet.groupby([frame[k] for k in key]).transform("first")
    later = repeated & (sheet != first_sheet)
    if later.any():
        notes.append(f"left out {int(later.sum())} values given again on a later sheet "
                     f"({', '.join(sorted(set(sheet[later]))[:5])}) for a series already read from an earlier one")
        frame = frame[~later.to_numpy()]
    return frame


def _default_period(sheet: str, titles: list[str], options: Options) -> str | None:
    """The period of a table that names it only in its sheet's name or title, or as --period says."""
    if options.period:
        try:
            return parse_period(options.period).label
        except PeriodError:
            found = find_period(options.period)
            if found is None:
                raise ImportRefused("--period", f"'{options.period}' is not a period; e.g. 2023/24, 2024, "
                                                "2024/25 Q2, March 2025") from None
            return found.period.label
    for text in [sheet, *titles]:
        found = find_period(text)
        if found is not None:
            return found.period.label
    return None
