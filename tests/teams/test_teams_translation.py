"""The Teams channel's translation rules one by one: mention stripping, Markdown, message splitting,
chart sizing, settings and the app package."""
from __future__ import annotations

import base64
import io
import json
import random
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image

from bot.core.messages import ChartReply, UnsupportedReply
from bot.teams import activities, cards
from bot.cli import main
from bot.teams.images import MAX_INLINE_BYTES, ChartImages, ChartTooLarge, png_size
from bot.teams.links import HostedLinks
from bot.teams.package import PackageSettings, write_package
from bot.teams.settings import TeamsSettings

BOT = {"id": "28:bot-app-id", "name": "perfbot"}


@pytest.mark.parametrize(
    ("text", "mentions", "expected"),
    [
        ("<at>perfbot</at> What's the latest NEET rate?", [BOT], "What's the latest NEET rate?"),
        ("<at>perfbot</at>&nbsp;how is <at>Sam Evans</at> doing?", [BOT, {"id": "29:sam", "name": "Sam Evans"}], "how is Sam Evans doing?"),
        ("<p><at>perfbot</at> show the perfbot league table</p>", [BOT], "show the perfbot league table"),
        ("<at>Perf (bot)</at> crime in A&amp;E wards", [{"id": "28:bot-app-id", "name": "Perf (bot)"}], "crime in A&E wards"),
        ("recycling   rate\n", [], "recycling rate"),
    ],
)
def test_the_bots_mention_is_removed_and_other_mentions_become_names(text, mentions, expected) -> None:
    entities = [{"type": "mention", "text": f"<at>{m['name']}</at>", "mentioned": m} for m in mentions]
    activity = {"text": text, "recipient": BOT, "entities": entities}
    assert activities.message_text(activity) == expected


def test_an_unknown_card_payload_is_not_an_action() -> None:
    assert activities.submitted_action({"value": {"somethingElse": 1}}) is None
    assert activities.submitted_action({"value": "not json"}) is None
    assert activities.submitted_action({}) is None


def test_markdown_light_becomes_teams_markdown() -> None:
    text = "*Red* indicators:\n• Crime rate (2*3 = 6)\n• **Already bold**"
    assert cards.teams_markdown(text) == "**Red** indicators:\n\n• Crime rate (2*3 = 6)\n\n• **Already bold**"


def test_a_single_huge_line_is_cut_at_spaces_within_the_limit() -> None:
    words = " ".join(f"word{n}" for n in range(3000))
    pieces = cards.split_text(words, limit=2000)
    assert all(len(piece.encode("utf-16-le")) <= 2000 for piece in pieces)
    assert " ".join(pieces) == words


def test_emoji_count_double_towards_the_limit() -> None:
    pieces = cards.split_text("📈" * 1500, limit=2000)
    assert all(len(piece.encode("utf-16-le")) <= 2000 for piece in pieces)
    assert "".join(pieces) == "📈" * 1500


def test_a_reply_kind_without_a_rendering_raises() -> None:
    @dataclass(frozen=True)
    class Poll:
        question: str

    with pytest.raises(UnsupportedReply, match="Poll"):
        cards.render([Poll("Which chart?")], ChartImages())  # type: ignore[list-item]


def test_a_chart_larger_than_teams_shows_inline_is_scaled_down(make_png) -> None:
    chart = ChartReply(make_png(2000, 800), alt_text="A wide chart.", title="Crime rate by ward")
    attachment = ChartImages().attachment(chart)
    assert attachment["name"] == "Crime-rate-by-ward.png"
    data = attachment["contentUrl"].split(",", 1)[1]
    assert png_size(base64.b64decode(data)) == (1024, 410)


def test_a_chart_over_one_megabyte_needs_a_public_url(empty_store) -> None:
    noise = Image.frombytes("RGB", (1000, 1000), random.Random(0).randbytes(3 * 1000 * 1000))
    heavy = io.BytesIO()
    noise.save(heavy, format="PNG")
    assert len(heavy.getvalue()) > MAX_INLINE_BYTES
    chart = ChartReply(heavy.getvalue(), alt_text="Noise.", title="Noise")
    with pytest.raises(ChartTooLarge):
        ChartImages().attachment(chart)
    links = HostedLinks(empty_store.engine, "https://perfbot.example", b"k" * 32, empty_store.clock)
    assert ChartImages(links).attachment(chart)["contentUrl"].startswith("https://perfbot.example/charts/")


def test_settings_come_from_the_environment_and_hide_the_password() -> None:
    settings = TeamsSettings.from_env(
        {
            "MICROSOFT_APP_ID": "app-id",
            "MICROSOFT_APP_PASSWORD": "s3cret-value",
            "MICROSOFT_APP_TENANT_ID": "tenant-1",
            "MICROSOFT_APP_TYPE": "SingleTenant",
            "TEAMS_PORT": "8080",
            "TEAMS_PUBLIC_URL": "https://perfbot.demo-council.example/",
        }
    )
    assert (settings.authenticated, settings.bind_host, settings.port) == (True, "0.0.0.0", 8080)
    assert settings.public_url == "https://perfbot.demo-council.example"
    assert "s3cret-value" not in repr(settings)
    assert TeamsSettings.from_env({}).bind_host == "127.0.0.1"
    assert TeamsSettings.from_env({"MICROSOFT_APP_TENANT_ID": "tenant-1"}).app_type == "SingleTenant"
    assert TeamsSettings.from_env({}).app_type == "MultiTenant"


