"""Scoring one answer against the facts the corpus expects of it: right (every expected fact
holds), or wrong — and confidently wrong when the answer carries numbers (values, a ranking, red
measures) yet some fact fails, or carries any number where a refusal or a question back was due."""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Callable

REFUSAL_KEYS = ("refuse", "ask", "values_within")
WHOLE = {"", "persons", "total", "all", "all ages"}


@dataclass
class Verdict:
    """How one answer scored."""

    right: bool
    confident_wrong: bool
    failures: list[str] = field(default_factory=list)


def is_refusal(expect: dict[str, Any]) -> bool:
    """Whether the expected answer is a refusal, a question back, or a guarded partial answer."""
    return any(key in expect for key in REFUSAL_KEYS)


def quoted(facts: dict[str, Any]) -> dict[str, float]:
    """The values an answer quotes at the period it answers, by place."""
    return {v["geography"]: v["value"] for v in facts.get("values") or []
            if v.get("period") == facts.get("period") and v.get("value") is not None}


def close(got: float | None, expected: float) -> bool:
    """Equal at the decimals shown (one decimal, or the expected value's own when finer)."""
    if got is None or (isinstance(got, float) and math.isnan(got)):
        return False
    decimals = len(repr(float(expected)).split(".")[1].rstrip("0")) if "." in repr(float(expected)) else 0
    return abs(got - expected) <= 0.5 * 10 ** -max(decimals, 1) + 1e-9


def ranked_fits(got: list[str], expected: list[Any]) -> bool:
    """The ranking starts as expected; places in an inner list are tied and may come in any order."""
    if not got:
        return False
    position = 0
    for group in expected:
        group = set(group) if isinstance(group, list) else {group}
        chunk = got[position:position + len(group)]
        if len(chunk) < len(group):
            return set(chunk) <= group
        if set(chunk) != group:
            return False
        position += len(group)
    return True


def choice_codes(facts: dict[str, Any]) -> set[str]:
    """The codes the buttons of a question back offer."""
    codes = set()
    for choice in facts.get("choices") or []:
        codes.add(choice.get("value") or choice.get("code") if isinstance(choice, dict) else str(choice))
    return codes


def breakdown_of(facts: dict[str, Any]) -> str:
    """The breakdown an answer is for (its own field, or the one all its values carry), lower case."""
    named = {str(v.get("breakdown") or "").lower() for v in facts.get("values") or []}
    if facts.get("breakdown"):
        return str(facts["breakdown"]).lower()
    return named.pop() if len(named) == 1 else ""


def _name_has(name: str, wanted: str | list[str]) -> bool:
    alternatives = [wanted] if isinstance(wanted, str) else wanted
    return any(all(word in name.lower() for word in alternative.lower().split()) for alternative in alternatives)


def failures(expect: dict[str, Any], facts: dict[str, Any], indicator: Callable[[str | None], dict[str, str]]) -> list[str]:
    """Each expected fact the answer does not carry, in a few words."""
    wrong: list[str] = []
    got_values = quoted(facts)
    for key in ("intent", "indicator", "period", "owner", "service", "from_period", "refused"):
        if key in expect and facts.get(key) != expect[key]:
            wrong.append(f"{key} {facts.get(key)!r} ≠ {expect[key]!r}")
    about = indicator(facts.get("indicator"))
    if "indicator_like" in expect and not _name_has(about.get("name", ""), expect["indicator_like"]):
        wrong.append(f"indicator {about.get('name')!r} is not about {expect['indicator_like']!r}")
    if "unit" in expect and about.get("unit") != expect["unit"]:
        wrong.append(f"unit {about.get('unit')!r} ≠ {expect['unit']!r}")
    if "geographies" in expect:
        places = facts.get("geographies") or []
        if places[:1] != expect["geographies"][:1] or set(places) != set(expect["geographies"]):
            wrong.append(f"places {places} ≠ {expect['geographies']}")
    if "subject" in expect and (facts.get("geographies") or [None])[0] != expect["subject"]:
        wrong.append(f"about {(facts.get('geographies') or [None])[0]}, not {expect['subject']}")
    for place, value in (expect.get("values") or {}).items():
        if not close(got_values.get(place), value):
            wrong.append(f"{place} {got_values.get(place)} ≠ {value}")
    if "ranked" in expect and not ranked_fits(facts.get("ranked") or [], expect["ranked"]):
        wrong.append(f"ranked {(facts.get('ranked') or [])[:5]} ≠ {expect['ranked'][:5]}")
    if "ranked_count" in expect and len(facts.get("ranked") or []) != expect["ranked_count"]:
        wrong.append(f"ranked {len(facts.get('ranked') or [])} places, not {expect['ranked_count']}")
    if "red" in expect and sorted(facts.get("red") or []) != sorted(expect["red"]):
        wrong.append(f"red {facts.get('red')} ≠ {expect['red']}")
    if "target" in expect and not _same_target(facts.get("target"), expect["target"]):
        wrong.append(f"target {facts.get('target')} ≠ {expect['target']}")
    if "includes" in expect and not set(expect["includes"]) <= set(facts.get("includes") or []):
        wrong.append(f"found {facts.get('includes')} lacks {expect['includes']}")
    if expect.get("chart") and facts.get("chart") is not True:
        wrong.append("no chart")
    breakdown = breakdown_of(facts)
    if "breakdown" in expect and breakdown != expect["breakdown"].lower():
        wrong.append(f"breakdown {breakdown!r} ≠ {expect['breakdown']!r}")
    if "breakdown" not in expect and breakdown not in WHOLE:
        wrong.append(f"quotes the {breakdown!r} breakdown as the whole")
    if expect.get("refuse") or expect.get("ask"):
        numbers = [key for key in ("values", "ranked", "red") if facts.get(key)]
        if numbers:
            wrong.append(f"answered with {', '.join(numbers)} instead of refusing")
    if expect.get("ask"):
        if facts.get("intent") != "clarify":
            wrong.append(f"intent {facts.get('intent')!r}, not a question back")
        elif "choices" in expect and choice_codes(facts) != set(expect["choices"]):
            wrong.append(f"choices {sorted(choice_codes(facts))} ≠ {sorted(expect['choices'])}")
    if "mentions" in expect and expect["mentions"].lower() not in (facts.get("answer") or "").lower():
        wrong.append(f"does not name {expect['mentions']!r}")
    if "values_within" in expect:
        others = sorted(set(got_values) - set(expect["values_within"]))
        if others:
            wrong.append(f"quotes values for {others}")
    return wrong


def _same_target(got: Any, expected: Any) -> bool:
    if isinstance(expected, list):
        return isinstance(got, list) and len(got) == len(expected) and all(close(g, e) for g, e in zip(got, expected))
    return isinstance(got, (int, float)) and close(got, expected)


def score(expect: dict[str, Any], facts: dict[str, Any], indicator: Callable[[str | None], dict[str, str]]) -> Verdict:
    """The verdict on one answer."""
    wrong = failures(expect, facts, indicator)
    numbers = bool(facts.get("values") or facts.get("ranked") or facts.get("red"))
    if is_refusal(expect):
        confident = any(reason.startswith(("answered with", "quotes values")) for reason in wrong)
    else:
        confident = numbers and bool(wrong)
    return Verdict(not wrong, confident, wrong)
