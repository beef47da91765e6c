"""The notifications issue 19 is about, as a visitor sees them in headless Chromium against the real
`python -m bot.web` process: a value that turns red reaches the council leader's inbox (and the
cabinet member's) with no leadership channel configured, and carries the commentary given before it
was sent instead of asking for it again."""
from __future__ import annotations

from pathlib import Path

from .conftest import ChatPage

KATE = "kate.young@demo-council.example"          # delegate of Maya Rowe, who owns CLA_RATE
BEN = "ben.singh@demo-council.example"            # the council's leader
PRIYA = "cllr.priya.evans@demo-council.example"   # cabinet member for Children and Young People
COMMENT = "Two large sibling groups came into care in August."


def test_a_red_value_reaches_the_leaders_inbox_with_its_commentary(chat: ChatPage, screenshots: Path) -> None:
    chat.talk_as(KATE)
    recorded = chat.ask("CLA rate for 2026/27 Q2 is 95")
    chat.expect(recorded).to_contain_text("red against the 2026/27 target")
    chat.expect(chat.ask(COMMENT)).to_contain_text("your commentary is recorded")
    chat.move_clock("2026-11-27", "10:00")      # the scheduler's next run, at once
    for who in (BEN, PRIYA):
        chat.talk_as(who)
        alert = chat.log().locator(".message--notification", has_text="Children looked after per 10,000 children")
        chat.expect(alert).to_have_count(1)
        chat.expect(alert).to_contain_text(f"Commentary from Kate Young, 27 Nov 2026: “{COMMENT}”")
        chat.expect(alert).not_to_contain_text("Please add a commentary")
        chat.expect(alert.get_by_role("button", name="Add commentary")).to_have_count(0)
        chat.expect(alert.get_by_role("button", name="Show trend")).to_be_visible()
    chat.talk_as(BEN)
    alert = chat.log().locator(".message--notification", has_text="Children looked after per 10,000 children")
    chat.expect(alert).to_contain_text("You get this because the council's leader hears of every red.")
    chat.tab.screenshot(path=str(screenshots / "web-demo-leader-alert.png"))
