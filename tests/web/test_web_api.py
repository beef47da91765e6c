"""The web demo's JSON API and safeguards with aiohttp's test client, on the real core and a store
holding the sample data (no browser): who is in the picker, answers as each person sees them,
buttons and forms, the inbox and the demo clock, and the requests that must be refused."""
from __future__ import annotations

import base64
import io
from typing import Any

from aiohttp.test_utils import TestClient
from PIL import Image

from bot.web.settings import WebSettings

from .conftest import Demo, client_for

FARID = "cllr.farid.mistry@demo-council.example"
MAYA = "maya.rowe@demo-council.example"
BEN = "ben.singh@demo-council.example"
CHLOE = "chloe.young@demo-council.example"
TOKEN = "a-long-enough-demo-token"


async def say(client: TestClient, who: str, text: str | None = None, action: dict | None = None,
              conversation: str = "test") -> list[dict[str, Any]]:
    """Post a message as `who` and return the replies as JSON."""
    body: dict[str, Any] = {"as": who, "conversation": conversation}
    body.update({"text": text} if action is None else {"action": action})
    response = await client.post("/api/messages", json=body)
    assert response.status == 200, await response.text()
    return (await response.json())["replies"]


def shown(replies: list[dict[str, Any]]) -> str:
    """The text a person reads in these replies (runs joined, lists as lines)."""
    lines = []
    for reply in replies:
        for block in reply.get("blocks", []):
            items = block.get("ul") or block.get("ol") or [block.get("p", [])]
            lines += ["".join(run["text"] for run in item) for item in items]
    return "\n".join(lines)


async def test_the_picker_groups_people_by_what_they_do(demo: Demo) -> None:
    async with client_for(demo.app()) as client:
        data = await (await client.get("/api/people")).json()
    groups = {group["group"]: {p["email"]: p for p in group["people"]} for group in data["groups"]}
    assert [g["group"] for g in data["groups"]] == ["Leadership", "Directors", "Cabinet members", "Ward councillors",
                                                     "KPI owners", "Performance team", "Officers and delegates",
                                                     "Anyone else"]
    assert data["council"] == "Wolverhampton"
    assert groups["Ward councillors"][FARID]["role"] == "Councillor for Park"
    assert groups["Ward councillors"][FARID]["short"] == "Park"
    assert groups["Leadership"][BEN]["role"] == "Leader of the council"
    assert groups["Directors"]["imran.jones@demo-council.example"]["examples"][0] == "How is Children's Services doing?"
    assert groups["KPI owners"][MAYA]["role"] == ("KPI owner, Children's Services: Children in low income families; "
                                                  "Children looked after per 10,000… and 3 more")
    assert groups["Officers and delegates"]["kate.young@demo-council.example"]["role"] == \
        "Officer, Children's Services; delegate for Maya Rowe"
    assert groups["Cabinet members"]["cllr.priya.evans@demo-council.example"]["role"] == \
        "Cabinet member for Children and Young People; councillor for Bilston North"
    assert list(groups["Anyone else"]) == [""]
    assert data["clock"]["label"] == "Fri 27 Nov 2026, 09:00"


async def test_a_councillor_is_answered_about_their_ward(demo: Demo) -> None:
    async with client_for(demo.app()) as client:
        replies = await say(client, FARID, "unemployment in my ward vs region")
    assert shown(replies).splitlines()[:3] == [
        "Claimant count rate · Park vs West Midlands · October 2026", "Park: 6.2%",
        "West Midlands: 5.7% (Park is 0.5 percentage points higher — worse)"]
    assert replies[0]["blocks"][1]["ul"][0] == [{"text": "Park: "}, {"text": "6.2%", "style": "strong"}]


async def test_a_chart_arrives_as_a_png_with_alt_text(demo: Demo) -> None:
    async with client_for(demo.app()) as client:
        replies = await say(client, BEN, "Show me the trend in recycling since 2023")
    chart = next(r for r in replies if r["kind"] == "chart")
    assert chart["src"].startswith("data:image/png;base64,")
    image = Image.open(io.BytesIO(base64.b64decode(chart["src"].split(",", 1)[1])))
    assert image.format == "PNG" and image.width >= 600
    assert "recycl" in chart["alt"].lower() and chart["title"].startswith("Household waste reused")


