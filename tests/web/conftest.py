"""Test support for the web demo: the app on a real store with a demo clock for API tests (run on a
fresh event loop), the real `python -m bot.web` process on a free port, and headless Chromium (Debian's
`chromium`, driven by Playwright) for end-to-end tests — skipped where either is missing, and the
run's summary ends saying so and how to install them (PERFBOT_TEST_CHROMIUM names another browser)."""
from __future__ import annotations

import asyncio
import inspect
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import AsyncIterator, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timezone
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.core.bot import Bot
from bot.web.app import create_app
from bot.web.clock import DemoClock, label, london
from bot.web.scheduling import DemoScheduler
from bot.web.settings import WebSettings
from data_access.demo_store import mark_demo_store
from data_access.store import Store

DEMO_DAY = date(2026, 11, 27)
REAL_NOW = datetime(2026, 1, 5, 14, 30, tzinfo=timezone.utc)  # the frozen "real" time under the demo clock
CHROMIUM = Path(os.environ.get("PERFBOT_TEST_CHROMIUM", "/usr/bin/chromium"))
NO_CHROMIUM = (f"browser tests skipped: Chromium not found at {CHROMIUM} — install it with "
               "`apt-get install chromium fonts-noto-color-emoji` (Debian), or run "
               "`PERFBOT_INSTALL_CHROMIUM=1 scripts/test.sh`")
NO_PLAYWRIGHT = ("browser tests skipped: Playwright for Python not found — install it with "
                 "`pip install playwright` (scripts/test.sh installs it; never `playwright install`)")
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
START_TIMEOUT = 90.0
ROOT = Path(__file__).resolve().parents[2]


def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """Run `async def` tests in this folder on a fresh event loop, in a thread of its own: once a
    browser test has run, Playwright's sync API keeps a loop running in the main thread."""
    if not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    arguments = {name: pyfuncitem.funcargs[name] for name in pyfuncitem._fixtureinfo.argnames}
    with ThreadPoolExecutor(max_workers=1) as thread:
        thread.submit(asyncio.run, pyfuncitem.obj(**arguments)).result()
    return True


# --- the app in this process, for API tests -------------------------------------------------------
@dataclass
class Demo:
    """A store with the sample data, the demo's scheduler (not ticking) and clock, and the bot."""

    store: Store
    scheduler: DemoScheduler
    bot: Bot

    def app(self, settings: WebSettings | None = None) -> web.Application:
        """The web demo app on this store."""
        return create_app(settings or WebSettings(port=0), self.store, self.bot, self.scheduler)


@pytest.fixture
def demo(database_url: str) -> Iterator[Demo]:
    """The sample data on 2026-11-27 at 09:00 London, the demo clock standing still until moved."""
    clock = DemoClock.starting_on(DEMO_DAY, real=lambda: REAL_NOW)
    store = Store.open(database_url, clock=clock.now)
    store.ensure_sample_data()
    scheduler = DemoScheduler(store, clock)
    yield Demo(store, scheduler, Bot(store, today=clock.today))
    scheduler.stop()
    store.engine.dispose()


@asynccontextmanager
async def client_for(app: web.Application) -> AsyncIterator[TestClient]:
    """An HTTP client for `app` served on 127.0.0.1 at a free port."""
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        yield client


# --- the real demo process -------------------------------------------------------------------------
@dataclass
class DemoProcess:
    """`python -m bot.web` running on a free port; `url` ends without a slash."""

    process: subprocess.Popen
    stderr_path: Path
    lines: list[str] = field(default_factory=list)
    url: str = ""

    def stderr(self) -> str:
        """What the process logged so far."""
        return self.stderr_path.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> int:
        """Stop it as Ctrl+C would (SIGTERM is handled the same) and return its exit status."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode


def start_demo(folder: Path, database: Path, *options: str, env: dict[str, str] | None = None) -> DemoProcess:
    """Start the demo entry point in `folder` on `database`; returns once it prints its URL, or has
    ended without (then `url` is empty)."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("PERFBOT_")}
    environment.update({"PYTHONUNBUFFERED": "1", "PYTHONPATH": str(ROOT)}, **(env or {}))
    stderr_path = folder / f"demo-{len(list(folder.glob('demo-*.log')))}.log"
    with open(stderr_path, "w", encoding="utf-8") as stderr:
        process = subprocess.Popen([sys.executable, "-m", "bot.web", "--database", f"sqlite:///{database}", *options],
                                   cwd=folder, env=environment, stdout=subprocess.PIPE, stderr=stderr, text=True)
    running = DemoProcess(process, stderr_path)
    lines: queue.Queue[str | None] = queue.Queue()

    def read() -> None:
        for line in process.stdout:
            lines.put(line.rstrip("\n"))
        lines.put(None)

    threading.Thread(target=read, daemon=True).start()
    while True:
        try:
            line = lines.get(timeout=START_TIMEOUT)
        except queue.Empty:
            running.stop()
            raise AssertionError(f"the demo printed no URL in {START_TIMEOUT:.0f} s:\n{running.stderr()}") from None
        if line is None:
            process.wait()
            return running
        running.lines.append(line)
        if line.startswith("Open http://"):
            running.url = line.split()[1].rstrip("/")
            return running


