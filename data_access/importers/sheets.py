"""Finding the tables on a publication's sheet: the title above, the header (with the
super-headers merged over several columns above it), the rows of data below, and the notes
and totals that are not about a place. A sheet may hold several tables stacked one below
another, each with its own header; a sheet holding no table about places (a cover, contents,
notes or a drop-down view) holds none.

A row of data is one about a place — a GSS code in one of its cells, or the name of a council,
region or country — with at least one number. The header is the block of rows just above the
first such row (blank rows between are skipped); a row of it with a single cell is a title line,
and a sparse row (a few cells over many columns) is a super-header whose cells stand over the
columns to their right (as merged cells do) until the next one."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import chain

from data_access.importers.markers import MARKERS
from data_access.importers.place_names import PlaceNames
from data_access.importers.places import GSS_CODE
from data_access.periods import find_period

NUMBER = re.compile(r"^-?[\d,]*\.?\d+(e-?\d+)?%?$", re.I)
BRACKETED = re.compile(r"^\[[a-z0-9 ]{1,12}\]$", re.I)
YEAR_CELL = re.compile(r"^(19[89]\d|20[0-4]\d)$")
REFERENCE = re.compile(r"^((?=.*\d)(?!(19|20)\d\d$)[A-Za-z0-9_\-]{1,15}|[a-z]+(-[a-z]+)+|[A-Z]{1,4}-[\w-]+)$")
FOOTNOTE = re.compile(r"(?<=[a-z]{2})\d+(,\d+)*$")


def is_number(text: str) -> bool:
    """True for a cell holding a number ('1,234', '-5.2', '12%')."""
    return bool(text) and bool(NUMBER.match(text.replace(" ", "")))


def is_marker(text: str) -> bool:
    """True for a cell holding a missing-value marker ('..', ':', '[x]', 'z')."""
    return text.lower() in MARKERS and text != "" or bool(BRACKETED.match(text))


def clean_label(text: str) -> str:
    """A header or title cell without line breaks, doubled spaces or footnote digits glued on."""
    text = " ".join(str(text).replace("\u00a0", " ").split())
    return FOOTNOTE.sub("", text).strip()


@dataclass
class Block:
    """One table on a sheet: its title lines, each column's header parts (top first), the label
    columns (codes, names, periods) and value columns, and its rows of data (0-based)."""

    sheet: str
    titles: list[str]
    headers: list[list[str]]
    header_row: int
    label_columns: list[int]
    value_columns: list[int]
    rows: list[int] = field(default_factory=list)

    @property
    def title(self) -> str:
        """The table's title: the first title line of three words or more."""
        return next((t for t in self.titles if len(t.split()) >= 3), self.titles[0] if self.titles else "")


def _is_place(text: str, places: PlaceNames) -> bool:
    return bool(GSS_CODE.match(text)) or (not is_number(text) and places.code_of(text) is not None)


def _place_row(row: list[str], places: PlaceNames) -> bool:
    """True when a row names a place and holds a number to the right of that name."""
    for index, cell in enumerate(row):
        if cell and _is_place(cell, places):
            return any(is_number(c) for c in row[index + 1:])
    return False


def _header_like(row: list[str]) -> bool:
    """True for a row that can be part of a header: text, or years written as numbers."""
    filled = [c for c in row if c]
    texts = sum(1 for c in filled if not is_number(c))
    return bool(filled) and (texts >= 2 or all(not is_number(c) or YEAR_CELL.match(c) for c in filled))


def grid_of(rows: list[list[str]]) -> list[list[str]]:
    """A sheet's rows with each cell stripped, padded to the widest row (what the tables are found in)."""
    width = max((len(r) for r in rows), default=0)
    return [list(map(str.strip, r)) + [""] * (width - len(r)) for r in rows]


def find_blocks(sheet_name: str, grid: list[list[str]], places: PlaceNames) -> list[Block]:
    """The tables about places on one sheet (its `grid_of` cells), top to bottom."""
    width = len(grid[0]) if grid else 0
    place_rows = [i for i, row in enumerate(grid) if _place_row(row, places)]
    blocks: list[Block] = []
    start = 0
    while True:
        first = next((i for i in place_rows if i >= start), None)
        if first is None:
            break
        block = _block_at(sheet_name, grid, first, start, width, set(place_rows))
        if block is None:
            start = first + 1
            continue
        end = _block_end(grid, block, first)
        block.rows = [i for i in range(first, end) if any(grid[i][c] for c in block.value_columns)]
        if block.rows and block.value_columns:
            blocks.append(block)
        start = end
    return blocks


