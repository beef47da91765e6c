"""The quarterly report as a cabinet reads it (issue 27): read back with python-pptx, and rendered
through LibreOffice as an office suite opens it — every RAG mark drawn with the deck's own font, no
text running out of its tile or into the footer; a count never set beside England's; no page
holding a lone sentence; red-measure charts filling their space; a tile for every measure; returns
still missing listed as outstanding and the values carried in their place marked; a quarter not
over said to be partial, one not begun refused; a cover naming the council, the quarter and the
date the figures are as at, and a contents page whose page numbers are right."""
from __future__ import annotations

import io
import re
import shutil
import subprocess
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from PIL import Image
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.util import Inches

from bot.cli import main
from reports.content import QuarterNotBegun, build_report, quarter_label
from reports.deck import deck_bytes

Q2 = quarter_label("2026/27 Q2")
AS_AT = date(2026, 11, 27)
SLIDE_WIDTH, SLIDE_HEIGHT = Inches(13.333), Inches(7.5)
FOOTER_TOP = Inches(7.05)
OFFICE = shutil.which("libreoffice") or shutil.which("soffice")
POPPLER = shutil.which("pdffonts") and shutil.which("pdftotext")
needs_office = pytest.mark.skipif(not (OFFICE and POPPLER),
                                  reason="LibreOffice and poppler-utils are needed to render the deck "
                                         "(apt-get install libreoffice-impress poppler-utils)")


def body_texts(slide) -> list[str]:
    """The texts of a slide other than its title and footer (tables cell by cell)."""
    found = []
    for shape in slide.shapes:
        if shape == slide.shapes.title or shape.top >= FOOTER_TOP:
            continue
        if shape.has_text_frame and shape.text_frame.text.strip():
            found.append(shape.text_frame.text)
        if getattr(shape, "has_table", False) and shape.has_table:
            found.extend(cell.text for row in shape.table.rows for cell in row.cells)
    return found


def slide_text(slide) -> str:
    return "\n".join([slide.shapes.title.text, *body_texts(slide)])


def titled(deck, start: str) -> list:
    return [slide for slide in deck.slides if slide.shapes.title.text.startswith(start)]


def tiles(slide) -> list:
    """The RAG tiles on a slide (rounded rectangles with text)."""
    return [shape for shape in slide.shapes if shape.shape_type == MSO_SHAPE_TYPE.AUTO_SHAPE
            and shape.auto_shape_type is not None and "ROUNDED_RECTANGLE" in str(shape.auto_shape_type)
            and shape.text_frame.text.strip()]


@pytest.fixture(scope="module")
def report(demo_store):
    return build_report(demo_store, Q2, as_at=AS_AT)


@pytest.fixture(scope="module")
def deck_data(demo_store, report) -> bytes:
    return deck_bytes(demo_store, report)


@pytest.fixture(scope="module")
def deck(deck_data):
    return Presentation(io.BytesIO(deck_data))


@pytest.fixture(scope="module")
def rendered(deck_data, tmp_path_factory) -> Path:
    """The deck converted to PDF by LibreOffice, as `libreoffice --headless --convert-to pdf` does."""
    if not (OFFICE and POPPLER):
        pytest.skip("LibreOffice and poppler-utils are needed to render the deck")
    folder = tmp_path_factory.mktemp("rendered")
    (folder / "deck.pptx").write_bytes(deck_data)
    profile = folder / "profile"
    subprocess.run([OFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(folder), str(folder / "deck.pptx")], check=True, capture_output=True, timeout=300)
    return folder / "deck.pdf"


# --- glyphs ----------------------------------------------------------------------------------------
def test_every_character_in_the_deck_is_one_common_office_fonts_have(deck):
    font = subprocess.run(["fc-match", "-f", "%{file}", "Liberation Sans"], capture_output=True, text=True).stdout \
        if shutil.which("fc-match") else ""
    if not font.endswith(".ttf"):
        pytest.skip("Liberation Sans (the metric twin of Arial, the deck's font) is not installed")
    from fontTools.ttLib import TTFont
    covered = set(TTFont(font).getBestCmap())
    used = {ch for slide in deck.slides for text in [slide.shapes.title.text, *body_texts(slide)] for ch in text}
    missing = sorted(ch for ch in used if ord(ch) not in covered and not ch.isspace())
    assert missing == [], f"characters Arial/Liberation Sans lack (they render blank): {missing}"
    assert "\u00d7 Red" in slide_text(titled(deck, "Council overview")[0])


@needs_office
def test_libreoffice_draws_every_mark_with_the_decks_own_font(rendered):
    fonts = subprocess.run(["pdffonts", str(rendered)], capture_output=True, text=True, check=True).stdout
    names = {line.split()[0].split("+")[-1] for line in fonts.splitlines()[2:] if line.strip()}
    assert names <= {"LiberationSans", "LiberationSans-Bold"}, f"fell back to other fonts for missing glyphs: {names}"
    red_page = _pdf_text(rendered, _page_titled(rendered, "City Environment: red measures"))
    assert "\u00d7 Total recorded crime per 1,000 population" in red_page
    assert "Commentary outstanding: the City Environment director" in red_page


