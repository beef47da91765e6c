"""Slide-making helpers over python-pptx for the report: a 16:9 deck whose every slide has a real
title (screen readers and the outline read it), text boxes, tables, RAG tiles, a drawn warning
band, footers and pictures that always carry alt text. Text uses only glyphs every common office
font has: a mark a font lacks would render blank (see reports/wording.py)."""
from __future__ import annotations

import io

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
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
PALE = RGBColor(0xF2, 0xF2, 0xF2)
TITLE_ONLY, TITLE_SLIDE = 5, 0
FONT = "Arial"
CONTENT_TOP, CONTENT_BOTTOM = Inches(1.15), Inches(7.0)  # between the title and the footer


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


def cover(deck: Presentation, title: str, above: str, below: str) -> Slide:
    """The title slide: a dark band holding the council's name (`above`), the title in the title
    placeholder and `below` (the quarter); the caller adds what goes under the band."""
    slide = deck.slides.add_slide(deck.slide_layouts[TITLE_SLIDE])
    band = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, 0, WIDTH, Inches(4.4))
    band.fill.solid()
    band.fill.fore_color.rgb = HEADER
    band.line.fill.background()
    band.shadow.inherit = False
    behind(band)
    heading = slide.shapes.title
    heading.left, heading.top, heading.width, heading.height = MARGIN, Inches(1.55), WIDTH - 2 * MARGIN, Inches(1.3)
    heading.text = title
    paragraph = heading.text_frame.paragraphs[0]
    paragraph.alignment = PP_ALIGN.LEFT
    heading.text_frame.vertical_anchor = MSO_ANCHOR.MIDDLE
    _style(paragraph.runs[0], 44, bold=True, colour=WHITE)
    text(slide, MARGIN, Inches(0.9), WIDTH - 2 * MARGIN, Inches(0.6), above, size=24, colour=WHITE)
    subtitle = slide.placeholders[1]
    subtitle.left, subtitle.top, subtitle.width, subtitle.height = MARGIN, Inches(2.95), WIDTH - 2 * MARGIN, Inches(0.9)
    subtitle.text = below
    for paragraph in subtitle.text_frame.paragraphs:
        paragraph.alignment = PP_ALIGN.LEFT
        for run in paragraph.runs:
            _style(run, 26, colour=WHITE)
    return slide


def behind(shape) -> None:
    """Move `shape` to the back of its slide (drawn before the placeholders)."""
    tree = shape._element.getparent()
    tree.remove(shape._element)
    tree.insert(2, shape._element)  # after the group's own properties


def footer(slide: Slide, words: str, number: int) -> None:
    """The slide's footer: what the report is, and the page number (as the contents gives it)."""
    text(slide, MARGIN, Inches(7.08), Inches(10.5), Inches(0.3), words, size=9, colour=MUTED)
    box = text(slide, WIDTH - MARGIN - Inches(1.5), Inches(7.08), Inches(1.5), Inches(0.3), f"Page {number}", size=9,
               colour=MUTED)
    box.text_frame.paragraphs[0].alignment = PP_ALIGN.RIGHT


def warning(slide: Slide, left: Emu, top: Emu, width: Emu, height: Emu, words: str, size: float = 18):
    """A dark vermilion band with a drawn warning triangle and white text (a glyph such as ⚠ is
    missing from common office fonts, so the sign is a shape)."""
    band = text(slide, left, top, width, height, words, size=size, bold=True, colour=WHITE, fill=OUTSTANDING)
    frame = band.text_frame
    frame.auto_size = MSO_AUTO_SIZE.NONE  # the band keeps its height, so the sign stays inside it
    frame.margin_left = int(height * 0.9)
    frame.vertical_anchor = MSO_ANCHOR.MIDDLE
    side = int(height * 0.62)
    sign = slide.shapes.add_shape(MSO_SHAPE.ISOSCELES_TRIANGLE, left + int(height * 0.18), top + (height - side) // 2,
                                  side, side)
    sign.fill.solid()
    sign.fill.fore_color.rgb = WHITE
    sign.line.fill.background()
    sign.shadow.inherit = False
    mark = sign.text_frame
    mark.auto_size = MSO_AUTO_SIZE.NONE
    mark.word_wrap = False
    mark.margin_left = mark.margin_right = mark.margin_top = 0
    mark.margin_bottom = int(side * 0.02)
    mark.vertical_anchor = MSO_ANCHOR.BOTTOM
    run = mark.paragraphs[0].add_run()
    run.text = "!"
    mark.paragraphs[0].alignment = PP_ALIGN.CENTER
    _style(run, size * 1.05, bold=True, colour=OUTSTANDING)
    return band