@pytest.fixture(scope="session")
def sample_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file holding the bundled sample data, marked as the demo's own, copied by each test
    that starts the demo."""
    path = tmp_path_factory.mktemp("template") / "perfbot.db"
    store = Store.open(f"sqlite:///{path}")
    store.ensure_sample_data()
    mark_demo_store(store.engine, store.clock())
    store.engine.dispose()
    return path


@pytest.fixture
def demo_database(sample_database: Path, tmp_path: Path) -> Path:
    """A fresh copy of the sample database for one test."""
    path = tmp_path / "perfbot.db"
    shutil.copy(sample_database, path)
    return path


@pytest.fixture
def running_demo(demo_database: Path, tmp_path: Path) -> Iterator[DemoProcess]:
    """The demo on a copy of the sample data, its clock starting on 2026-11-27 at 09:00."""
    running = start_demo(tmp_path, demo_database, "--port", "0", "--today", DEMO_DAY.isoformat())
    yield running
    running.stop()


# --- headless Chromium -------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def chromium(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A browser context of Debian's headless Chromium with a fresh profile (skips without one)."""
    if not CHROMIUM.exists():
        pytest.skip(NO_CHROMIUM)
    try:
        from playwright.sync_api import expect, sync_playwright
    except ImportError:
        pytest.skip(NO_PLAYWRIGHT)
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")), executable_path=str(CHROMIUM), args=CHROMIUM_ARGS,
            headless=True, viewport={"width": 1280, "height": 800}, locale="en-GB", timezone_id="Europe/London")
        context.set_default_timeout(20_000)
        expect.set_options(timeout=20_000)
        yield context
        context.close()


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """End the run by saying plainly how many browser tests were skipped for want of a browser, and why."""
    reasons = [report.longrepr[2].removeprefix("Skipped: ") for report in terminalreporter.stats.get("skipped", [])
               if isinstance(report.longrepr, tuple)]
    for reason in (NO_CHROMIUM, NO_PLAYWRIGHT):
        if reasons.count(reason):
            terminalreporter.write_line(f"{reason} ({reasons.count(reason)} tests)", yellow=True, bold=True)


RECORD_PROBLEMS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(event.violatedDirective + " " + (event.blockedURI || "inline"));
});
"""


@pytest.fixture
def page(chromium: Any) -> Iterator[Any]:
    """A new tab that records script errors and Content-Security-Policy violations; none may occur."""
    tab = chromium.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    tab.add_init_script(RECORD_PROBLEMS)
    yield tab
    violations = tab.evaluate("window.__violations") if not tab.is_closed() else []
    tab.close()
    assert not errors, f"the page reported errors: {errors}"
    assert not violations, f"the Content-Security-Policy blocked something: {violations}"


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the browser tests save screenshots: PERFBOT_SCREENSHOT_DIR (e.g. docs/screenshots) or a temp folder."""
    wanted = os.environ.get("PERFBOT_SCREENSHOT_DIR")
    folder = Path(wanted) if wanted else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


class ChatPage:
    """The web chat as a visitor uses it: pick a person, type, click, move the clock."""

    def __init__(self, tab: Any, url: str):
        from playwright.sync_api import expect

        self.tab, self.url, self.expect = tab, url, expect
        tab.goto(url + "/")
        expect(tab.locator("#person")).to_be_enabled()

    def log(self) -> Any:
        """The conversation of the person chosen now."""
        return self.tab.locator(".log:not([hidden])")

    @property
    def narrow(self) -> bool:
        """True at a phone's width, where the picker and the clock are in a sheet opened from a bar."""
        return self.tab.locator("#controls-open").is_visible()

    def open_controls(self) -> None:
        """Open the sheet of controls at a phone's width (nothing to do on a wide screen)."""
        if self.narrow and not self.tab.locator("#controls").is_visible():
            self.tab.get_by_role("button", name="Person & clock").click()
            self.expect(self.tab.locator("#controls")).to_be_visible()

    def talk_as(self, email: str) -> None:
        """Choose someone in the person picker."""
        self.open_controls()
        self.tab.select_option("#person", email)
        name = self.tab.locator("#person option:checked").text_content().split(" — ")[0]
        self.expect(self.log()).to_have_attribute("aria-label", f"Conversation as {name}")

    def answers(self) -> Any:
        """The bot's answers in the conversation shown."""
        return self.log().locator(".message--bot")

    def ask(self, text: str) -> Any:
        """Type a message and press Enter; returns the answer once it is shown."""
        before = self.answers().count()
        self.tab.fill("#compose-text", text)
        self.tab.press("#compose-text", "Enter")
        answer = self.answers().nth(before)
        self.expect(answer).to_be_visible()
        return answer

    def click(self, scope: Any, label: str) -> Any:
        """Click the button labelled `label` inside `scope`; returns the answer it brings."""
        before = self.answers().count()
        scope.get_by_role("button", name=label).click()
        answer = self.answers().nth(before)
        self.expect(answer).to_be_visible()
        return answer

    def move_clock(self, day: str, at: str = "09:00") -> Any:
        """Use the "What would happen on…" form; returns the result panel once it reports."""
        self.open_controls()
        self.tab.fill("#clock-date", day)
        self.tab.fill("#clock-time", at)
        self.tab.get_by_role("button", name="Move the clock").click()
        result = self.tab.locator("#clock-result")
        moment = london(date.fromisoformat(day), time.fromisoformat(at))
        self.expect(result).to_contain_text(f"The clock is now {label(moment)}.")
        if self.tab.locator("#controls-close").is_visible():
            self.tab.get_by_role("button", name="Back to the conversation").click()
        return result


@pytest.fixture
def chat(running_demo: DemoProcess, page: Any) -> ChatPage:
    """The web chat of a fresh demo, open in headless Chromium."""
    return ChatPage(page, running_demo.url)
