"""What changed (`changes`): the measures of the council — or of a service, a portfolio or the
asker's own — whose RAG status or direction changed between their two newest periods: new to red,
got worse, improved, with the figures and the direction. The first thing a leader asks."""
from __future__ import annotations

import pandas as pd

from bot.core.answers.common import Ask, Draft
from bot.core.answers.status import scope_of
from bot.core.format import period_text, rag_text

RANK = {"green": 0, "amber": 1, "red": 2}
SHOWN = 8


def answer_changes(ask: Ask) -> Draft:
    """Measures new to red, worse and better at their newest value against the one before."""
    draft = Draft()
    scope = scope_of(ask)
    if scope.refusal:
        draft.facts.update(refused=True)
        return draft.say(scope.refusal)
    pairs = _newest_two(ask, scope.indicators)
    draft.facts.update(geographies=[ask.council], red=sorted(pairs.loc[pairs["rag"] == "red", "indicator_code"]))
    if pairs.empty:
        return draft.say(f"I have no measures with two periods of values for {scope.name}.")
    new_red = pairs[(pairs["rag"] == "red") & (pairs["rag_before"] != "red")]
    worse = pairs[(pairs["previous_direction"] == "worse") & ~pairs["indicator_code"].isin(new_red["indicator_code"])]
    better = pairs[pairs["previous_direction"] == "better"]
    wanted = ask.query.rag or _asked_way(ask)
    draft.facts.update(new_red=new_red["indicator_code"].tolist(), worse=worse["indicator_code"].tolist(),
                       better=better["indicator_code"].tolist())
    draft.say(f"*What changed for {scope.name}* — each measure's newest value against the one before:")
    sections = [("New to red", new_red, "red"), ("Got worse", worse, "worse"), ("Improved", better, "better")]
    for title, rows, key in sections:
        if wanted and key not in (wanted, "red" if wanted == "worse" else ""):
            continue
        if rows.empty:
            draft.say(f"{title}: none.")
            continue
        draft.say(f"{title} ({len(rows)}):")
        for row in rows.head(SHOWN).itertuples():
            draft.say(_line(ask, row))
        if len(rows) > SHOWN:
            draft.say(f"…and {len(rows) - SHOWN} more.")
    return draft


def _asked_way(ask: Ask) -> str | None:
    """"worse" or "better" when the question asked only one way ("what got worse?")."""
    text = " ".join(phrase for _, phrase in ask.query.understood)
    if any(word in text for word in ("worse", "deteriorat", "declin", "slipp", "dropp")):
        return "worse"
    if any(word in text for word in ("better", "improv")):
        return "better"
    return None


def _newest_two(ask: Ask, indicators: set[str] | None) -> pd.DataFrame:
    """Each indicator's newest council value with its status, and the RAG of the value before."""
    store = ask.lookup.store
    frame = store.observations(geography_codes=[ask.council])
    frame = frame[frame["value"].notna() & (frame["breakdown"].fillna("") == "")]
    if indicators is not None:
        frame = frame[frame["indicator_code"].isin(indicators)]
    if frame.empty:
        return frame.assign(rag=[], rag_before=[], previous_direction=[])
    evaluated = store.evaluate(frame).sort_values("period_end")
    last_two = evaluated.groupby("indicator_code").tail(2)
    before = last_two.groupby("indicator_code").head(1).set_index("indicator_code")["rag"]
    newest = last_two.groupby("indicator_code").tail(1).copy()
    counted = last_two.groupby("indicator_code")["period"].transform("count")
    newest = newest[counted.loc[newest.index] == 2]
    newest["rag_before"] = newest["indicator_code"].map(before)
    return newest.sort_values("indicator_code")


def _line(ask: Ask, row) -> str:
    code = row.indicator_code
    was = f"{ask.show(code, row.previous_value)} ({period_text(row.previous, months=False)})" \
        if isinstance(row.previous, str) else ask.show(code, row.previous_value)
    status = ""
    if row.rag != row.rag_before and isinstance(row.rag, str):
        status = f"; {rag_text(row.rag_before) if isinstance(row.rag_before, str) else 'no status'} → {rag_text(row.rag)}"
    return f"• {ask.indicator_name(code)}: {was} → *{ask.show(code, row.value)}* ({period_text(row.period, months=False)}){status}"
