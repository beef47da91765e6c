"""The corporate performance report on the demo data, read back with python-pptx: every slide has
a title, every picture alt text, per service the four pages, every red with its commentary or
"commentary outstanding", actions and escalations as recorded — and what is given in chat shows up
in the next deck."""
from __future__ import annotations

import io
from datetime import date

import pytest
from pptx import Presentation
from pptx.shapes.picture import Picture
from sqlalchemy import text

from bot.core.bot import Bot
from bot.core.messages import Message
from bot.core.people import from_row
from bot.cli import main
from reports.actions import ActionRefused, read_action
from reports.content import build_report, quarter_label
from reports.deck import deck_bytes

Q2 = quarter_label("2026/27 Q2")
BUILT = date(2026, 11, 27)
SERVICES = ["Adult Services", "Children's Services", "City Environment", "City Housing", "Economy and Skills",
            "Finance", "Governance", "Public Health"]
DEMO_REDS = {"CRIME_RATE", "RESIDUAL_WASTE", "HOMELESS_PREVENTIONS", "BUDGET_VARIATION", "STAFF_RETENTION",
             "CONTACT_SATISFACTION"}
CHLOE = "chloe.young@demo-council.example"        # owns CRIME_RATE (City Environment)
IMRAN_CLARKE = "imran.clarke@demo-council.example"  # director of City Environment


def slides_of(data: bytes) -> list[tuple[str, str, list[Picture]]]:
    """(title, every text on the slide, pictures) for each slide."""
    deck = Presentation(io.BytesIO(data))
    found = []
    for slide in deck.slides:
        texts = []
        for shape in slide.shapes:
            if shape.has_text_frame:
                texts.append(shape.text_frame.text)
            if getattr(shape, "has_table", False) and shape.has_table:
                texts.extend(cell.text for row in shape.table.rows for cell in row.cells)
        title = slide.shapes.title.text if slide.shapes.title is not None else ""
        found.append((title, "\n".join(texts), [s for s in slide.shapes if isinstance(s, Picture)]))
    return found


def slide_titled(slides, start: str) -> list[tuple[str, str, list[Picture]]]:
    return [s for s in slides if s[0].startswith(start)]


def say(bot: Bot, store, email: str, text: str) -> str:
    person = from_row(store.person(email))
    replies = bot.handle(Message(text, person, "report-test"))
    return "\n".join(getattr(r, "text", "") for r in replies)


@pytest.fixture(scope="module")
def demo_deck(demo_store):
    report = build_report(demo_store, Q2, as_at=BUILT)
    return report, slides_of(deck_bytes(demo_store, report))


def test_every_slide_has_a_title_and_every_picture_alt_text(demo_deck):
    _, slides = demo_deck
    assert all(title.strip() for title, _, _ in slides)
    pictures = [p for _, _, ps in slides for p in ps]
    assert len(pictures) >= 1 + len(DEMO_REDS)  # the council scorecard and a trend for each red
    for picture in pictures:
        assert len(picture._element.nvPicPr.cNvPr.get("descr", "")) > 40


def test_the_deck_has_a_cover_contents_an_overview_and_each_services_pages(demo_deck):
    report, slides = demo_deck
    assert slides[0][0] == "Corporate performance report"
    assert "Wolverhampton" in slides[0][1] and "Quarter 2, 2026/27: July to September 2026" in slides[0][1]
    assert "Figures as at 27 November 2026" in slides[0][1]
    assert slides[1][0] == "Contents, 2026/27 Q2"
    assert slides[2][0] == "Council overview, 2026/27 Q2"
    for service in report.services:
        assert slide_titled(slides, f"{service.name}: summary, 2026/27 Q2"), service.name
        for page in ("red measures", "improvement approach"):
            assert bool(slide_titled(slides, f"{service.name}: {page}, 2026/27 Q2")) == bool(service.reds), (service, page)
    assert slide_titled(slides, "Appendix: every measure, 2026/27 Q2")


def test_the_numbers_agree_with_the_store(demo_store, demo_deck):
    report, slides = demo_deck
    assert {m.code for m in report.measures if m.rag == "red"} == DEMO_REDS
    overview = slides[2][1]
    assert "Council\n6\n13\n14\n7" in overview  # red, amber, green, no target
    crime = next(m for m in report.measures if m.code == "CRIME_RATE")
    stored = demo_store.observations(["CRIME_RATE"], [report.council_code])
    assert crime.value == float(stored[stored["period"] == "2026/27 Q2"]["value"].iloc[0]) == 27.9
    reds_page = slide_titled(slides, "City Environment: red measures")[0][1]
    assert "27.9 per 1,000\nagainst a target of 26.5 per 1,000 \u00b7 2026/27 Q2" in reds_page
    summary = slide_titled(slides, "City Environment: summary")[0][1]
    assert "27.9 per 1,000  \u00b7  \u00d7 Red" in summary
    appendix = "\n".join(text for title, text, _ in slide_titled(slides, "Appendix"))
    assert all(m.name in appendix for m in report.measures)
    assert appendix.count("\u00d7 Red") == len(DEMO_REDS)