@pytest.mark.parametrize(
    ("environment", "complaint"),
    [
        ({"MICROSOFT_APP_TYPE": "Anything"}, "MICROSOFT_APP_TYPE"),
        ({"MICROSOFT_APP_ID": "app-id"}, "MICROSOFT_APP_PASSWORD"),
        ({"MICROSOFT_APP_ID": "app-id", "MICROSOFT_APP_PASSWORD": "x", "MICROSOFT_APP_TYPE": "SingleTenant"}, "MICROSOFT_APP_TENANT_ID"),
        ({"MICROSOFT_APP_ID": "app-id", "MICROSOFT_APP_TYPE": "UserAssignedMSI"}, "MICROSOFT_APP_TENANT_ID"),
        ({"TEAMS_PUBLIC_URL": "http://perfbot.demo-council.example"}, "https"),
    ],
)
def test_incomplete_settings_are_refused_at_start_up(environment, complaint) -> None:
    with pytest.raises(ValueError, match=complaint):
        TeamsSettings.from_env(environment)


def test_email_identifies_people_only_in_the_councils_tenant() -> None:
    council = TeamsSettings(app_id="a", app_password="p", tenant_id="council-tenant", app_type="SingleTenant")
    assert council.trusts_email_from("council-tenant")
    assert not council.trusts_email_from("someone-elses-tenant")
    assert not TeamsSettings(app_id="a", app_password="p").trusts_email_from("council-tenant")
    assert TeamsSettings().trusts_email_from(None)


def test_the_app_package_holds_a_manifest_for_the_bot_and_both_icons(tmp_path: Path) -> None:
    settings = PackageSettings(app_id="3f1c0a44-5b2e-4a8c-9d1e-0c7b7e2b0f11",
                               developer_url="https://demo-council.example/perfbot")
    path = write_package(tmp_path / "perfbot-teams.zip", settings)

    with zipfile.ZipFile(path) as package:
        assert sorted(package.namelist()) == ["color.png", "manifest.json", "outline.png"]
        manifest = json.loads(package.read("manifest.json"))
        color = Image.open(io.BytesIO(package.read("color.png")))
        outline = Image.open(io.BytesIO(package.read("outline.png")))
    assert manifest["id"] == manifest["bots"][0]["botId"] == settings.app_id
    assert manifest["bots"][0]["scopes"] == ["personal", "team", "groupChat"]
    assert manifest["developer"]["privacyUrl"] == "https://demo-council.example/perfbot"
    assert len(manifest["name"]["short"]) <= 30 and len(manifest["description"]["short"]) <= 80
    assert all(len(command["title"]) <= 32 for command in manifest["bots"][0]["commandLists"][0]["commands"])
    assert (color.size, color.getpixel((0, 0))[3]) == ((192, 192), 255)
    assert (outline.size, outline.getpixel((0, 0))[3]) == ((32, 32), 0)
    assert {colour for _, colour in outline.getcolors()} == {(0, 0, 0, 0), (255, 255, 255, 255)}


def test_a_package_needs_the_bot_id_and_an_https_page(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="MICROSOFT_APP_ID"):
        write_package(tmp_path / "perfbot.zip", PackageSettings(app_id="", developer_url="https://demo-council.example"))
    with pytest.raises(ValueError, match="TEAMS_DEVELOPER_URL"):
        write_package(tmp_path / "perfbot.zip", PackageSettings(app_id="a"))
    assert list(tmp_path.iterdir()) == []


def test_perfbot_teams_package_needs_no_client_secret(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    for name in ("MICROSOFT_APP_PASSWORD", "MICROSOFT_APP_TENANT_ID", "MICROSOFT_APP_TYPE", "TEAMS_DEVELOPER_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("MICROSOFT_APP_ID", "3f1c0a44-5b2e-4a8c-9d1e-0c7b7e2b0f11")
    monkeypatch.setenv("TEAMS_PUBLIC_URL", "https://perfbot.demo-council.example/")
    out = tmp_path / "perfbot-teams.zip"
    assert main(["teams-package", "--out", str(out)]) == 0, capsys.readouterr().err
    with zipfile.ZipFile(out) as package:
        manifest = json.loads(package.read("manifest.json"))
    assert manifest["developer"]["websiteUrl"] == "https://perfbot.demo-council.example"
    monkeypatch.delenv("MICROSOFT_APP_ID")
    assert main(["teams-package", "--out", str(tmp_path / "again.zip")]) == 2
    assert "MICROSOFT_APP_ID is required" in capsys.readouterr().err
