"""Notification settings from the environment: where leadership hears about reds, and when the
weekly digests go out.

| variable | default | meaning |
|---|---|---|
| PERFBOT_LEADERSHIP_CHANNELS | (none) | comma-separated chat channels that get every red alert and the leadership digest: `slack:C0123` (a Slack channel id) or `teams:19:abc@thread.tacv2` (a Teams channel the bot has been added to) |
| PERFBOT_DIGEST_DAY | monday | the weekday the weekly digests are sent |
| PERFBOT_DIGEST_TIME | 08:30 | the time (Europe/London) they are sent from |
"""
from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import time

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
CHANNEL_PREFIXES = ("slack:", "teams:")


@dataclass(frozen=True)
class NotificationSettings:
    """Leadership channels and the digest schedule (weekday 0 = Monday, London time)."""

    leadership_channels: tuple[str, ...] = ()
    digest_weekday: int = 0
    digest_time: time = field(default=time(8, 30))

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> NotificationSettings:
        """Read PERFBOT_LEADERSHIP_CHANNELS, PERFBOT_DIGEST_DAY and PERFBOT_DIGEST_TIME; refuse bad values."""
        env = os.environ if environ is None else environ
        channels = tuple(c.strip() for c in (env.get("PERFBOT_LEADERSHIP_CHANNELS") or "").split(",") if c.strip())
        wrong = [c for c in channels if not c.startswith(CHANNEL_PREFIXES) or len(c.split(":", 1)[1]) == 0]
        if wrong:
            raise ValueError(f"PERFBOT_LEADERSHIP_CHANNELS: {', '.join(wrong)} should look like slack:C0123 or "
                             "teams:19:abc@thread.tacv2")
        return cls(channels, parse_weekday(env.get("PERFBOT_DIGEST_DAY") or "monday"),
                   parse_time(env.get("PERFBOT_DIGEST_TIME") or "08:30"))


def parse_weekday(text: str) -> int:
    """0 for 'monday' or 'mon' (any case), … 6 for 'sunday'."""
    word = text.strip().lower()
    for number, name in enumerate(WEEKDAYS):
        if len(word) >= 3 and name.startswith(word):
            return number
    raise ValueError(f"PERFBOT_DIGEST_DAY: '{text}' is not a day of the week")


def parse_time(text: str) -> time:
    """A time of day written HH:MM."""
    try:
        hours, minutes = text.strip().split(":")
        return time(int(hours), int(minutes))
    except ValueError:
        raise ValueError(f"PERFBOT_DIGEST_TIME: '{text}' is not a time like 08:30") from None