async def test_a_clarification_is_answered_by_its_button(demo: Demo) -> None:
    async with client_for(demo.app()) as client:
        asked = await say(client, BEN, "life expectancy")
        choices = next(r for r in asked if r["kind"] == "choices")["choices"]
        female = next(c for c in choices if "female" in c["label"])
        answered = await say(client, BEN, action={"choice": female["value"]})
    assert shown(answered).startswith("Life expectancy at birth (female) · Wolverhampton · 2025/26: 79.4 years")


async def test_an_owner_submits_with_the_form_and_the_return_is_no_longer_owed(demo: Demo) -> None:
    async with client_for(demo.app()) as client:
        form = next(r for r in await say(client, MAYA, "submit value") if r["kind"] == "form")
        assert [f["name"] for f in form["fields"]] == ["return", "indicator", "period", "value"]
        recorded = await say(client, MAYA, action={"form": form["form_id"],
                                                   "values": {"indicator": "NEET", "period": "October 2026",
                                                              "value": "5.4"}})
        owed = await say(client, MAYA, "What returns do I owe?")
    assert shown(recorded).startswith("Recorded: 16-17 year olds not in education, employment or training (NEET) "
                                      "or not known, October 2026 = 5.4%.")
    assert "2026-10" not in shown(owed)
    with demo.store.engine.connect() as connection:
        audited = connection.exec_driver_sql(
            "SELECT actor, at FROM audit_log WHERE entity = 'observation' ORDER BY id DESC LIMIT 1").one()
    assert audited[0] == MAYA and str(audited[1]).startswith("2026-11-27 09:00")


async def test_a_visitor_gets_published_figures_only(demo: Demo) -> None:
    async with client_for(demo.app()) as client:
        public = await say(client, "", "unemployment in Park")
        private = await say(client, "", "What returns do I owe?")
    assert shown(public).startswith("Claimant count rate · Park · October 2026: 6.2%")
    assert shown(private).startswith("I don't recognise you")


