"""The Teams channel listens beyond loopback only when it authenticates (an app id), exactly as
the web channel does: otherwise anyone on the network could pose as any Teams user."""
from __future__ import annotations

import subprocess
import sys

import pytest

from bot.teams.settings import TeamsSettings


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.0.2.10", "perfbot.council.example"])
def test_an_unauthenticated_channel_refuses_to_listen_beyond_loopback(host: str) -> None:
    with pytest.raises(ValueError, match=f"TEAMS_HOST={host} would let anyone reach the unauthenticated"):
        TeamsSettings.from_env({"TEAMS_HOST": host})


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1", ""])
def test_an_unauthenticated_channel_may_listen_on_loopback(host: str) -> None:
    assert TeamsSettings.from_env({"TEAMS_HOST": host}).bind_host in ("127.0.0.1", "localhost", "::1")


def test_an_authenticated_channel_may_listen_anywhere() -> None:
    env = {"TEAMS_HOST": "0.0.0.0", "MICROSOFT_APP_ID": "app", "MICROSOFT_APP_PASSWORD": "secret"}
    assert TeamsSettings.from_env(env).bind_host == "0.0.0.0"


def test_perfbot_serve_teams_says_why_it_will_not_start(tmp_path) -> None:
    env = {"TEAMS_HOST": "0.0.0.0", "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-m", "bot.cli", "--database", f"sqlite:///{tmp_path / 'p.db'}",
                             "serve", "teams", "--no-scheduler"], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert result.stderr.startswith("Cannot start the teams channel: TEAMS_HOST=0.0.0.0 would let anyone reach")
