"""Submissions by message ("NEET for October is 5.4%"): recognised, checked for permission and
routed. Recording them is the submission workflow's job; until it exists, nothing is written and
the reply says so."""
from __future__ import annotations

from bot.core.answers.common import Ask, Draft
from bot.core.people import may_submit


def answer_submit(ask: Ask) -> Draft:
    """Say who may submit, and that values cannot yet be recorded by message."""
    draft = Draft()
    code = ask.query.indicator
    info = ask.lookup.indicator(code)
    period = ask.query.when.period
    value = ask.query.submission.value if ask.query.submission else None
    draft.facts.update(indicator=code, period=period.label if period else None, value=value, recorded=False)
    delegators = ask.lookup.store.delegators(ask.person.email) if ask.person else []
    if not may_submit(ask.person, info["owner_email"], delegators):
        draft.facts["refused"] = True
        return draft.say(f"You can't submit values for *{info['name']}*: only its owner "
                         f"({info['owner_email'] or 'none recorded'}), their delegates or the performance team can.")
    draft.facts["refused"] = False
    return draft.say("I understood a value to submit, but recording values by message is not available yet. "
                     "Please send it to the performance team.")