async def test_messages_that_are_not_right_are_refused_with_a_reason(demo: Demo) -> None:
    shape = 'An action is {"choice": value} or {"form": id, "values": {name: text}}.'
    bad = [
        ({"as": "nobody@example.com", "text": "hello"}, "Nobody with that e-mail is in the people table."),
        ({"as": BEN, "text": "   "}, "Type a question or a value."),
        ({"as": BEN, "text": "x" * 2001}, "Messages are at most 2,000 characters."),
        ({"as": BEN, "action": {"choice": 3}}, shape),
        ({"as": BEN, "action": {"form": "submit-value", "values": {"value": ["5"]}}}, shape),
        ({"as": BEN, "text": "hi", "conversation": "../../etc"},
         "A conversation id is 1–64 letters, digits, '-' or '_'."),
    ]
    async with client_for(demo.app()) as client:
        for body, reason in bad:
            response = await client.post("/api/messages", json=body)
            assert (response.status, (await response.json())["error"]) == (400, reason)
        not_json = await client.post("/api/messages", data="as=x&text=hello",
                                     headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert not_json.status == 415


async def test_requests_from_other_sites_or_names_are_refused(demo: Demo) -> None:
    async with client_for(demo.app()) as client:
        cross_site = await client.post("/api/messages", json={"as": BEN, "text": "help"},
                                       headers={"Origin": "http://evil.example"})
        rebound = await client.get("/api/people", headers={"Host": "evil.example:8080"})
        same_site = await client.post("/api/messages", json={"as": BEN, "text": "help"},
                                      headers={"Origin": str(client.make_url("")).rstrip("/")})
    assert cross_site.status == 403
    assert rebound.status == 421
    assert same_site.status == 200


async def test_every_response_forbids_inline_script_and_framing(demo: Demo) -> None:
    async with client_for(demo.app()) as client:
        for path in ("/", "/static/app.js", "/api/people", "/no-such-page"):
            response = await client.get(path)
            policy = response.headers["Content-Security-Policy"]
            assert "script-src 'self'" in policy and "default-src 'none'" in policy, path
            assert "frame-ancestors 'none'" in policy and response.headers["X-Content-Type-Options"] == "nosniff"
        page = await (await client.get("/")).text()
    assert '<script src="/static/app.js" defer></script>' in page and "<script>" not in page


async def test_moving_the_clock_delivers_the_reminders_due_then(demo: Demo) -> None:
    async with client_for(demo.app()) as client:
        empty = await (await client.get(f"/api/inbox?as={CHLOE}&after=0")).json()
        moved = await (await client.post("/api/clock", json={"date": "2026-12-10", "time": "09:00"})).json()
        inbox = await (await client.get(f"/api/inbox?as={CHLOE}&after=0")).json()
        latest = inbox["messages"][-1]["id"]
        nothing_new = await (await client.get(f"/api/inbox?as={CHLOE}&after={latest}")).json()
        answer = await say(client, CHLOE, "What returns do I owe?")
    assert empty["messages"] == []
    assert moved["clock"]["label"] == "Thu 10 Dec 2026, 09:00" and moved["clock"]["working"] is True
    assert {"email": CHLOE, "name": "Chloe Young", "count": 1} in moved["delivered"]
    assert moved["queued"] > 0 and moved["note"] == ""
    [reminder] = inbox["messages"]
    assert (reminder["kind"], reminder["at_label"]) == ("Reminder", "Thu 10 Dec 2026, 09:00")
    assert "Fly-tipping incidents, November 2026 — due today" in shown(reminder["replies"]).splitlines()
    assert any(r["kind"] == "choices" for r in reminder["replies"])
    assert nothing_new["messages"] == []
    assert "due Thu 10 Dec 2026" in shown(answer)  # the bot's today follows the demo clock


async def test_the_clock_moves_only_forward_and_holds_messages_outside_working_hours(demo: Demo) -> None:
    async with client_for(demo.app()) as client:
        back = await client.post("/api/clock", json={"date": "2026-11-20"})
        refusal = await back.json()
        saturday = await (await client.post("/api/clock", json={"date": "2026-12-12", "time": "10:00"})).json()
        garbled = await client.post("/api/clock", json={"date": "next week"})
    assert back.status == 409
    assert refusal["error"] == "The demo clock only moves forward: it is already Fri 27 Nov 2026, 09:00."
    assert saturday["delivered"] == [] and saturday["clock"]["working"] is False
    assert saturday["note"].startswith("Sat 12 Dec 2026, 10:00 is outside working hours (08:30–17:30")
    assert garbled.status == 400


async def test_a_visitor_has_no_inbox(demo: Demo) -> None:
    async with client_for(demo.app()) as client:
        data = await (await client.get("/api/inbox?as=&after=0")).json()
        bad_after = await client.get(f"/api/inbox?as={CHLOE}&after=last")
    assert data["messages"] == [] and bad_after.status == 400


async def test_with_a_token_visitors_sign_in_first(demo: Demo) -> None:
    async with client_for(demo.app(WebSettings(host="127.0.0.1", port=0, auth_token=TOKEN))) as client:
        page = await client.get("/", allow_redirects=False)
        api = await client.get("/api/people")
        wrong = await client.post("/login", data={"token": "not-the-token-at-all"}, allow_redirects=False)
        wrong_page = await wrong.text()
        right = await client.post("/login", data={"token": TOKEN}, allow_redirects=False)
        signed_in = await client.get("/api/people")
        client.session.cookie_jar.clear()
        signed_out = await client.get("/api/clock")
        bearer = await client.get("/api/clock", headers={"Authorization": f"Bearer {TOKEN}"})
    assert (page.status, page.headers["Location"]) == (303, "/login")
    assert api.status == 401
    assert wrong.status == 401 and "That is not the demo" in wrong_page
    assert right.status == 303 and TOKEN not in right.headers["Set-Cookie"]
    assert "HttpOnly" in right.headers["Set-Cookie"] and "SameSite=Strict" in right.headers["Set-Cookie"]
    assert (signed_in.status, signed_out.status, bearer.status) == (200, 401, 200)
