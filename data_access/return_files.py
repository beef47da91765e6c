"""A return's spreadsheet dropped into a chat: read with the same importers `perfbot import` uses
(every layout they know), kept as a preview that records nothing until the person confirms it,
then written in one transaction — each value as a submission (data_access.submissions), the file
audited as submitted by the person — and undone as a whole on request.

A preview is a `return_file` row. Its state moves previewed → confirmed (→ undone), or cancelled,
by a conditional update in the transaction that does the work, so a Confirm clicked twice, retried
by a chat service or sent by two processes at once records the values once."""
from __future__ import annotations

import json
import secrets
import tempfile
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError, OperationalError

from data_access.audit import record_change
from data_access.importers import SUFFIXES, ImportRefused, import_paths
from data_access.importers.workbooks import check_archive
from data_access.models import Observation, ReturnFile
from data_access.periods import parse_period
from data_access.store import Store
from data_access.submissions import ATTEMPTS, undo_value, write_value

MAX_BYTES = 5 * 1024 * 1024
MAX_EXPANDED = 100 * 1024 * 1024  # a zipped workbook sent by chat, unzipped (a publication may expand to 300 MB)
LIFETIME = timedelta(minutes=30)
VALUE_KINDS = frozenset({"observations", "tidy indicator data", "Fingertips export", "Nomis API extract",
                         "DfE explore-education-statistics", "recognised long or wide file", "government publication"})


class FileRefused(ValueError):
    """A file the chat will not take, with what was wrong and how to put it right."""


@dataclass(frozen=True)
class Entry:
    """One value a file holds: indicator, place, period, the value, and the value it would correct."""

    indicator: str
    place: str
    period: str
    value: float
    old: float | None = None

    @property
    def correction(self) -> bool:
        """True when the value replaces one already recorded."""
        return self.old is not None


@dataclass
class FileValues:
    """What a file would record: its values, how many it repeats unchanged, leaves blank or gives by
    breakdown (not taken by chat), the indicators it names that perfbot does not know, and the
    importer's notes."""

    kind: str
    entries: list[Entry] = field(default_factory=list)
    unchanged: int = 0
    blank: int = 0
    breakdowns: int = 0
    unknown: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def check_upload(name: str, size: int) -> None:
    """Refuse, before any byte is read, a file too large or of a kind no importer reads."""
    if Path(name).suffix.lower() not in SUFFIXES:
        raise FileRefused(f"{name} is not a spreadsheet perfbot reads: send the return as CSV, .xlsx, .xls or .ods.")
    if size > MAX_BYTES:
        raise FileRefused(f"{name} is {size / 2 ** 20:.1f} MB; a return sent by chat can be at most "
                          f"{MAX_BYTES // 2 ** 20} MB. Send only the sheet with the return (or save it as CSV), "
                          "or ask the performance team to import it with `perfbot import`.")


def read_values(store: Store, data: bytes, name: str) -> FileValues:
    """The values a file would record, read by the importers in a transaction that is rolled back;
    refuses a file that is unreadable, not a table of values, or holds a period not yet ended."""
    check_upload(name, len(data))
    if Path(name).suffix.lower() in (".xlsx", ".xlsm", ".ods"):
        try:
            check_archive(data, name, MAX_EXPANDED)
        except ImportRefused as refusal:
            raise FileRefused(f"I couldn't read {refusal}. Nothing was recorded.") from refusal
    actor = f"preview:{secrets.token_hex(8)}"
    known = set(store.indicators.index)
    with tempfile.TemporaryDirectory() as folder, store.sessions() as session:
        path = Path(folder) / (Path(name).name or "return.csv")
        path.write_bytes(data)
        try:
            before = session.scalar(select(func.max(Observation.id))) or 0  # the rows the import writes come after
            result = import_paths(session, [path], actor, store.clock()).files[0]
            if result.kind not in VALUE_KINDS:
                raise FileRefused(f"{name} is a {result.kind} file, not a return of values: the performance team "
                                  "imports those with `perfbot import`. Send the return itself (ask me for "
                                  "“my return template” to get one ready to fill in).")
            written = session.execute(select(Observation).where(
                Observation.id > before, Observation.recorded_by == actor,
                Observation.superseded_at.is_(None))).scalars().all()
            replaced = dict(session.execute(select(Observation.superseded_by, Observation.value).where(
                Observation.superseded_by > before)).all()) if written else {}
            found = FileValues(result.kind, unchanged=result.unchanged, notes=list(result.details.get("notes", [])))
            for row in written:
                if row.indicator_code not in known:
                    if row.indicator_code not in found.unknown:
                        found.unknown.append(row.indicator_code)
                elif row.value is None:
                    found.blank += 1
                elif row.breakdown:
                    found.breakdowns += 1
                else:
                    found.entries.append(Entry(row.indicator_code, row.geography_code, row.period, float(row.value),
                                               replaced.get(row.id)))
            found.blank += result.withheld
        except ImportRefused as refusal:
            raise FileRefused(f"I couldn't read {refusal}. Nothing was recorded.") from refusal
        finally:
            session.rollback()
    if not found.entries and not found.unknown and not found.unchanged:
        raise FileRefused(f"{name} holds no values to record (every value cell is empty): fill in the value "
                          "column and send it again.")
    return found


