"""Issue 28 in the web demo, in headless Chromium against the real `python -m bot.web` process, at a
phone's and a desktop's width: Maya Rowe asks for her return template, fills in NEET for November
and her children-looked-after return, drops it in with the attach control, sees the preview and
confirms — the values are recorded, her reminders for them stop, the red value asks for commentary
and reaches the director; a second file with a measure she does not own shows it refused. Also the
API: a body past the limit is refused before it is read."""
from __future__ import annotations

import io
import sqlite3
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from .conftest import ChatPage, Demo, client_for

MAYA = "maya.rowe@demo-council.example"
IMRAN = "imran.jones@demo-council.example"
WIDTHS = {"phone": (390, 844), "desktop": (1280, 800)}
ALERT_SECONDS = 10  # the demo's scheduler looks for new work every 2 s


@pytest.fixture(params=sorted(WIDTHS))
def width(request, chat: ChatPage) -> str:
    """The page at a phone's or a desktop's width."""
    w, h = WIDTHS[request.param]
    chat.tab.set_viewport_size({"width": w, "height": h})
    return request.param


def fill(path: Path, values: dict[tuple[str, str], float], extra: list[list] = ()) -> bytes:
    """The downloaded template with values typed into its value column (and rows added)."""
    book = openpyxl.load_workbook(path)
    sheet = book["Returns"]
    header = [cell.value for cell in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        key = (row[header.index("indicator_code")].value, row[header.index("period")].value)
        if key in values:
            row[header.index("value")].value = values[key]
    for row in extra:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def attach(chat: ChatPage, name: str, data: bytes) -> Any:
    """Drop a file in with the attach control; returns the answer."""
    before = chat.answers().count()
    chat.tab.set_input_files("#compose-file", files=[{"name": name, "mimeType": "application/octet-stream",
                                                      "buffer": data}])
    answer = chat.answers().nth(before)
    chat.expect(answer).to_be_visible()
    return answer


def test_maya_sends_her_return_as_a_spreadsheet_and_confirms_it(chat: ChatPage, width: str, running_demo: Any,
                                                               demo_database: Path, screenshots: Path,
                                                               tmp_path: Path) -> None:
    chat.talk_as(MAYA)
    chat.move_clock("2026-12-03")
    due = chat.ask("what's due from me?")
    chat.expect(due).to_contain_text("November 2026")
    answer = chat.ask("send me my return template")
    link = answer.get_by_role("link", name="Download your return template")
    with chat.tab.expect_download() as download:
        link.click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.suffix == ".xlsx"
    data = fill(saved, {("NEET", "2026-11"): 6.9, ("CLA_RATE", "2026/27 Q2"): 88})

    preview = attach(chat, "maya-return.xlsx", data)
    chat.expect(chat.log().locator(".message--mine").last).to_contain_text("📎 maya-return.xlsx")
    chat.expect(preview).to_contain_text("Nothing is recorded until you confirm")
    chat.expect(preview).to_contain_text("November 2026: 6.9% — 🔴 red")
    chat.expect(preview).to_contain_text("Q2 2026/27: 88 per 10,000 — 🟢 green")
    preview.get_by_role("button", name="Confirm").scroll_into_view_if_needed()
    chat.tab.screenshot(path=str(screenshots / f"web-demo-{width}-return-preview.png"))
    with sqlite3.connect(demo_database) as connection:
        assert connection.execute("SELECT count(*) FROM observation WHERE indicator_code = 'NEET' "
                                  "AND period = '2026-11'").fetchone() == (0,)

    done = chat.click(preview, "Confirm")
    chat.expect(done).to_contain_text("Recorded from maya-return.xlsx, as submitted by Maya Rowe")
    chat.expect(done).to_contain_text("please reply with a short commentary")
    chat.tab.screenshot(path=str(screenshots / f"web-demo-{width}-return-confirmed.png"))
    with sqlite3.connect(demo_database) as connection:
        assert connection.execute("SELECT value, recorded_by, source FROM observation WHERE indicator_code = 'NEET' "
                                  "AND period = '2026-11' AND superseded_at IS NULL").fetchall() == [
            (6.9, MAYA, "submitted by Maya Rowe from maya-return.xlsx")]
    chat.expect(chat.ask("Sixteen leavers lost their college places; the team is calling each one")).to_contain_text(
        "commentary is recorded")
    owed = chat.ask("what's due from me?")
    chat.expect(owed).not_to_contain_text("November 2026")
    chat.expect(owed).not_to_contain_text("Q2 2026/27")

    second = attach(chat, "second.xlsx", fill(saved, {("NEET", "2026-10"): 5.3}, extra=[
        ["TEMP_ACCOMMODATION", "Households in temporary accommodation", "E08000031", "Wolverhampton", "2026-11",
         "November 2026", None, None, None, 310]]))
    chat.expect(second).to_contain_text("Refused — not yours to submit")
    chat.expect(second).to_contain_text("Households in temporary accommodation (owner Amira Ahmed)")
    second.scroll_into_view_if_needed()
    chat.tab.screenshot(path=str(screenshots / f"web-demo-{width}-return-refused.png"))

    chat.talk_as(IMRAN)  # the director of Children's Services
    alert = chat.log().locator(".message--notification", has_text="16-17 year olds not in education")
    chat.expect(alert).to_have_count(1, timeout=ALERT_SECONDS * 1000)
    chat.expect(alert).to_contain_text("6.9%")
    alert.scroll_into_view_if_needed()
    chat.tab.screenshot(path=str(screenshots / f"web-demo-{width}-return-director-alert.png"))


async def test_a_body_past_the_limit_is_refused_before_it_is_read(demo: Demo) -> None:
    async with client_for(demo.app()) as client:
        response = await client.post("/api/messages", data=b"{" + b" " * (8 * 2 ** 20) + b"}",
                                     headers={"Content-Type": "application/json"})
        assert response.status == 413
        assert (await response.json())["error"] == "A file sent in the chat can be at most 5 MB; nothing was read."
        response = await client.post("/api/messages", json={"as": MAYA, "conversation": "c", "file": {
            "name": "huge.xlsx", "size": 100 * 2 ** 20}})
        text = " ".join(block["p"][0]["text"] for reply in (await response.json())["replies"]
                        for block in reply.get("blocks", []) if "p" in block)
        assert "huge.xlsx is 100.0 MB; a return sent by chat can be at most 5 MB" in text
