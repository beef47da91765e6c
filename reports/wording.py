"""The report's words: values with their units, targets, direction of travel and comparisons said
by polarity ("fell to 5.1%, lower is better"), a count set beside the region's and England's as its
share of their totals (never as if alike), values carried from an earlier period marked as such,
and the lines of a service's "what's good" page.

RAG marks are glyphs every common office font has (Arial, Calibri, Liberation Sans, Carlito):
× ▲ ● ○ — a deck opened with any of them shows a shape as well as a word."""
from __future__ import annotations

from bot.core.format import value_text
from charts.style import period_text
from reports.content import Measure

RAG_LABELS = {"red": "Red", "amber": "Amber", "green": "Green", None: "No target"}
RAG_SYMBOLS = {"red": "\u00d7", "amber": "\u25b2", "green": "\u25cf", None: "\u25cb"}
DIRECTION_LABELS = {"better": "Improving", "worse": "Getting worse", "no change": "No change",
                    "higher": "Up", "lower": "Down", None: "No earlier value"}
OBA_LABELS = {"how much": "How much did we do?", "how well": "How well did we do it?",
              "is anyone better off": "Is anyone better off?"}


def shown(measure: Measure, value: float | None) -> str:
    """A value of the measure with its unit and decimals."""
    return value_text(value, measure.unit, measure.decimals)


def rag_words(rag: str | None) -> str:
    """'× Red', '▲ Amber', '● Green' or '○ No target': a shape as well as a word."""
    return f"{RAG_SYMBOLS[rag]} {RAG_LABELS[rag]}"


def rag_label(measure: Measure) -> str:
    """The measure's RAG as a shape and a word ('○ No target' without a value)."""
    return rag_words(measure.rag if measure.value is not None else None)


def target_text(measure: Measure) -> str:
    """'target of 25.0 per 1,000', 'target range of 0.0% to 1.0%', or 'no target'."""
    if measure.target_low is not None and measure.target_high is not None:
        return f"target range of {shown(measure, measure.target_low)} to {shown(measure, measure.target_high)}"
    if measure.target is not None:
        return f"target of {shown(measure, measure.target)}"
    return "no target"


def target_cell(measure: Measure) -> str:
    """The target as a table shows it: '26.5 per 1,000', '-2.0% to 0.0%', 'none'."""
    return target_text(measure).removeprefix("target range of ").removeprefix("target of ").replace("no target", "none")


def period_note(measure: Measure) -> str:
    """The period of the value, saying so when it is carried from before the quarter."""
    if measure.period is None:
        return "no value yet"
    label = period_text(measure.period)
    return f"{label}, carried" if measure.carried else label


def carried_note(measure: Measure, short: bool = False) -> str:
    """'Carried from 2026/27 Q1: the 2026/27 Q2 return is outstanding' ('Carried: 2026/27 Q2 return
    outstanding' when `short`), or '' for a value of the quarter."""
    if not measure.carried:
        return ""
    owed = " and ".join(period_text(r.period) for r in measure.returns)
    if short:
        return f"Carried: {owed} return{'s' if len(measure.returns) > 1 else ''} outstanding" if owed \
            else "Carried: no value for the quarter yet"
    missing = (f"the {owed} return{'s are' if len(measure.returns) > 1 else ' is'} outstanding" if owed
               else "no value for the quarter yet")
    return f"Carried from {period_text(measure.period or '')}: {missing}"


def direction_text(measure: Measure) -> str:
    """'Improving since 2026/27 Q1 (28.4)' and the like."""
    label = DIRECTION_LABELS.get(measure.direction, "")
    if measure.direction is None or measure.previous is None:
        return label
    return f"{label} since {period_text(measure.previous)} ({shown(measure, measure.previous_value)})"


def comparison_text(measure: Measure, region_name: str) -> str:
    """'England 26.1 (better); West Midlands 27.0 (similar)', or '' when neither is known. A count
    is a share of each total ('0.46% of the England total'), never set beside it as if alike."""
    parts = []
    for name, value, verdict in (("England", measure.england_value, measure.vs_england),
                                 (region_name, measure.region_value, measure.vs_region)):
        if value is None:
            continue
        if measure.unit == "count":
            if value > 0 and measure.value is not None:
                parts.append(f"{_share(measure.value / value)} of the {name} total")
            continue
        parts.append(f"{name} {shown(measure, value)}" + (f" ({verdict})" if verdict else ""))
    return "; ".join(parts)


def _share(fraction: float) -> str:
    """A share as people write it: '4.6%', '0.46%' (two significant figures below 1%)."""
    percent = fraction * 100
    return f"{percent:.2g}%" if percent < 1 else f"{percent:.1f}%"


def _moved(measure: Measure) -> str:
    """'fell from 5.4% to 5.1%' / 'rose from 70.2% to 73.0%'."""
    went = "rose" if (measure.value or 0) > (measure.previous_value or 0) else "fell"
    return (f"{went} from {shown(measure, measure.previous_value)} in {period_text(measure.previous or '')} to "
            f"{shown(measure, measure.value)}")


POLARITY_WORDS = {"higher_is_better": "higher is better", "lower_is_better": "lower is better",
                  "in_range": "within the range is best"}


def good_news(measure: Measure) -> str | None:
    """The measure's line under "what's going well", or None when there is nothing good to say."""
    improved = measure.direction == "better" and measure.previous_value is not None
    if measure.value is None or not (measure.rag == "green" or improved):
        return None
    polarity = POLARITY_WORDS.get(measure.polarity, "")
    if measure.rag == "green" and improved:
        return f"{measure.name} {_moved(measure)} ({polarity}) and is on target ({target_text(measure)})."
    if measure.rag == "green":
        return f"{measure.name} is on target: {shown(measure, measure.value)} against a {target_text(measure)} ({period_note(measure)})."
    if measure.rag is None:
        return f"{measure.name} improved: it {_moved(measure)} ({polarity}); it has no target."
    return f"{measure.name} improved: it {_moved(measure)} ({polarity}), though still {RAG_LABELS[measure.rag].lower()}."


def concern(measure: Measure) -> str | None:
    """The measure's line under "what's not going well" — red, or worse than its previous period, or
    shown at an earlier value because its return is outstanding — or None."""
    owed = " and ".join(period_text(r.period) for r in measure.returns)
    outstanding = f"the {owed} return is outstanding" if owed else "there is no value for the quarter yet"
    if measure.value is None:
        return f"{measure.name} has no value yet: {outstanding}." if owed else None
    polarity = POLARITY_WORDS.get(measure.polarity, "")
    worse = measure.direction == "worse" and measure.previous_value is not None
    if measure.rag == "red":
        line = f"{measure.name} is red: {shown(measure, measure.value)} against a {target_text(measure)}"
        line += f"; it {_moved(measure)} ({polarity})" if worse else f" ({period_note(measure)})"
    elif worse:
        state = f"is {RAG_LABELS[measure.rag].lower()}" if measure.rag else "has no target"
        line = f"{measure.name} got worse: it {_moved(measure)} ({polarity}) and {state}"
    elif measure.carried:
        return f"{measure.name} is shown at its {period_text(measure.period or '')} value: {outstanding}."
    else:
        return None
    return f"{line}; {outstanding}." if measure.carried else f"{line}."
