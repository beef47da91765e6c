"""How a running bot logs: readable lines by default, one JSON object per line with
PERFBOT_LOG_FORMAT=json (for a council's log collector). perfbot's own log calls never include
what people type; this layer also drops exception messages (they can quote a message) and blanks
anything shaped like a token, password or signature, so neither reaches the log."""
from __future__ import annotations

import json
import logging
import os
import re
import traceback
from collections.abc import Mapping
from datetime import datetime, timezone

FORMATS = ("text", "json")
SECRET = re.compile(
    r"xox[abprs]-[\w-]+|xapp-[\w-]+|(?i:bearer)\s+[\w.~+/=-]+|eyJ[\w-]+\.[\w-]+\.[\w-]*"  # Slack tokens, JWTs
    r"|(?<=://)[^/\s:@]+:[^/\s@]+(?=@)"  # user:password in a URL
    r"|v0=[0-9a-f]{16,}")  # Slack request signatures
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def redact(text: str) -> str:
    """`text` with anything shaped like a secret replaced by [redacted]."""
    return SECRET.sub("[redacted]", text)


class JsonLines(logging.Formatter):
    """One JSON object per record: time, level, logger, process, event; an error's type and where
    it was raised, never its message."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as a single JSON line."""
        entry = {"time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
                 "level": record.levelname.lower(), "logger": record.name, "process": record.process,
                 "event": redact(record.getMessage())}
        if record.exc_info and record.exc_info[0] is not None:
            entry["error"] = record.exc_info[0].__name__
            entry["where"] = [f"{frame.filename}:{frame.lineno} {frame.name}"
                              for frame in traceback.extract_tb(record.exc_info[2])][-5:]
        return json.dumps(entry, ensure_ascii=False)


class RedactingText(logging.Formatter):
    """Readable lines with secrets blanked (exception messages kept out, as in JSON)."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as a line, then its traceback without the exception's message."""
        line = redact(logging.Formatter.format(self, _without_exception(record)))
        if record.exc_info and record.exc_info[0] is not None:
            frames = "".join(traceback.format_tb(record.exc_info[2]))
            line += f"\n{redact(frames)}{record.exc_info[0].__name__}"
        return line


def _without_exception(record: logging.LogRecord) -> logging.LogRecord:
    plain = logging.makeLogRecord(record.__dict__)
    plain.exc_info, plain.exc_text = None, None
    return plain


def configure_logging(environ: Mapping[str, str] | None = None) -> None:
    """Log INFO and above to standard error in PERFBOT_LOG_FORMAT (`text`, the default, or `json`)."""
    chosen = (os.environ if environ is None else environ).get("PERFBOT_LOG_FORMAT", "").strip().lower() or "text"
    if chosen not in FORMATS:
        raise ValueError(f"PERFBOT_LOG_FORMAT must be text or json, not {chosen!r}")
    handler = logging.StreamHandler()
    handler.setFormatter(JsonLines() if chosen == "json" else RedactingText(TEXT_FORMAT))
    logging.basicConfig(level=logging.INFO, handlers=[handler], force=True)
    for noisy in ("apscheduler", "slack_bolt", "slack_sdk", "aiohttp.access", "msrest", "urllib3"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