def _block_at(sheet: str, grid: list[list[str]], first: int, floor: int, width: int,
              place_rows: set[int]) -> Block | None:
    top = first - 1
    while top >= floor and not any(grid[top]):
        top -= 1
    header_rows: list[int] = []
    while top >= floor and any(grid[top]) and _header_like(grid[top]) and top not in place_rows:
        header_rows.insert(0, top)
        top -= 1
    multi = [r for r in header_rows if _is_header_row(grid[r])]
    if not multi:
        return None
    title_rows = [r for r in range(floor, multi[0]) if any(grid[r])]  # (a label line below the header is none)
    titles = [clean_label(" ".join(c for c in grid[r] if c)) for r in sorted(title_rows)]
    data = grid[first:first + 120]
    numeric = {cell: is_number(cell) for cell in set(chain.from_iterable(data))}  # each distinct text once
    value_columns = []
    for column, cells in enumerate(zip(*data)):
        filled = [c for c in cells if c]
        numbers = sum(map(numeric.__getitem__, filled))
        if numbers and numbers + sum(1 for c in filled if not numeric[c] and is_marker(c)) >= 0.8 * len(filled):
            value_columns.append(column)
    headers = _headers(grid, multi, width, value_columns)
    value_columns = [c for c in value_columns if headers[c] and not _is_label_header(headers[c][-1])]
    label_columns = [c for c in range(width) if c not in value_columns and any(row[c] for row in data)]
    return Block(sheet, titles, headers, multi[-1], label_columns, value_columns)


def _is_header_row(row: list[str]) -> bool:
    """A header row names two columns or more, or is one super-header standing over the values
    ('Dwellings started', to the right of the label columns); a single cell in column A is a title."""
    filled = [i for i, cell in enumerate(row) if cell]
    return len(filled) >= 2 or (len(filled) == 1 and filled[0] >= 2 and len(row[filled[0]].split()) <= 6)


def _is_label_header(text: str) -> bool:
    """A numeric column that labels rows rather than holding values: codes, order numbers, years."""
    words = text.lower()
    if find_period(text) is not None:
        return False
    return bool(re.search(r"\b(code|order|year|period|ref|id|number of authorities)\b", words)) and \
        not re.search(r"\b(rate|per|total|number of (?!authorities))\b", words)


def _headers(grid: list[list[str]], header_rows: list[int], width: int, value_columns: list[int]) -> list[list[str]]:
    """Each column's header parts, top first: sparse rows stand over the columns to their right."""
    parts: list[list[str]] = [[] for _ in range(width)]
    span = set(value_columns)
    for number, r in enumerate(header_rows):
        row = grid[r]
        last = number == len(header_rows) - 1
        if not last and any(is_number(c) and not YEAR_CELL.match(c) for c in row):  # reference numbers ('RS line 190')
            row = [c if not is_number(c) else "" for c in row]
        filled = [c for c in range(width) if row[c]]
        over_values = [c for c in filled if c in span]
        sparse = number < len(header_rows) - 1 and len(over_values) < len(span)  # merged cells leave gaps
        distinct = {row[c] for c in over_values}
        over = _over_runs(row, value_columns) if sparse else {}
        for c in range(width):
            text = over.get(c, row[c]) if c in span else row[c]
            if sparse and len(distinct) == 1 and c in span and find_period(next(iter(distinct))) is None:
                text = next(iter(distinct))  # one label over the whole table ('Net additions to dwelling stock')
            text = clean_label(text)
            if not last and REFERENCE.match(text) and find_period(text) is None:
                text = ""  # a hidden reference row's ids ('815d', 'RS-edu-net-exp', 'C1R190')
            if text and (not parts[c] or parts[c][-1] != text):
                parts[c].append(text)
    return parts


def _over_runs(row: list[str], value_columns: list[int]) -> dict[int, str]:
    """What a super-header row says over each value column: within each run of adjacent value
    columns (blank columns part the runs), a cell stands over the columns to its right until the
    next, and the first over those to its left too — a merged cell centred over its group
    ('Dwellings started' written over the second of four tenure columns) covers the whole group."""
    runs: list[list[int]] = []
    for c in value_columns:
        if runs and c == runs[-1][-1] + 1:
            runs[-1].append(c)
        else:
            runs.append([c])
    over: dict[int, str] = {}
    for run in runs:
        texts = [(c, row[c]) for c in run if row[c]]
        if not texts:
            continue
        current = texts[0][1]
        for c in run:
            current = row[c] or current
            over[c] = current
    return over


def _block_end(grid: list[list[str]], block: Block, first: int) -> int:
    """The row after the block's last: the next header of a table stacked below, or the sheet's end."""
    for i in range(first + 1, len(grid)):
        row = grid[i]
        over = []
        for c in block.value_columns:  # the first two filled cells decide: a data row ends at its first number
            if row[c]:
                if is_number(row[c]) or is_marker(row[c]):
                    break
                over.append(row[c])
                if len(over) == 2:
                    break
        if len(over) >= 2:
            while i - 1 > first and not any(is_number(c) for c in grid[i - 1]):
                i -= 1  # its title and blank rows belong to it
            return i  # a header row again: another table starts here
    return len(grid)
