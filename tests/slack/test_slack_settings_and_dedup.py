"""Configuration from the environment, and the bounded memory of events already answered."""
from __future__ import annotations

import threading

import pytest

from bot.slack.dedup import SeenKeys, event_keys
from bot.slack.settings import SlackSettings, SlackSettingsError


def test_settings_from_the_environment() -> None:
    settings = SlackSettings.from_env({
        "SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s3cret", "SLACK_API_URL": "http://127.0.0.1:9/api",
        "SLACK_PORT": "8080", "SLACK_WORKERS": "4",
    })
    assert (settings.port, settings.workers, settings.socket_mode) == (8080, 4, False)
    assert settings.base_url == "http://127.0.0.1:9/api/"
    assert "xoxb-1" not in repr(settings) and "s3cret" not in repr(settings)


def test_an_app_token_means_socket_mode_without_a_signing_secret() -> None:
    settings = SlackSettings.from_env({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1"})
    assert settings.socket_mode and settings.base_url is None and settings.port == 3000


@pytest.mark.parametrize(
    ("env", "complaint"),
    [
        ({"SLACK_SIGNING_SECRET": "s"}, "SLACK_BOT_TOKEN"),
        ({"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_APP_TOKEN"),
        ({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1", "SLACK_PORT": "http"}, "SLACK_PORT"),
    ],
)
def test_settings_that_cannot_run_say_what_is_missing(env: dict[str, str], complaint: str) -> None:
    with pytest.raises(SlackSettingsError, match=complaint):
        SlackSettings.from_env(env)


def test_seen_keys_forget_the_oldest_beyond_capacity() -> None:
    seen = SeenKeys(capacity=3)
    assert [seen.first_time(k) for k in "abca"] == [True, True, True, False]
    assert seen.first_time("d") and len(seen) == 3
    assert seen.first_time("b")  # the oldest was forgotten ('a' was refreshed when seen again)


def test_only_one_of_many_concurrent_deliveries_is_first() -> None:
    seen, results = SeenKeys(), []
    barrier = threading.Barrier(16)

    def deliver() -> None:
        barrier.wait()
        results.append(seen.first_time("event:Ev1", "message:D1:1.1"))

    threads = [threading.Thread(target=deliver) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False] * 15 + [True]


def test_event_keys_name_the_delivery_and_the_message() -> None:
    body = {"type": "event_callback", "event_id": "Ev1",
            "event": {"type": "message", "channel": "D1", "ts": "1.1", "client_msg_id": "m-1"}}
    assert event_keys(body) == ("slack:event:Ev1", "slack:client_msg:m-1", "slack:message:D1:1.1")
    assert event_keys({"event_id": "Ev2", "event": {"type": "reaction_added"}}) == ("slack:event:Ev2",)
