"""What an IT team following docs/production.md relies on (issue 27): every file the packages read at
run time is in the installed package (not only in a checkout), the systemd units run as the service
user and the answering one is a template by port, `perfbot scheduler` stops cleanly when systemd or
podman stops it, and the README and docs link only to files in the repository."""
from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import tomllib
from fnmatch import fnmatch
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_data_file_of_the_packages_is_installed_with_them():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    packages = project["tool"]["setuptools"]["packages"]["find"]["include"]
    shipped = project["tool"]["setuptools"]["package-data"]
    missing = []
    for package in (p.rstrip("*") for p in packages):
        for path in (ROOT / package).rglob("*"):
            if path.is_dir() or path.suffix in (".py", ".pyc") or "__pycache__" in path.parts:
                continue
            inside = path.relative_to(ROOT / package).as_posix()
            if not any(fnmatch(inside, pattern) for pattern in shipped.get(package, [])):
                missing.append(f"{package}/{inside}")
    assert missing == [], f"read at run time but left out of the installed package: {missing}"


def test_the_units_run_as_the_service_user_and_the_answering_one_is_a_template_by_port():
    units = ROOT / "deploy" / "systemd"
    for unit in ("perfbot-serve@.service", "perfbot-scheduler.service", "perfbot-backup.service"):
        text = (units / unit).read_text()
        assert "\nUser=perfbot\n" in text and "\nEnvironmentFile=/etc/perfbot/perfbot.env\n" in text, unit
    serve = (units / "perfbot-serve@.service").read_text()
    assert "Environment=TEAMS_PORT=%i SLACK_PORT=%i" in serve
    assert "ExecStart=/opt/perfbot/venv/bin/perfbot serve teams --no-scheduler" in serve
    site = (ROOT / "deploy" / "nginx" / "perfbot.conf").read_text()
    for route in ("location = /api/messages", "location = /slack/events", "location /charts/", "location /files/"):
        assert route in site, route


def test_perfbot_scheduler_stops_cleanly_on_sigterm(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PERFBOT_", "SLACK_", "MICROSOFT_"))}
    env.update(PYTHONPATH=str(ROOT), PERFBOT_DATABASE_URL=f"sqlite:///{tmp_path / 'perfbot.db'}")
    process = subprocess.Popen([sys.executable, "-P", "-m", "bot.cli", "scheduler"], cwd=tmp_path, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout.readline().startswith("perfbot scheduler running")
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=60) == 0  # stopped itself (a killed process would exit -15)
    finally:
        if process.poll() is None:
            process.kill()
    assert not (tmp_path / "perfbot.scheduler.lock").exists() or _lock_is_free(tmp_path / "perfbot.scheduler.lock")


def _lock_is_free(path: Path) -> bool:
    import fcntl
    with open(path, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
    return True


def test_the_readme_and_docs_link_only_to_files_in_the_repository():
    broken = []
    for page in [ROOT / "README.md", *(ROOT / "docs").glob("*.md")]:
        text = page.read_text()
        links = re.findall(r"\]\(([^)#\s]+)", text) + re.findall(r"`(\.\./[^`]+)`", text)
        for link in links:
            if re.match(r"[a-z]+://|mailto:", link):
                continue
            target = (page.parent / link).resolve()
            if not target.is_relative_to(ROOT) or not target.exists():
                broken.append(f"{page.relative_to(ROOT)}: {link}")
    assert broken == []
