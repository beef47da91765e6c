"""Who asked to hear about what: subscriptions to an indicator, a service, a portfolio or a ward
("alert me when NEET goes red", "tell me when anything in my ward goes red"), and the admin's
"worse than England by more than X" rules. Every change is audited."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite

from data_access.audit import record_change
from data_access.models import AlertRule, AlertStatus, Subscription
from data_access.store import Store

INDICATOR, SERVICE, PORTFOLIO, WARD = "indicator", "service", "portfolio", "ward"
KINDS = (INDICATOR, SERVICE, PORTFOLIO, WARD)


@dataclass(frozen=True)
class Interest:
    """One subscription: who, to what kind of thing, and which (indicator code, service or
    portfolio name, ward code)."""

    email: str
    kind: str
    target: str


def subscribe(store: Store, email: str, kind: str, target: str) -> bool:
    """Add a subscription; False when the person already had it."""
    if kind not in KINDS:
        raise ValueError(f"cannot subscribe to a {kind}")
    now = store.clock()
    email = email.lower()
    with store.sessions.begin() as session:
        dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
        added = session.execute(dialect.insert(Subscription).values(
            email=email, kind=kind, target=target, created_at=now).on_conflict_do_nothing(
            index_elements=["email", "kind", "target"]).returning(Subscription.id)).first() is not None
        if added:
            record_change(session, now, email, "subscribe", "subscription", f"{email}|{kind}|{target}")
    return added


def unsubscribe(store: Store, email: str, kind: str | None = None, target: str | None = None) -> list[Interest]:
    """Remove a person's subscriptions (all of them, or of one kind and target); returns those removed."""
    email = email.lower()
    now = store.clock()
    with store.sessions.begin() as session:
        query = select(Subscription).where(Subscription.email == email)
        if kind is not None:
            query = query.where(Subscription.kind == kind, Subscription.target == target)
        rows = list(session.scalars(query))
        if rows:
            session.execute(delete(Subscription).where(Subscription.id.in_([r.id for r in rows])))
        for row in rows:
            record_change(session, now, email, "unsubscribe", "subscription", f"{email}|{row.kind}|{row.target}")
        wards = {r.target for r in rows if r.kind == WARD}
        still = set(session.scalars(select(Subscription.target).where(Subscription.kind == WARD,
                                                                      Subscription.target.in_(wards)))) if wards else set()
        if wards - still:  # nobody watches these wards now: forget their statuses, so a new subscriber starts afresh
            session.execute(delete(AlertStatus).where(AlertStatus.geography_code.in_(wards - still)))
    return [Interest(r.email, r.kind, r.target) for r in rows]


def subscriptions(store: Store, email: str | None = None) -> list[Interest]:
    """Everyone's subscriptions, or one person's, in the order they were made."""
    query = select(Subscription).order_by(Subscription.id)
    if email is not None:
        query = query.where(Subscription.email == email.lower())
    with store.sessions() as session:
        return [Interest(r.email, r.kind, r.target) for r in session.scalars(query)]


def watched_wards(store: Store) -> list[str]:
    """The wards someone subscribed to."""
    with store.sessions() as session:
        return sorted(set(session.scalars(select(Subscription.target).where(Subscription.kind == WARD))))


def england_margins(store: Store) -> dict[str, float]:
    """Indicator code → the margin beyond England that raises an alert."""
    with store.sessions() as session:
        return {r.indicator_code: r.worse_than_england_by for r in session.scalars(select(AlertRule))}


def set_england_margin(store: Store, indicator: str, margin: float | None, by: str) -> float | None:
    """Alert when `indicator` is worse than England by more than `margin` (None removes the rule);
    returns the margin it replaced."""
    now = store.clock()
    with store.sessions.begin() as session:
        row = session.get(AlertRule, indicator)
        old = row.worse_than_england_by if row else None
        if margin is None:
            if row is not None:
                session.delete(row)
            # forget what the rule last saw, so setting it again starts from a silent baseline
            session.execute(delete(AlertStatus).where(AlertStatus.rule == "england",
                                                      AlertStatus.indicator_code == indicator))
        elif row is None:
            session.add(AlertRule(indicator_code=indicator, worse_than_england_by=margin, set_by=by, set_at=now))
        else:
            row.worse_than_england_by, row.set_by, row.set_at = margin, by, now
        record_change(session, now, by, "alert rule", "indicator", indicator, old, margin)
    return old