def _style(run, size: float, bold: bool = False, colour: RGBColor = INK) -> None:
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = FONT
    run.font.color.rgb = colour


Line = tuple[str, float, bool] | tuple[str, float, bool, RGBColor]


def text(slide: Slide, left: Emu, top: Emu, width: Emu, height: Emu, lines: list[str] | list[Line] | str,
         size: float = 14, bold: bool = False, colour: RGBColor = INK, fill: RGBColor | None = None,
         bullets: bool = False):
    """A text box (wrapped) with one paragraph per line; a line is a string in the box's style, or
    (text, size, bold[, colour])."""
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    if fill is not None:
        box.fill.solid()
        box.fill.fore_color.rgb = fill
        frame.margin_left = frame.margin_right = Inches(0.12)
    for index, line in enumerate([lines] if isinstance(lines, str) else lines):
        words, line_size, line_bold, line_colour = (line, size, bold, colour) if isinstance(line, str) else \
            (*line, colour) if len(line) == 3 else line
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        run = paragraph.add_run()
        run.text = f"\u2022 {words}" if bullets else words
        _style(run, line_size, line_bold, line_colour)
        paragraph.space_after = Pt(6 if bullets else 2)
    return box


def tile(slide: Slide, left: Emu, top: Emu, width: Emu, height: Emu, rag: str | None, lines: list[Line]):
    """A rounded tile edged in the RAG colour, with a heavy left bar of it; lines are (text, size,
    bold[, colour])."""
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
    for index, (line, size, bold, *colour) in enumerate(lines):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        paragraph.alignment = PP_ALIGN.LEFT
        run = paragraph.add_run()
        run.text = line
        _style(run, size, bold, *colour)
    return shape


def picture(slide: Slide, chart: Chart, left: Emu, top: Emu, width: Emu, height: Emu | None = None):
    """A chart as a picture, its alt text in the picture's description (what screen readers say);
    within `height` too when given (the chart keeps its shape and is centred in the space)."""
    shape = slide.shapes.add_picture(io.BytesIO(chart.png), left, top, width=width)
    if height is not None and shape.height > height:
        shape.width, shape.height = int(shape.width * height / shape.height), height
        shape.left = left + (width - shape.width) // 2
    properties = shape._element.nvPicPr.cNvPr
    properties.set("descr", chart.alt_text)
    properties.set("title", chart.title)
    return shape


def table(slide: Slide, left: Emu, top: Emu, width: Emu, header: list[str], rows: list[list[str]],
          widths: list[float], size: float = 11, fills: dict[tuple[int, int], RGBColor] | None = None,
          row_height: Emu = Inches(0.34)):
    """A table with a dark header row; `widths` are shares of `width`; `fills` colours some cells."""
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
            if r == 0:
                cell.fill.solid()
                cell.fill.fore_color.rgb = HEADER
            elif (r - 1, c) in (fills or {}):
                cell.fill.solid()
                cell.fill.fore_color.rgb = fills[(r - 1, c)]
            else:
                cell.fill.solid()
                cell.fill.fore_color.rgb = WHITE if r % 2 else PALE
            for paragraph in cell.text_frame.paragraphs:
                for run in paragraph.runs:
                    _style(run, size, bold=r == 0, colour=WHITE if r == 0 else INK)
    return shape
