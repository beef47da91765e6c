"""`perfbot chat` and `perfbot ask` as a person at a terminal meets them (issue 19), each in a real
subprocess: bold and italics on a terminal (a pseudo-terminal here) and plain text elsewhere, line
editing and a history that outlives the session in the user's state folder, charts saved outside
the checkout, nothing left in the repository, and Ctrl-C or a closed pipe ending quietly."""
from __future__ import annotations

import fcntl
import os
import pty
import select
import shutil
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from data_access.store import Store
from tests.conftest import on_postgresql

ROOT = Path(__file__).resolve().parents[1]
FARID = "cllr.farid.mistry@demo-council.example"
BEN = "ben.singh@demo-council.example"
BOLD = "\033[1m"
READ_TIMEOUT = 120.0
PERFBOT = [sys.executable, "-P", "-m", "bot.cli"]  # -P: the code under test, not a checkout's copy in the folder


@pytest.fixture(scope="module")
def sample_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file with the sample data, copied by each test."""
    path = tmp_path_factory.mktemp("console") / "perfbot.db"
    store = Store.open(f"sqlite:///{path}")
    store.ensure_sample_data()
    store.engine.dispose()
    return path


@pytest.fixture
def home(tmp_path: Path, sample_file: Path, database_url: str) -> dict[str, str]:
    """The environment of a user whose home is a temporary folder, on the sample data (a copy of the
    file on SQLite)."""
    if on_postgresql():
        store = Store.open(database_url)
        store.ensure_sample_data()
        store.engine.dispose()
    else:
        shutil.copy(sample_file, database_url.removeprefix("sqlite:///"))
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("PERFBOT_", "XDG_", "NO_COLOR"))}
    environment.update(HOME=str(tmp_path / "home"), TERM="xterm", PYTHONPATH=str(ROOT),
                       PERFBOT_DATABASE_URL=database_url)
    return environment


def _own_terminal() -> None:
    """In the child: make the pseudo-terminal its controlling terminal, so Ctrl-C there interrupts it."""
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class Terminal:
    """`perfbot ARGS` on a pseudo-terminal: type into it and read the screen's bytes until some text shows."""

    def __init__(self, args: list[str], env: dict[str, str], cwd: Path):
        self.master, follower = pty.openpty()
        self.process = subprocess.Popen([*PERFBOT, *args], stdin=follower, stdout=follower,
                                        stderr=follower, env=env, cwd=cwd, start_new_session=True,
                                        preexec_fn=_own_terminal)
        os.close(follower)
        self.seen = b""

    def read_until(self, text: str) -> str:
        """Everything shown since the last call, up to and including `text`."""
        wanted = text.encode()
        while wanted not in self.seen:
            ready, _, _ = select.select([self.master], [], [], READ_TIMEOUT)
            chunk = os.read(self.master, 65536) if ready else b""
            assert chunk, f"{text!r} never appeared; the screen showed {self.seen.decode(errors='replace')!r}"
            self.seen += chunk
        shown, self.seen = self.seen.split(wanted, 1)
        return (shown + wanted).decode(errors="replace")

    def type(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def waiting_for_a_key(self) -> None:
        """Return once the program sits in select/poll for the next key (Linux's /proc says so).
        Python's readline notices Ctrl-C only while it waits there: one pressed a moment sooner is
        seen at the next key, a gap no person at a keyboard can hit but a test can."""
        wchan = Path(f"/proc/{self.process.pid}/wchan")
        deadline = time.monotonic() + READ_TIMEOUT
        while not wchan.read_text().startswith(("poll_schedule", "do_select", "do_sys_poll")):
            assert time.monotonic() < deadline, f"perfbot never waited for a key: {wchan.read_text()!r}"

    def finish(self) -> tuple[int, str]:
        """Wait for the end; returns the exit status and what was shown after the last read."""
        rest = b""
        while True:
            ready, _, _ = select.select([self.master], [], [], READ_TIMEOUT)
            if not ready:
                self.process.kill()
                raise AssertionError(f"perfbot did not end; it showed {(self.seen + rest).decode(errors='replace')!r}")
            try:
                chunk = os.read(self.master, 65536)
            except OSError:  # the other end has gone
                break
            if not chunk:
                break
            rest += chunk
        os.close(self.master)
        return self.process.wait(timeout=READ_TIMEOUT), (self.seen + rest).decode(errors="replace")


def chat(env: dict[str, str], cwd: Path, *options: str) -> Terminal:
    terminal = Terminal(["chat", "--as", FARID, "--today", "2026-11-27", *options], env, cwd)
    terminal.read_until("> ")
    return terminal


def test_chat_on_a_terminal_shows_bold_and_no_markers(home: dict[str, str], tmp_path: Path) -> None:
    terminal = chat(home, tmp_path)
    terminal.type("unemployment in my ward vs region\r")
    answer = terminal.read_until("\n> ")
    assert f"{BOLD}Claimant count rate" in answer
    assert "*Claimant" not in answer
    terminal.type("quit\r")
    assert terminal.finish()[0] == 0


def test_chat_without_a_terminal_or_with_no_color_is_plain_text(home: dict[str, str], tmp_path: Path) -> None:
    piped = subprocess.run([*PERFBOT, "chat", "--as", FARID, "--today", "2026-11-27"],
                           input="unemployment in my ward vs region\nquit\n", capture_output=True, text=True,
                           env=home, cwd=tmp_path, timeout=READ_TIMEOUT)
    assert piped.returncode == 0, piped.stderr
    assert "Claimant count rate" in piped.stdout
    assert "*Claimant" not in piped.stdout and "\033[" not in piped.stdout

    terminal = chat(dict(home, NO_COLOR="1"), tmp_path)
    terminal.type("unemployment in my ward vs region\r")
    answer = terminal.read_until("\n> ")
    assert "Claimant count rate" in answer and BOLD not in answer and "*Claimant" not in answer
    terminal.type("quit\r")
    assert terminal.finish()[0] == 0


def test_chat_edits_the_line_and_remembers_questions_in_the_state_folder(home: dict[str, str], tmp_path: Path) -> None:
    state = tmp_path / "state"
    env = dict(home, XDG_STATE_HOME=str(state))
    first = chat(env, tmp_path)
    first.type("elp\x01h\r")  # Ctrl-A goes to the start of the line: "help"
    assert "Try:" in first.read_until("\n> ")
    first.type("quit\r")
    assert first.finish()[0] == 0
    assert (state / "perfbot" / "chat_history").read_text().splitlines()[-2:] == ["help", "quit"]

    second = chat(env, tmp_path)
    second.type("\x1b[A\x1b[A\r")  # up twice: last session's "help"
    assert "Try:" in second.read_until("\n> ")
    second.type("quit\r")
    assert second.finish()[0] == 0


def test_charts_go_to_the_cache_folder_or_save_charts_and_the_checkout_stays_clean(
        home: dict[str, str], tmp_path: Path, sample_file: Path) -> None:
    checkout = tmp_path / "checkout"
    subprocess.run(["git", "clone", "--quiet", "--shared", str(ROOT), str(checkout)], check=True, timeout=120)
    env = dict(home, XDG_CACHE_HOME=str(tmp_path / "cache"))
    env.pop("PERFBOT_DATABASE_URL")  # the embedded default: perfbot.db in the checkout, as a new user has it
    shutil.copy(sample_file, checkout / "perfbot.db")
    terminal = chat(env, checkout)
    terminal.type("unemployment in my ward over the last 2 years\r")
    answer = terminal.read_until("\n> ")
    charts = sorted((tmp_path / "cache" / "perfbot" / "charts").glob("chat-*.png"))
    assert len(charts) == 1 and charts[0].read_bytes().startswith(b"\x89PNG")
    assert f"saved to {charts[0]}" in answer
    terminal.type("quit\r")
    assert terminal.finish()[0] == 0
    status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=checkout,
                            capture_output=True, text=True, check=True)
    assert status.stdout == ""

    wanted = tmp_path / "my charts"
    terminal = chat(home, tmp_path, "--save-charts", str(wanted))
    terminal.type("unemployment in my ward over the last 2 years\r")
    assert f"saved to {wanted}" in terminal.read_until("\n> ")
    assert len(list(wanted.glob("chat-*.png"))) == 1
    terminal.type("quit\r")
    assert terminal.finish()[0] == 0


def test_ctrl_c_in_chat_ends_quietly(home: dict[str, str], tmp_path: Path) -> None:
    terminal = chat(home, tmp_path)
    terminal.waiting_for_a_key()
    terminal.type("\x03")
    status, shown = terminal.finish()
    assert status == 130
    assert "Traceback" not in shown and "KeyboardInterrupt" not in shown


def test_ask_into_a_closed_pipe_ends_quietly(home: dict[str, str], tmp_path: Path) -> None:
    """As `perfbot ask --jsonl … | head -1`: the reader goes after the first answer, perfbot has more to write."""
    process = subprocess.Popen([*PERFBOT, "ask", "--jsonl"], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=home, cwd=tmp_path, text=True)
    process.stdin.write(f'{{"question": "which measures are red?", "as": "{BEN}"}}\n')
    process.stdin.flush()
    assert '"intent"' in process.stdout.readline()
    process.stdout.close()
    process.stdin.write(f'{{"question": "which measures are red?", "as": "{BEN}"}}\n')
    process.stdin.close()
    assert process.wait(timeout=READ_TIMEOUT) == 0
    assert process.stderr.read() == ""
