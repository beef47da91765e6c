"""Real `perfbot serve slack|teams` processes for the tests and the load check: started with
`python -m bot.cli`, on port 0, their URL and worker ids read from what they print."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class Served:
    """One `perfbot serve` process (the parent of its workers) and the lines it printed."""

    def __init__(self, channel: str, database_url: str, environ: Mapping[str, str], workers: int = 1,
                 log: Path | None = None) -> None:
        command = [sys.executable, "-m", "bot.cli", "--database", database_url, "serve", channel,
                   "--no-scheduler", "--workers", str(workers)]
        self._log = open(log, "ab") if log else subprocess.DEVNULL
        self.process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **environ}, text=True,
                                        stdout=subprocess.PIPE, stderr=self._log)
        self.lines: list[str] = []
        self._changed = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()
        self.url = self.wait_for_line("listening on").split("listening on ", 1)[1].split()[0]

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            with self._changed:
                self.lines.append(line.strip())
                self._changed.notify_all()
        with self._changed:
            self._changed.notify_all()

    def wait_for_line(self, words: str, count: int = 1, timeout: float = 60.0) -> str:
        """The `count`-th printed line containing `words`, waiting for it up to `timeout` seconds."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                found = [line for line in self.lines if words in line]
                if len(found) >= count:
                    return found[count - 1]
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"perfbot serve never printed {words!r} (exit {self.process.poll()}): {self.lines}")
                self._changed.wait(timeout=0.5)

    def workers(self) -> list[int]:
        """The process ids of the workers started so far (with --workers above 1)."""
        return [int(line.split()[1]) for line in self.lines if line.startswith("worker ") and line.endswith("started")]

    @property
    def base(self) -> str:
        """The server's root URL, for /healthz, /readyz and /metrics."""
        return self.url.split("/", 3)[0] + "//" + self.url.split("/", 3)[2]

    def kill(self) -> None:
        """SIGKILL the process, as a crash or an OOM killer would."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        """SIGTERM the process and wait for it (and its workers) to finish."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=30)
        if self._log is not subprocess.DEVNULL:
            self._log.close()
