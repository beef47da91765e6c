"""The intent cues, read once from cues.txt: each rule an intent, the score it earns and its cue
patterns, compiled at import. The file's own header says how it is written; a rule naming an
unknown intent or part, a cue that is no regular expression, a part named twice or a cue under two
rules stops the import with its line."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from intents import query as q

CUES_FILE = Path(__file__).with_name("cues.txt")
INTENTS = frozenset(value for name, value in vars(q).items() if name.isupper() and isinstance(value, str))
HEADER = re.compile(r"^\[(?P<kind>[a-z_]+) (?P<value>[a-z_0-9.]+)\]$")
PART = re.compile(r"\{([a-z_]+)\}")


@dataclass(frozen=True)
class Rule:
    """An intent cue: a regular expression over the normalised question and the score it earns."""

    intent: str
    pattern: str
    score: float

    def first(self, text: str) -> str | None:
        """The words of `text` this rule matches first, or None."""
        found = _compiled(self.pattern).search(text)
        return found.group(0) if found else None

    def every(self, text: str) -> list[str]:
        """The words of each place in `text` this rule matches ("overview … all the key stats")."""
        return [found.group(0) for found in _compiled(self.pattern).finditer(text) if found.group(0)]


_COMPILED: dict[str, re.Pattern] = {}


def _compiled(pattern: str) -> re.Pattern:
    if pattern not in _COMPILED:
        _COMPILED[pattern] = re.compile(pattern)
    return _COMPILED[pattern]


def _sections(text: str) -> list[tuple[str, str, list[str], int]]:
    """(kind, value, lines, line number) for each [kind value] section of the file."""
    sections: list[tuple[str, str, list[str], int]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        header = HEADER.match(line)
        if header:
            sections.append((header["kind"], header["value"], [], number))
        elif not sections:
            raise ValueError(f"{CUES_FILE.name}:{number}: a cue before any [intent score] line")
        else:
            sections[-1][2].append(line)
    return sections


def load(text: str) -> tuple[list[Rule], dict[str, str]]:
    """The rules, in the file's order, and the named parts, each as the pattern it stands for."""
    sections = _sections(text)
    parts = {value: "|".join(lines) for kind, value, lines, _ in sections if kind == "part"}
    _check_conflicts(sections)
    rules = []
    for kind, value, lines, number in sections:
        if kind == "part":
            continue
        if kind not in INTENTS:
            raise ValueError(f"{CUES_FILE.name}:{number}: no intent called {kind!r}")
        unknown = {name for line in lines for name in PART.findall(line)} - set(parts)
        if unknown:
            raise ValueError(f"{CUES_FILE.name}:{number}: no part called {', '.join(sorted(unknown))}")
        pattern = PART.sub(lambda used: f"(?:{parts[used.group(1)]})", "|".join(lines))
        try:
            _compiled(pattern)
        except re.error as error:
            raise ValueError(f"{CUES_FILE.name}:{number}: {error}") from None
        rules.append(Rule(kind, pattern, float(value)))
    return rules, parts


def _check_conflicts(sections: list[tuple[str, str, list[str], int]]) -> None:
    """A part named twice, or one cue under two rules (which would then say different words), is a
    mistake in the file: stop at its line."""
    named: set[str] = set()
    cued: dict[str, int] = {}
    for kind, value, lines, number in sections:
        if kind == "part":
            if value in named:
                raise ValueError(f"{CUES_FILE.name}:{number}: the part {value!r} is named twice")
            named.add(value)
            continue
        for line in lines:
            if line in cued:
                raise ValueError(f"{CUES_FILE.name}:{number}: the cue {line!r} is under line {cued[line]} too")
            cued[line] = number


RULES, PARTS = load(CUES_FILE.read_text(encoding="utf-8"))
PROFILE_CUE = PARTS["profile"]
