"""Requests perfbot cannot carry out as asked, found before any answer so that none is given in
their place: acting for someone else ("subscribe maya.rowe@… to NEET", "snooze Maya Rowe's
reminder") and changing what only the performance team's files set ("change the NEET target to 3%",
"make Kate Young the owner of NEET"). Asking what someone else owes is no act for them: it is
answered about that person, for the council's staff (`bot/core/answers/conversation.py`).

Pure text matching: the caller gives the people perfbot knows (e-mail, name) and the asker's e-mail."""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

# What a person does for themselves in chat: the verb (or question) that names the act.
OWN_ACTS = (
    ("subscribe", re.compile(r"\b(?:un)?subscribe\b|\balert\b|\bnotify\b|\btell\b.*\bwhen\b", re.I)),
    ("reminders", re.compile(r"\b(?:snooze|remind(?:er|ers)?|pause|not available|unavailable|away|leave)\b", re.I)),
)
ASKING_POLITELY = r"(?:(?:can|could|would|will) you\s+|please\s+|i want to\s+|i'?d like to\s+)*"
CHANGE_WORDS = "|".join(["change", "set", "update", "edit", "amend", "alter", "move", "lower", "raise", "increase",
                         "reduce", "cut", "delete", "remove", r"make(?! me\b| a\b)", "rename", "reassign", "assign"])
CHANGE = re.compile(rf"^\s*{ASKING_POLITELY}(?:{CHANGE_WORDS})\b", re.I)
NOT_A_CHANGE = re.compile(r"\b(?:alert|alerts|remind|notify|subscribe)\b", re.I)  # "set an alert … target" is one's own
SET_BY_FILES = (
    ("target", re.compile(r"\btargets?\b|\btolerance\b|\bamber\b", re.I)),
    ("owner", re.compile(r"\bowner(?:ship)?\b|\bowns?\b|\bdelegates?\b", re.I)),
    ("deadline", re.compile(r"\bdeadlines?\b|\bdue date\b|\bcalendar\b", re.I)),
    ("name", re.compile(r"\brename\b|\bname\b|\bdefinition\b|\bpolarity\b|\bfrequency\b|\bunit\b", re.I)),
)
EMAIL = re.compile(r"\b([a-z0-9][a-z0-9._%+-]*)@(?:[a-z0-9.-]+|…|\.\.\.)?", re.I)


@dataclass(frozen=True)
class CannotDo:
    """A request perfbot cannot carry out: `kind` is 'for_another' (acting as or for `who`) or
    'set_by_files' (changing a `what` that the performance team's imports set)."""

    kind: str
    what: str
    who: str | None = None  # the other person's e-mail


def cannot_do(text: str, people: Iterable[tuple[str, str]], asker: str | None) -> CannotDo | None:
    """What in `text` perfbot cannot do for this asker, or None when nothing is."""
    if CHANGE.search(text) and not NOT_A_CHANGE.search(text):
        changed = next((what for what, pattern in SET_BY_FILES if pattern.search(text)), None)
        if changed:
            return CannotDo("set_by_files", changed)
    other = other_person(text, people, asker)
    if other is None:
        return None
    act = next((what for what, pattern in OWN_ACTS if pattern.search(text)), None)
    return CannotDo("for_another", act, other) if act else None


def other_person(text: str, people: Iterable[tuple[str, str]], asker: str | None) -> str | None:
    """The e-mail of someone other than the asker whom `text` names, by e-mail (or its part before
    the @, "maya.rowe@…") or by full name ("Maya Rowe", "Maya Rowe's"); None when nobody else is named."""
    lowered = text.lower()
    mine = (asker or "").lower()
    locals_named = {match.group(1).lower() for match in EMAIL.finditer(text)}
    for email, name in people:
        email = email.lower()
        if email == mine:
            continue
        if email.split("@")[0] in locals_named:
            return email
        full = " ".join(name.lower().split())
        if full.count(" ") and re.search(rf"(?<![\w.]){re.escape(full)}(?:'s)?\b", lowered):
            return email
    return None
