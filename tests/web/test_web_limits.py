"""The web chat closes a half-sent request and refuses JSON nested 100,000 deep with 400 (issue 24,
item 11; the other servers in tests/test_http_limits.py)."""
from __future__ import annotations

import pytest

from bot import workers
from tests.test_http_limits import closing_and_deep, served


@pytest.fixture(autouse=True)
def short_header_timeout(monkeypatch) -> None:
    monkeypatch.setattr(workers, "HEADER_SECONDS", 1.0)


async def test_the_web_chat(demo) -> None:  # async: run on a loop of its own (see tests/web/conftest.py)
    held, status, said = await served(demo.app(), closing_and_deep("/api/messages"))
    assert held < 3.0
    assert status == 400 and "nested too deeply" in said
