"""One checkout of perfbot as the fault benchmark runs it: its own database (a new SQLite file or
a new PostgreSQL schema, migrated by that checkout's own code), its in-process steps
(benchmarks/faults_child.py), its `perfbot` command and its `perfbot serve` processes, each a real
process importing only that checkout's code."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Mapping
from pathlib import Path

from sqlalchemy import create_engine, text

CHILD = Path(__file__).with_name("faults_child.py")


def fresh_url(database: str | None, folder: Path) -> str:
    """A new, empty database: a SQLite file in `folder`, or a new schema in `database`."""
    if not database:
        return f"sqlite:///{folder / (uuid.uuid4().hex + '.db')}"
    schema = "bench_" + uuid.uuid4().hex[:10]
    engine = create_engine(database.replace("postgresql://", "postgresql+psycopg://", 1), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    engine.dispose()
    return f"{database}{'&' if '?' in database else '?'}options=-csearch_path%3D{schema}"


def scalar(url: str, sql: str, **params: str) -> int:
    """One number read from the database at `url`."""
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect() as connection:
        value = connection.execute(text(sql), params).scalar_one()
    engine.dispose()
    return int(value or 0)


class Checkout:
    """The code in `code` (a directory holding bot/, data_access/, schedules/)."""

    def __init__(self, label: str, code: str) -> None:
        self.label = label
        self.code = str(Path(code).resolve())

    def environment(self, extra: Mapping[str, str] | None = None) -> dict[str, str]:
        """This process's environment without any channel settings, importing this checkout first."""
        env = {key: value for key, value in os.environ.items()
               if not key.startswith(("SLACK_", "MICROSOFT_APP", "TEAMS_", "PERFBOT_"))}
        return {**env, "PYTHONPATH": self.code, "PERFBOT_CODE": self.code, "PYTHONUNBUFFERED": "1", **(extra or {})}

    def database(self, database: str | None, folder: Path) -> str:
        """A new database with the demo council's data, migrated by this checkout."""
        url = fresh_url(database, folder)
        self.step("prepare", url)
        return url

    def step(self, *args: str) -> dict:
        """One step of benchmarks/faults_child.py under this checkout; what it printed (or how it died)."""
        done = subprocess.run([sys.executable, str(CHILD), *args], env=self.environment(), cwd=self.code,
                              capture_output=True, text=True, timeout=300)
        if done.returncode:
            return {"returncode": done.returncode, "stderr": done.stderr[-2000:]}
        return json.loads(done.stdout.strip().splitlines()[-1])

    def perfbot(self, url: str, *args: str, env: Mapping[str, str] | None = None,
                stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        """`perfbot --database URL ARGS…` of this checkout, to its end."""
        return subprocess.run([sys.executable, "-m", "bot.cli", "--database", url, *args], input=stdin,
                              env=self.environment(env), cwd=self.code, capture_output=True, text=True, timeout=300)

    def start(self, url: str, *args: str, env: Mapping[str, str] | None = None) -> Running:
        """`perfbot --database URL ARGS…` of this checkout, left running."""
        return Running([sys.executable, "-m", "bot.cli", "--database", url, *args], self.environment(env), self.code)


class Running:
    """A started perfbot process and everything it printed (stdout and stderr together)."""

    def __init__(self, command: list[str], env: dict[str, str], cwd: str) -> None:
        self.process = subprocess.Popen(command, env=env, cwd=cwd, text=True, stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT)
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    def listening(self, port: int, timeout: float = 90) -> bool:
        """Wait until 127.0.0.1:`port` accepts connections (True) or the process ends (False)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    return True
            except OSError:
                try:
                    self.process.wait(timeout=0.2)
                    return False
                except subprocess.TimeoutExpired:
                    continue
        raise RuntimeError(f"nothing listened on port {port} within {timeout}s:\n{self.output[-2000:]}")

    def stop(self) -> int | None:
        """SIGKILL the process if it still runs; its exit code."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=30)
        self._reader.join(timeout=10)
        return self.process.returncode


def free_port() -> int:
    """A port the OS says is free now on loopback (for code that cannot listen on port 0 and say where)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