@needs_office
def test_no_text_runs_out_of_its_tile_or_into_the_footer_once_rendered(deck, rendered):
    points = 72 / 914400  # EMU to PDF points
    for number, slide in enumerate(deck.slides, 1):
        words = _pdf_words(rendered, number)
        footer = [w for shape in slide.shapes if shape.top >= FOOTER_TOP and shape.has_text_frame
                  for w in shape.text_frame.text.split()]
        below = [w[4] for w in words if w[3] > FOOTER_TOP * points + 2]
        assert below == footer, f"page {number}: text runs into the footer: {below}"
        for tile in tiles(slide):
            drawn = _drawn(words, tile.text_frame.text.split())
            assert drawn, f"page {number}: the tile {tile.text_frame.text[:40]!r} was not drawn as written"
            top, bottom = tile.top * points, (tile.top + tile.height) * points
            assert top <= min(w[1] for w in drawn) and max(w[3] for w in drawn) <= bottom, \
                f"page {number}: the tile {tile.text_frame.text[:40]!r} overflows"


# --- what the pages say ----------------------------------------------------------------------------
def test_a_count_is_never_set_beside_the_regions_or_englands(deck):
    governance = slide_text(titled(deck, "Governance: summary")[0])
    assert "Resident population" in governance
    assert "of the England total" in governance and "England 58,933,392" not in governance
    assert "(lower)" not in governance