def keep_preview(store: Store, person: str, channel: str, name: str, entries: list[Entry]) -> str:
    """Keep the values a person may record from a file until they confirm; returns the preview's token."""
    token = secrets.token_urlsafe(12)
    now = store.clock()
    with store.sessions.begin() as session:
        session.add(ReturnFile(token=token, person_email=person, channel=channel, filename=Path(name).name[:255],
                               created_at=now, expires_at=now + LIFETIME, state="previewed",
                               entries=json.dumps([asdict(e) for e in entries])))
    return token


@dataclass(frozen=True)
class Preview:
    """A kept preview: its file, values, state, reason given for corrections, and the values it recorded."""

    token: str
    person: str
    filename: str
    entries: tuple[Entry, ...]
    state: str
    expires_at: datetime
    reason: str | None
    observation_ids: tuple[int, ...]
    confirmed_at: datetime | None

    def expired(self, now: datetime) -> bool:
        """True once the preview's 30 minutes are over."""
        return now >= as_utc(self.expires_at)


def preview(store: Store, token: str) -> Preview | None:
    """The preview with this token, or None."""
    with store.sessions() as session:
        row = session.scalar(select(ReturnFile).where(ReturnFile.token == token))
        return None if row is None else _preview(row)


def give_reason(store: Store, token: str, reason: str) -> None:
    """Keep the reason the person gives for the corrections a preview makes."""
    with store.sessions.begin() as session:
        session.execute(update(ReturnFile).where(ReturnFile.token == token, ReturnFile.state == "previewed")
                        .values(reason=reason[:500]))


def cancel(store: Store, token: str, person: str) -> bool:
    """Cancel a preview still waiting; True when this call cancelled it."""
    with store.sessions.begin() as session:
        done = session.execute(update(ReturnFile).where(
            ReturnFile.token == token, ReturnFile.person_email == person, ReturnFile.state == "previewed")
            .values(state="cancelled"))
        if done.rowcount:
            record_change(session, store.clock(), person, "cancel", "return file", token)
        return bool(done.rowcount)


def confirm(store: Store, token: str, person: str, name: str, channel: str) -> list[int] | None:
    """Record every value of a preview in one transaction — each a submission by `person` from the
    named file, the file audited — and return the new observations' ids; None when the preview was
    not waiting (already confirmed, cancelled or expired), so nothing is recorded twice."""
    for attempt in range(ATTEMPTS):
        try:
            with store.sessions.begin() as session:
                now = store.clock()
                claimed = session.execute(update(ReturnFile).where(
                    ReturnFile.token == token, ReturnFile.person_email == person, ReturnFile.state == "previewed",
                    ReturnFile.expires_at > now).values(state="confirmed", confirmed_at=now))
                if not claimed.rowcount:
                    return None
                row = session.scalar(select(ReturnFile).where(ReturnFile.token == token))
                kept = _preview(row)
                source = f"submitted by {name} from {kept.filename}"
                ids = []
                for entry in kept.entries:
                    why = (f"{kept.reason} (from {kept.filename})" if kept.reason else None) if entry.correction \
                        else f"from {kept.filename}"
                    ids.append(write_value(session, now, entry.indicator, entry.place, parse_period(entry.period),
                                           entry.value, person, channel, source, why).observation_id)
                row.observation_ids = json.dumps(ids)
                record_change(session, now, person, "submit file", "return file", kept.filename, None,
                              {"values": len(ids), "token": token}, kept.reason)
                return ids
        except (IntegrityError, OperationalError):
            if attempt == ATTEMPTS - 1:
                raise
    raise RuntimeError("unreachable")


def undo_file(store: Store, token: str, person: str, channel: str) -> list[tuple[Entry, float | None]]:
    """Withdraw every value a confirmed file recorded, in one transaction (each value back to what it
    replaced); returns each entry with the value restored. Raises ValueError when it cannot be undone."""
    with store.sessions.begin() as session:
        now = store.clock()
        done = session.execute(update(ReturnFile).where(
            ReturnFile.token == token, ReturnFile.person_email == person, ReturnFile.state == "confirmed")
            .values(state="undone"))
        if not done.rowcount:
            raise ValueError("that file's values are no longer the ones it recorded")
        kept = _preview(session.scalar(select(ReturnFile).where(ReturnFile.token == token)))
        restored = [(entry, undo_value(session, now, observation, person, channel))
                    for entry, observation in zip(kept.entries, kept.observation_ids)]
        record_change(session, now, person, "undo file", "return file", kept.filename, None,
                      {"values": len(restored), "token": token}, "undo")
        return restored


def _preview(row: ReturnFile) -> Preview:
    return Preview(row.token, row.person_email, row.filename, tuple(Entry(**e) for e in json.loads(row.entries)),
                   row.state, row.expires_at, row.reason, tuple(json.loads(row.observation_ids or "[]")),
                   row.confirmed_at)


def as_utc(moment: datetime) -> datetime:
    """A stored time as UTC-aware (SQLite gives it back naive)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