def test_a_red_without_commentary_says_so_and_a_value_from_before_the_quarter_is_marked_carried(demo_deck):
    _, slides = demo_deck
    reds = "\n".join(text for title, text, _ in slides if ": red measures" in title)
    assert reds.count("Commentary outstanding: the") == len(DEMO_REDS)
    finance = slide_titled(slides, "Finance: red measures")[0][1]
    assert "Net variation to revenue budget" in finance
    assert "Carried from 2026/27 Q1: the 2026/27 Q2 return is outstanding" in finance
    good = slide_titled(slides, "Children's Services: what's going well and what's not")[0][1]
    assert "fell from 5.4% in Aug 2026 to 5.3% (lower is better)" in good


def test_commentary_and_an_action_given_in_chat_show_up_in_the_next_deck(store, tmp_path):
    bot = Bot(store, today=lambda: BUILT)
    text = say(bot, store, IMRAN_CLARKE, "commentary for CRIME_RATE 2026/27 Q2")
    assert "Please reply with your commentary" in text
    assert "commentary is recorded" in say(bot, store, IMRAN_CLARKE, "Burglary rose in Heath Town; patrols are being targeted there.")
    q1 = tmp_path / "crime_q1.csv"
    q1.write_text("indicator_code,geography_code,period,value\nCRIME_RATE,E08000031,2026/27 Q1,28.6\n")
    store.import_files([q1])  # red in Q1 as well: a persistent red
    answer = say(bot, store, CHLOE, "add an action for CRIME_RATE: targeted patrols in Heath Town, Inspector Khan, by 31 January")
    assert "Recorded" in answer and "31 January 2027" in answer
    slides = slides_of(deck_bytes(store, build_report(store, Q2, as_at=BUILT)))
    crime, waste = (text for _, text, _ in slide_titled(slides, "City Environment: red measures"))
    assert "Director's commentary\n“Burglary rose in Heath Town; patrols are being targeted there.”" in crime
    assert "Commentary outstanding" not in crime and "Commentary outstanding" in waste  # residual waste still has none
    approach = slide_titled(slides, "City Environment: improvement approach")[0][1]
    assert "• Targeted patrols in Heath Town — Inspector Khan, by 31 January 2027" in approach
    assert "Red for 2 periods in a row: escalate to the corporate performance group" in approach
    assert approach.count("No improvement action recorded yet.") == 1
    audit = [row for row in _audit(store) if row[0] == "improvement_action"]
    assert audit == [("improvement_action", CHLOE)]


def test_a_bad_action_gets_one_line_saying_how_to_write_it():
    with pytest.raises(ActionRefused, match="what, who, by when"):
        read_action("targeted patrols", BUILT)
    with pytest.raises(ActionRefused, match="couldn't read “the twelfth of never” as a date"):
        read_action("patrols, Inspector Khan, by the twelfth of never", BUILT)
    assert read_action("patrols, Inspector Khan, by 31 January", BUILT).due == date(2027, 1, 31)


def test_perfbot_report_writes_the_deck_and_refuses_a_bad_quarter(demo_store, tmp_path, capsys):
    out = tmp_path / "q2.pptx"
    database_url = demo_store.engine.url.render_as_string(hide_password=False)
    assert main(["--database", database_url, "report", "--quarter", "2026/27 Q2", "--out", str(out),
                 "--today", "2026-11-27"]) == 0
    assert ("2026/27 Q2 as at 27 November 2026, 8 services, 40 measures, 6 red (6 without commentary, 0 escalated), "
            "7 returns outstanding.") in capsys.readouterr().out
    slides = slides_of(out.read_bytes())
    assert slides[0][0] == "Corporate performance report"
    assert main(["--database", database_url, "report", "--quarter", "2026/27", "--out", str(out)]) == 2
    assert "write it as “2026/27 Q2”" in capsys.readouterr().err
    assert main(["--database", database_url, "report", "--quarter", "2026/27 Q2", "--service", "Parks",
                 "--out", str(tmp_path / "x.pptx")]) == 2
    assert "There is no service called “Parks”" in capsys.readouterr().err


def test_perfbot_ask_saves_the_deck_it_is_sent(demo_store, tmp_path, capsys):
    database_url = demo_store.engine.url.render_as_string(hide_password=False)
    assert main(["--database", database_url, "ask", "send me the Q2 report", "--as", "zoe.gill@demo-council.example",
                 "--today", "2026-11-27", "--save-charts", str(tmp_path)]) == 0
    saved = tmp_path / "cpr-2026-27-Q2.pptx"
    assert f"saved to {saved}]" in capsys.readouterr().out
    assert slides_of(saved.read_bytes())[2][0] == "Council overview, 2026/27 Q2"


def test_one_service_only(demo_store):
    slides = slides_of(deck_bytes(demo_store, build_report(demo_store, Q2, ["children's services"], BUILT)))
    front = ("Corporate performance report", "Contents", "Council overview", "Returns outstanding", "Appendix")
    services = {title.split(":")[0] for title, _, _ in slides if not title.startswith(front)}
    assert services == {"Children's Services"}


def _audit(store):
    with store.engine.connect() as connection:
        return [tuple(r) for r in connection.execute(text(
            "SELECT entity, actor FROM audit_log WHERE entity = 'improvement_action'"))]