def test_no_page_holds_a_lone_sentence_and_a_service_with_nothing_red_has_no_red_pages(deck, report):
    for number, slide in enumerate(deck.slides, 1):
        if number == 1:
            continue
        body = body_texts(slide)
        pictures = [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
        assert pictures or len(body) > 1 or sum(t.count("\n") + 1 for t in body) > 1, \
            f"page {number} ({slide.shapes.title.text}) holds one sentence: {body}"
    for service in report.services:
        if service.reds:
            continue
        assert not titled(deck, f"{service.name}: red measures") and not titled(deck, f"{service.name}: improvement")
        assert "No measure is red this quarter." in slide_text(titled(deck, f"{service.name}: summary")[0])
    assert not any("No measure is red" in slide_text(s) for s in deck.slides if "red measures" in s.shapes.title.text)


def test_a_red_measures_chart_fills_the_space_beside_its_figures(deck, report):
    pages = [slide for slide in deck.slides if ": red measures" in slide.shapes.title.text]
    assert len(pages) == sum(len(s.reds) for s in report.services)  # a page each
    for slide in pages:
        [chart] = [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
        width, height = Image.open(io.BytesIO(chart.image.blob)).size
        assert chart.width >= SLIDE_WIDTH * 0.58 and chart.height >= SLIDE_HEIGHT * 0.58
        assert abs(chart.width / chart.height - width / height) < 0.01  # its own shape, not stretched
        assert chart.left + chart.width <= SLIDE_WIDTH - Inches(0.4) and chart.top + chart.height < FOOTER_TOP


def test_every_measure_has_a_tile_and_a_long_summary_runs_on_saying_so(demo_store, deck, report):
    for service in report.services:
        shown = [t for slide in titled(deck, f"{service.name}: summary") for t in tiles(slide)[4:]]  # after the counts
        assert sorted(t.text_frame.text.split("\n")[0] for t in shown) == sorted(m.name for m in service.measures)
    big = replace(report, services=[replace(report.services[2], measures=report.services[2].measures * 3)])
    long = Presentation(io.BytesIO(deck_bytes(demo_store, big)))
    pages = titled(long, "City Environment: summary")
    assert [p.shapes.title.text[-8:] for p in pages] == ["(1 of 3)", "(2 of 3)", "(3 of 3)"]
    assert sum(len(tiles(p)) for p in pages) == 4 + 27
    assert "27 measures on 3 pages." in slide_text(pages[-1])


def test_missing_returns_are_listed_as_outstanding_and_the_values_carried_are_marked(deck, report):
    carried = {m.code for m in report.measures if m.carried}
    assert carried == {"REABLEMENT_91", "CLA_RATE", "BUS_JOURNEYS", "TEMP_ACCOMMODATION", "BUDGET_VARIATION",
                       "SICKNESS_DAYS", "CONTACT_SATISFACTION"}
    assert {r.indicator_code for r in report.returns} == carried
    [page] = titled(deck, "Returns outstanding, 2026/27 Q2")
    listed = slide_text(page)
    for m in report.measures:
        assert (m.name in listed) == (m.code in carried)
    assert listed.count("20 Oct 2026 (overdue)") == 7
    assert "1.3% (2026/27 Q1, carried)" in listed
    children = slide_text(titled(deck, "Children's Services: summary")[0])
    assert "Target of 89 per 10,000 \u00b7 2026/27 Q1\nCarried: 2026/27 Q2 return outstanding" in children
    appendix = "\n".join(slide_text(s) for s in titled(deck, "Appendix"))
    assert appendix.count(", carried") == 7 and "the latest available" not in appendix
    assert "7 returns for the quarter still outstanding" in slide_text(deck.slides[0])


def test_a_quarter_not_over_is_partial_and_one_not_begun_is_refused(demo_store, tmp_path, capsys):
    q3 = build_report(demo_store, quarter_label("2026/27 Q3"), as_at=AS_AT)
    assert q3.partial
    partial = Presentation(io.BytesIO(deck_bytes(demo_store, q3)))
    assert ("Partial report: the quarter runs to 31 December 2026, so it holds only the values in by 27 November 2026."
            in slide_text(partial.slides[0]))
    assert all("2026/27 Q3 (partial)" in s.shapes[-2].text_frame.text for s in list(partial.slides)[1:])
    with pytest.raises(QuarterNotBegun, match="2027/28 Q1 has not begun: it starts on 1 April 2027. The newest quarter "
                                              "to report on is 2026/27 Q3."):
        build_report(demo_store, quarter_label("2027/28 Q1"), as_at=AS_AT)
    url = demo_store.engine.url.render_as_string(hide_password=False)
    assert main(["--database", url, "report", "--quarter", "2026/27 Q3", "--out", str(tmp_path / "q3.pptx"),
                 "--today", "2026-11-27"]) == 0
    assert "2026/27 Q3 as at 27 November 2026 — partial: the quarter runs to 31 December 2026" in capsys.readouterr().out
    assert main(["--database", url, "report", "--quarter", "2027/28 Q1", "--out", str(tmp_path / "q1.pptx"),
                 "--today", "2026-11-27"]) == 2
    assert "Report not written: 2027/28 Q1 has not begun" in capsys.readouterr().err
    assert not (tmp_path / "q1.pptx").exists()
    assert build_report(demo_store, Q2, as_at=AS_AT).partial is False


def test_the_cover_names_the_council_quarter_and_as_at_date_and_the_contents_pages_are_right(deck):
    cover = slide_text(deck.slides[0])
    assert cover.startswith("Corporate performance report\n")
    for said in ("Wolverhampton", "Quarter 2, 2026/27: July to September 2026", "Figures as at 27 November 2026",
                 "40 measures across 8 services: 6 red, 13 amber, 14 green, 7 without a target."):
        assert said in cover
    assert "built" not in cover
    contents = deck.slides[1]
    assert contents.shapes.title.text == "Contents, 2026/27 Q2"
    [table] = [s.table for s in contents.shapes if getattr(s, "has_table", False) and s.has_table]
    rows = [[cell.text for cell in row.cells] for row in list(table.rows)[1:]]
    assert [r[0] for r in rows][:3] == ["Council overview", "Red measures at a glance", "Returns outstanding"]
    assert rows[-1][0] == "Appendix: every measure" and rows[-1][2].endswith(str(len(deck.slides)))
    slides = list(deck.slides)
    for name, _, pages in rows:
        first = int(re.split(r"\u2013", pages)[0])
        assert slides[first - 1].shapes.title.text.startswith(name), (name, pages)
    for number, slide in enumerate(slides[1:], 2):
        assert slide.shapes[-1].text_frame.text == f"Page {number}"
    assert "How to read this report" in slide_text(contents)


# --- the rendered PDF --------------------------------------------------------------------------------
def _pdf_text(pdf: Path, page: int) -> str:
    """The words drawn on a page, one space between each."""
    return " ".join(subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"],
                                   capture_output=True, text=True, check=True).stdout.split())


def _page_titled(pdf: Path, start: str) -> int:
    pages = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout.split("\f")
    return next(n for n, text in enumerate(pages, 1) if text.lstrip().startswith(start))


def _drawn(words: list, wanted: list[str]) -> list:
    """The run of drawn words that spells `wanted`, in order (LibreOffice draws a shape's text together)."""
    texts = [w[4] for w in words]
    for start in range(len(texts) - len(wanted) + 1):
        if texts[start:start + len(wanted)] == wanted:
            return words[start:start + len(wanted)]
    return []


def _pdf_words(pdf: Path, page: int) -> list[tuple[float, float, float, float, str]]:
    """Each word drawn on the page, in the order drawn, with its box in points (x0, y0, x1, y1, word)."""
    html = subprocess.run(["pdftotext", "-raw", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout
    found = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', html)
    return [(float(a), float(b), float(c), float(d), word.replace("&amp;", "&").replace("&quot;", '"')
             .replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">")) for a, b, c, d, word in found]

