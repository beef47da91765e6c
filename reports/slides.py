"""Slide-making helpers over python-pptx for the report: a 16:9 deck whose every slide has a real
title (screen readers and the outline read it), text boxes, tables, RAG tiles and pictures that
always carry alt text."""
from __future__ import annotations

import io

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import PP_ALIGN
from pptx.slide import Slide
from pptx.util import Emu, Inches, Pt

from charts import Chart
from charts.style import RAG_STYLES

WIDTH, HEIGHT = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.5)
INK = RGBColor(0x1A, 0x1A, 0x1A)
MUTED = RGBColor(0x59, 0x59, 0x59)
WHITE = RGBColor(0xFF, 0xFF, 0xFF)
HEADER = RGBColor(0x00, 0x4C, 0x77)  # a dark blue of the charts' palette: white text on it is 9:1
OUTSTANDING = RGBColor(0xA3, 0x3A, 0x00)  # the charts' vermilion darkened so white on it reads at 6:1
TITLE_ONLY, TITLE_SLIDE = 5, 0
FONT = "Arial"


def rgb(hex_colour: str) -> RGBColor:
    """'#D55E00' as an RGBColor."""
    return RGBColor.from_string(hex_colour.lstrip("#").upper())


def rag_fill(rag: str | None) -> RGBColor:
    """The charts' colour for a RAG status (grey for no target)."""
    return rgb(RAG_STYLES[rag or "none"].colour)


def new_deck() -> Presentation:
    """An empty 16:9 deck."""
    deck = Presentation()
    deck.slide_width, deck.slide_height = WIDTH, HEIGHT
    return deck


def titled(deck: Presentation, title: str) -> Slide:
    """A new slide with its title in the title placeholder, set in the report's style."""
    slide = deck.slides.add_slide(deck.slide_layouts[TITLE_ONLY])
    shape = slide.shapes.title
    shape.left, shape.top, shape.width, shape.height = MARGIN, Inches(0.25), WIDTH - 2 * MARGIN, Inches(0.8)
    shape.text = title
    paragraph = shape.text_frame.paragraphs[0]
    paragraph.alignment = PP_ALIGN.LEFT
    _style(paragraph.runs[0], 26, bold=True, colour=HEADER)
    return slide


def cover(deck: Presentation, title: str, subtitle: str) -> Slide:
    """The title slide."""
    slide = deck.slides.add_slide(deck.slide_layouts[TITLE_SLIDE])
    slide.shapes.title.text = title
    _style(slide.shapes.title.text_frame.paragraphs[0].runs[0], 36, bold=True, colour=HEADER)
    slide.placeholders[1].text = subtitle
    for paragraph in slide.placeholders[1].text_frame.paragraphs:
        for run in paragraph.runs:
            _style(run, 20, colour=INK)
    return slide


def _style(run, size: float, bold: bool = False, colour: RGBColor = INK) -> None:
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = FONT
    run.font.color.rgb = colour


def text(slide: Slide, left: Emu, top: Emu, width: Emu, height: Emu, lines: list[str] | str, size: float = 14,
         bold: bool = False, colour: RGBColor = INK, fill: RGBColor | None = None, bullets: bool = False):
    """A text box (wrapped) with one paragraph per line."""
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    if fill is not None:
        box.fill.solid()
        box.fill.fore_color.rgb = fill
        frame.margin_left = frame.margin_right = Inches(0.12)
    for index, line in enumerate([lines] if isinstance(lines, str) else lines):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        run = paragraph.add_run()
        run.text = f"\u2022 {line}" if bullets else line
        _style(run, size, bold, colour)
        paragraph.space_after = Pt(6 if bullets else 2)
    return box


def tile(slide: Slide, left: Emu, top: Emu, width: Emu, height: Emu, rag: str | None, lines: list[tuple[str, float, bool]]):
    """A rounded tile edged in the RAG colour, with a heavy left bar of it; lines are (text, size, bold)."""
    shape = slide.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE, left, top, width, height)
    shape.adjustments[0] = 0.06
    shape.fill.solid()
    shape.fill.fore_color.rgb = WHITE
    shape.line.color.rgb = rag_fill(rag)
    shape.line.width = Pt(2.5)
    shape.shadow.inherit = False
    bar = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, left, top + Inches(0.1), Inches(0.12), height - Inches(0.2))
    bar.fill.solid()
    bar.fill.fore_color.rgb = rag_fill(rag)
    bar.line.fill.background()
    bar.shadow.inherit = False
    frame = shape.text_frame
    frame.word_wrap = True
    frame.margin_left = Inches(0.25)
    for index, (line, size, bold) in enumerate(lines):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        paragraph.alignment = PP_ALIGN.LEFT
        run = paragraph.add_run()
        run.text = line
        _style(run, size, bold)
    return shape


def picture(slide: Slide, chart: Chart, left: Emu, top: Emu, width: Emu):
    """A chart as a picture, its alt text in the picture's description (what screen readers say)."""
    shape = slide.shapes.add_picture(io.BytesIO(chart.png), left, top, width=width)
    properties = shape._element.nvPicPr.cNvPr
    properties.set("descr", chart.alt_text)
    properties.set("title", chart.title)
    return shape


def table(slide: Slide, left: Emu, top: Emu, width: Emu, header: list[str], rows: list[list[str]],
          widths: list[float], size: float = 11, fills: dict[tuple[int, int], RGBColor] | None = None):
    """A table with a dark header row; `widths` are shares of `width`; `fills` colours some cells."""
    row_height = Inches(0.34)
    shape = slide.shapes.add_table(len(rows) + 1, len(header), left, top, width, row_height * (len(rows) + 1))
    grid = shape.table
    for column, share in enumerate(widths):
        grid.columns[column].width = int(width * share / sum(widths))
    for r, cells in enumerate([header, *rows]):
        grid.rows[r].height = row_height
        for c, value in enumerate(cells):
            cell = grid.cell(r, c)
            cell.text = value
            cell.margin_top = cell.margin_bottom = Inches(0.03)
            run = cell.text_frame.paragraphs[0].runs[0] if cell.text_frame.paragraphs[0].runs else None
            if r == 0:
                cell.fill.solid()
                cell.fill.fore_color.rgb = HEADER
            elif (r - 1, c) in (fills or {}):
                cell.fill.solid()
                cell.fill.fore_color.rgb = fills[(r - 1, c)]
            else:
                cell.fill.solid()
                cell.fill.fore_color.rgb = WHITE if r % 2 else RGBColor(0xF2, 0xF2, 0xF2)
            if run is not None:
                _style(run, size, bold=r == 0, colour=WHITE if r == 0 else INK)
    return shape
