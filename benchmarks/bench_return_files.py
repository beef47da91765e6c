"""Benchmark of a return's spreadsheet dropped into the chat (issue 28), through the core as every
channel calls it, on a fresh copy of the sample data: Maya Rowe's filled-in return template
(.xlsx) previewed and confirmed; a 4.9 MB CSV (the largest taken) previewed; a 100 MB file refused
by its size; a workbook bomb (3.8 MB, expanding to 320 MB) refused once 100 MB of it is unzipped.

    python benchmarks/bench_return_files.py [--trials N]        # SQLite, a fresh file per trial

Goals: the template previewed and confirmed in under 2 s each; a file too large refused in under
0.1 s (never read); a bomb refused in the time 100 MB takes to unzip (about 1 s), holding a block at a time.
"""
from __future__ import annotations

import argparse
import io
import statistics
import tempfile
import time
import zipfile
from datetime import date, datetime, timezone
from pathlib import Path

import openpyxl

from bot.core.bot import Bot
from bot.core.messages import FileReply, Message, Upload
from data_access.store import Store
from schedules.alerts import sweep_alerts

MAYA = "maya.rowe@demo-council.example"
NOW = datetime(2026, 12, 3, 9, 0, tzinfo=timezone.utc)


def timed(work) -> tuple[float, object]:
    started = time.perf_counter()
    result = work()
    return time.perf_counter() - started, result


def template_filled(bot: Bot) -> bytes:
    """Maya's template with every return filled in."""
    answer = bot.answer(Message("send me my return template", bot.person_by_email(MAYA), "t", "web"),
                        render_charts=False)
    book = openpyxl.load_workbook(io.BytesIO(next(r for r in answer.replies if isinstance(r, FileReply)).content))
    for row in book["Returns"].iter_rows(min_row=2):
        row[9].value = 5.2 if row[0].value == "NEET" else 88
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def big_csv() -> bytes:
    """A 4.9 MB CSV: one NEET value, and a notes column that makes the file as large as is taken."""
    header = b"indicator_code,geography_code,period,value,notes\n"
    row = b"NEET,E08000031,2026-11,5.2," + b"x" * (4_900_000 - 80) + b"\n"
    return header + row


def bomb() -> bytes:
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            for _ in range(320):  # 320 MB of cells: past the 300 MB perfbot expands
                part.write(b"<c>0</c>" * (1 << 20))
    return data.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trials", type=int, default=5)
    options = parser.parse_args()
    figures: dict[str, list[float]] = {"preview template": [], "confirm template": [], "preview 4.9 MB CSV": [],
                                       "refuse 100 MB": [], "refuse bomb": []}
    bombed = bomb()
    with tempfile.TemporaryDirectory() as folder:
        for trial in range(options.trials):
            store = Store.open(f"sqlite:///{Path(folder) / f'trial{trial}.db'}", clock=lambda: NOW)
            store.ensure_sample_data()
            sweep_alerts(store, NOW)
            bot = Bot(store, today=lambda: date(2026, 12, 3))
            maya = bot.person_by_email(MAYA)

            def drop(name: str, data: bytes | None, size: int | None = None):
                upload = Upload(name, len(data) if data is not None else size, data)
                return bot.answer(Message("", maya, "c", "web", files=(upload,)), render_charts=False)

            data = template_filled(bot)
            seconds, preview = timed(lambda: drop("return.xlsx", data))
            figures["preview template"].append(seconds)
            seconds, done = timed(lambda: bot.answer(Message(f"confirm return file {preview.facts['preview']}", maya,
                                                             "c", "web"), render_charts=False))
            assert done.facts["recorded"] is True, done.facts["answer"]
            figures["confirm template"].append(seconds)
            large = big_csv()
            figures["preview 4.9 MB CSV"].append(timed(lambda: drop("big.csv", large))[0])
            seconds, refused = timed(lambda: drop("huge.xlsx", None, 100 * 2 ** 20))
            assert "at most 5 MB" in refused.facts["answer"]
            figures["refuse 100 MB"].append(seconds)
            seconds, refused = timed(lambda: drop("bomb.xlsx", bombed))
            assert "zip bomb" in refused.facts["answer"], refused.facts["answer"]
            figures["refuse bomb"].append(seconds)
            store.engine.dispose()
    print(f"{options.trials} trials; the bomb is {len(bombed) / 1024:.0f} KB")
    for what, seconds in figures.items():
        print(f"{what:>20}: median {statistics.median(seconds):.3f} s, max {max(seconds):.3f} s")


if __name__ == "__main__":
    main()
