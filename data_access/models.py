"""The store's tables as SQLAlchemy 2.0 typed models: places, indicators (the data dictionary),
targets, observations, people, the reporting calendar, conversation references and turns, delivery
claims, the audit log, the notification outbox, and what alerts need (recorded statuses and their changes, subscriptions, rules).

An observation is never overwritten: a correction inserts a new row and marks the old one
superseded, so both stay queryable; only rows with `superseded_at IS NULL` are current. The same
models run on SQLite (the embedded default) and PostgreSQL; the schema itself is created by the
Alembic migrations in `data_access/migrations`.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (Date, DateTime, Float, ForeignKey, Index, Integer, LargeBinary, String, Text,
                        UniqueConstraint, text)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

LEVELS = ("ward", "local_authority", "county", "region", "country")
POLARITIES = ("higher_is_better", "lower_is_better", "in_range", "neutral")
FREQUENCIES = ("monthly", "quarterly", "annual")


class Base(DeclarativeBase):
    """Declarative base of every table."""


class Geography(Base):
    """A place with an ONS code: ward, local authority, county, region or country."""

    __tablename__ = "geography"
    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(20), index=True)
    parent_code: Mapped[str | None] = mapped_column(String(16), ForeignKey("geography.code"), index=True)
    aliases: Mapped[str] = mapped_column(Text, default="", server_default="")


class ComparatorGroup(Base):
    """A named set of places compared with one another (e.g. CIPFA nearest neighbours)."""

    __tablename__ = "comparator_group"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)


class ComparatorMember(Base):
    """One place in a comparator group."""

    __tablename__ = "comparator_member"
    group_id: Mapped[int] = mapped_column(ForeignKey("comparator_group.id"), primary_key=True)
    geography_code: Mapped[str] = mapped_column(ForeignKey("geography.code"), primary_key=True)


class Indicator(Base):
    """An entry of the data dictionary: what is measured, how, by whom and which way is better."""

    __tablename__ = "indicator"
    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    aliases: Mapped[str] = mapped_column(Text, default="")
    unit: Mapped[str] = mapped_column(String(32))
    polarity: Mapped[str] = mapped_column(String(20))
    frequency: Mapped[str | None] = mapped_column(String(20))
    service: Mapped[str | None] = mapped_column(String(200))
    portfolio: Mapped[str | None] = mapped_column(String(200))
    oba_category: Mapped[str | None] = mapped_column(String(40))
    owner_email: Mapped[str | None] = mapped_column(String(254))
    decimals: Mapped[int] = mapped_column(Integer, default=1)
    source: Mapped[str | None] = mapped_column(Text)
    geography_levels: Mapped[str] = mapped_column(String(100), default="")
    description: Mapped[str | None] = mapped_column(Text)
    measure: Mapped[str | None] = mapped_column(String(200))
    source_indicator: Mapped[str | None] = mapped_column(Text)
    source_measure: Mapped[str | None] = mapped_column(Text)


class Target(Base):
    """The council's target for an indicator and place in one financial year."""

    __tablename__ = "target"
    __table_args__ = (UniqueConstraint("indicator_code", "geography_code", "financial_year"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    indicator_code: Mapped[str] = mapped_column(ForeignKey("indicator.code"))
    geography_code: Mapped[str] = mapped_column(ForeignKey("geography.code"))
    financial_year: Mapped[str] = mapped_column(String(10))
    target: Mapped[float | None] = mapped_column(Float)
    target_low: Mapped[float | None] = mapped_column(Float)
    target_high: Mapped[float | None] = mapped_column(Float)
    amber_tolerance: Mapped[float] = mapped_column(Float, default=0.0)


class Observation(Base):
    """One value of an indicator for a place and period (and optional breakdown such as sex).

    `value` is NULL when the source says the value is missing (`NA`, blank, a suppression marker),
    with `missing_reason` saying why ("suppressed (c)", "not applicable (z)"…); `lower_ci`,
    `upper_ci`, `count` and `denominator` are kept where the source publishes them."""

    __tablename__ = "observation"
    __table_args__ = (
        Index("ix_observation_current", "indicator_code", "breakdown", "geography_code", "period",
              unique=True, sqlite_where=text("superseded_at IS NULL"),
              postgresql_where=text("superseded_at IS NULL")),
        Index("ix_observation_current_place", "geography_code", "indicator_code", "breakdown", "period",
              sqlite_where=text("superseded_at IS NULL"), postgresql_where=text("superseded_at IS NULL")),
        Index("ix_observation_superseded_by", "superseded_by", sqlite_where=text("superseded_by IS NOT NULL"),
              postgresql_where=text("superseded_by IS NOT NULL")),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    indicator_code: Mapped[str] = mapped_column(ForeignKey("indicator.code"))
    geography_code: Mapped[str] = mapped_column(ForeignKey("geography.code"))
    period: Mapped[str] = mapped_column(String(40))
    period_kind: Mapped[str] = mapped_column(String(30))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    breakdown: Mapped[str] = mapped_column(String(200), default="")
    value: Mapped[float | None] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(20), default="final")
    source: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(254))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    channel: Mapped[str] = mapped_column(String(20), default="import")
    reason: Mapped[str | None] = mapped_column(Text)
    commentary: Mapped[str | None] = mapped_column(Text)
    missing_reason: Mapped[str | None] = mapped_column(Text)
    lower_ci: Mapped[float | None] = mapped_column(Float)
    upper_ci: Mapped[float | None] = mapped_column(Float)
    count: Mapped[float | None] = mapped_column(Float)
    denominator: Mapped[float | None] = mapped_column(Float)
    superseded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    superseded_by: Mapped[int | None] = mapped_column(Integer)


class Forecast(Base):
    """A value published for a period not yet ended, marked as a forecast: kept apart from the
    observations, so it is never the newest value, a status or an alert."""

    __tablename__ = "forecast"
    __table_args__ = (UniqueConstraint("indicator_code", "geography_code", "period", "breakdown"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    indicator_code: Mapped[str] = mapped_column(ForeignKey("indicator.code"))
    geography_code: Mapped[str] = mapped_column(ForeignKey("geography.code"))
    period: Mapped[str] = mapped_column(String(40))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    breakdown: Mapped[str] = mapped_column(String(200), default="")
    value: Mapped[float | None] = mapped_column(Float)
    source: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(254))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Person(Base):
    """Someone the bot knows: roles, ward (councillors), portfolio (cabinet), service, manager, chat ids."""

    __tablename__ = "person"
    email: Mapped[str] = mapped_column(String(254), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    roles: Mapped[str] = mapped_column(String(300), default="")
    ward_code: Mapped[str | None] = mapped_column(String(16))
    portfolio: Mapped[str | None] = mapped_column(String(200))
    service: Mapped[str | None] = mapped_column(String(200))
    manager_email: Mapped[str | None] = mapped_column(String(254))
    slack_user_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    teams_user_id: Mapped[str | None] = mapped_column(String(200), unique=True)


class Delegate(Base):
    """An officer allowed to submit values for a KPI owner's indicators."""

    __tablename__ = "delegate"
    owner_email: Mapped[str] = mapped_column(String(254), primary_key=True)
    delegate_email: Mapped[str] = mapped_column(String(254), primary_key=True)


class ReportingDeadline(Base):
    """A date in the reporting calendar (`data return` is the owners' deadline)."""

    __tablename__ = "reporting_deadline"
    frequency: Mapped[str] = mapped_column(String(20), primary_key=True)
    period: Mapped[str] = mapped_column(String(40), primary_key=True)
    milestone: Mapped[str] = mapped_column(String(100), primary_key=True)
    deadline: Mapped[date] = mapped_column(Date)


class ConversationReference(Base):
    """How to reach a person or chat channel proactively on one chat platform."""

    __tablename__ = "conversation_reference"
    channel: Mapped[str] = mapped_column(String(20), primary_key=True)
    key: Mapped[str] = mapped_column(String(300), primary_key=True)
    reference: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ConversationTurn(Base):
    """The last turn of one person's conversation on one channel, as JSON (see bot/core/turns.py)."""

    __tablename__ = "conversation_turn"
    channel: Mapped[str] = mapped_column(String(20), primary_key=True)
    conversation: Mapped[str] = mapped_column(String(300), primary_key=True)
    person: Mapped[str] = mapped_column(String(254), primary_key=True)
    turn: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class DeliveryClaim(Base):
    """A delivery (Slack event, Teams activity, button or form submission) claimed by the process answering it."""

    __tablename__ = "delivery_claim"
    key: Mapped[str] = mapped_column(String(300), primary_key=True)
    claimed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class InboxEvent(Base):
    """A chat event acknowledged to its channel and not yet answered (the inbox, as the outbox holds
    what is still to send): written before the acknowledgement, held by one process at a time under
    a lease that another process takes over once it expires, marked answered once answered."""

    __tablename__ = "inbox_event"
    __table_args__ = (Index("ix_inbox_event_waiting", "answered_at", "lease_until"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(300), unique=True)
    channel: Mapped[str] = mapped_column(String(20))
    body: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    held_by: Mapped[str] = mapped_column(String(120))
    lease_until: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class AuditEntry(Base):
    """An append-only record of one change: who, when, what, old and new value, why."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    actor: Mapped[str] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(40))
    entity_key: Mapped[str] = mapped_column(Text)
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(Text)


class Notification(Base):
    """One item in the notification outbox (a reminder for a return, an alert, a digest) for one
    recipient, unique by its idempotency key so that no sweep can queue it twice."""

    __tablename__ = "notification"
    __table_args__ = (Index("ix_notification_due", "status", "due_at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(400), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    recipient: Mapped[str] = mapped_column(String(300), index=True)
    indicator_code: Mapped[str | None] = mapped_column(String(64))
    geography_code: Mapped[str | None] = mapped_column(String(16))
    period: Mapped[str | None] = mapped_column(String(40))
    stage: Mapped[str | None] = mapped_column(String(40))
    payload: Mapped[str] = mapped_column(Text, default="{}")
    due_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(20), default="pending")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    delivery_id: Mapped[int | None] = mapped_column(Integer, index=True)
    note: Mapped[str | None] = mapped_column(Text)


class Delivery(Base):
    """One message sent to one recipient, grouping the outbox items it carries. Written before the
    send ('sending') and marked 'sent' after, so a crash in between is resent with the same key.
    `updates_delivery_id` names the earlier message this one rewrites in place (a recovery
    updating its alert), when there is one."""

    __tablename__ = "delivery"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(400), unique=True)
    recipient: Mapped[str] = mapped_column(String(300))
    channel: Mapped[str] = mapped_column(String(20))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="sending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(Text)
    reference: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updates_delivery_id: Mapped[int | None] = mapped_column(Integer)


class ReminderPause(Base):
    """Reminders held back: a person's snooze (all their returns) or a return marked not available
    (indicator and period, for everyone) until a date, with the reason given."""

    __tablename__ = "reminder_pause"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    email: Mapped[str | None] = mapped_column(String(254))
    indicator_code: Mapped[str | None] = mapped_column(String(64))
    period: Mapped[str | None] = mapped_column(String(40))
    until: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    reason: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class InboxMessage(Base):
    """A message delivered to a person's perfbot inbox (the web demo and console channel); unique by
    delivery key, so delivering the same message twice leaves one."""

    __tablename__ = "inbox_message"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(400), unique=True)
    recipient: Mapped[str] = mapped_column(String(300), index=True)
    body: Mapped[str] = mapped_column(Text)
    delivered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class SweepState(Base):
    """How far a sweep has got: the last day it planned and the data version it planned from, so a
    repeat sweep with nothing changed does nothing and one after a gap catches up."""

    __tablename__ = "sweep_state"
    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    day: Mapped[date] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer)


class AlertStatus(Base):
    """The status last recorded for an indicator and place under one alert rule ('rag': red, amber,
    green or none; 'england': worse or ok against the indicator's England margin), with the value
    and period it was judged on. Alerts fire on a change from what is recorded here."""

    __tablename__ = "alert_status"
    rule: Mapped[str] = mapped_column(String(20), primary_key=True)
    indicator_code: Mapped[str] = mapped_column(String(64), primary_key=True)
    geography_code: Mapped[str] = mapped_column(String(16), primary_key=True)
    period: Mapped[str] = mapped_column(String(40))
    status: Mapped[str | None] = mapped_column(String(20))
    value: Mapped[float | None] = mapped_column(Float)
    observation_id: Mapped[int | None] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class StatusChange(Base):
    """One change of an indicator's status at a place (the log behind "what changed since last week")."""

    __tablename__ = "status_change"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    rule: Mapped[str] = mapped_column(String(20))
    indicator_code: Mapped[str] = mapped_column(String(64))
    geography_code: Mapped[str] = mapped_column(String(16))
    period: Mapped[str] = mapped_column(String(40))
    old_status: Mapped[str | None] = mapped_column(String(20))
    new_status: Mapped[str | None] = mapped_column(String(20))
    old_period: Mapped[str | None] = mapped_column(String(40))
    value: Mapped[float | None] = mapped_column(Float)


class Subscription(Base):
    """Someone asking to hear when something goes red: an indicator, a service, a portfolio or a ward."""

    __tablename__ = "subscription"
    __table_args__ = (UniqueConstraint("email", "kind", "target"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    target: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AlertRule(Base):
    """An admin's extra alert for an indicator: alert when it is worse than England by more than a margin
    (in the indicator's unit)."""

    __tablename__ = "alert_rule"
    indicator_code: Mapped[str] = mapped_column(String(64), primary_key=True)
    worse_than_england_by: Mapped[float] = mapped_column(Float)
    set_by: Mapped[str] = mapped_column(String(254))
    set_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ImprovementAction(Base):
    """What will be done about a red measure for a quarter's report: the action, who leads it and by
    when, recorded by whom (each change is audited)."""

    __tablename__ = "improvement_action"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    indicator_code: Mapped[str] = mapped_column(String(64), index=True)
    quarter: Mapped[str] = mapped_column(String(40))
    action: Mapped[str] = mapped_column(Text)
    lead: Mapped[str] = mapped_column(String(200))
    due: Mapped[date | None] = mapped_column(Date)
    recorded_by: Mapped[str] = mapped_column(String(254))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ReportComment(Base):
    """A cabinet member's comment on their service's pages of a quarter's report."""

    __tablename__ = "report_comment"
    __table_args__ = (UniqueConstraint("quarter", "service"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    quarter: Mapped[str] = mapped_column(String(40))
    service: Mapped[str] = mapped_column(String(200))
    comment: Mapped[str] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(254))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class HostedFile(Base):
    """A file or chart handed to a channel that fetches it by link (Teams): kept in the store so any
    process can serve it, until it expires (the scheduler removes expired ones)."""

    __tablename__ = "hosted_file"
    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    media_type: Mapped[str] = mapped_column(String(200))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class DemoClock(Base):
    """The web demo's clock (how far it runs ahead of real time), kept so that `perfbot chat` and
    `perfbot ask` on the demo's store answer as of the demo's date."""

    __tablename__ = "demo_clock"
    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    offset_seconds: Mapped[float] = mapped_column(Float)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class DemoStore(Base):
    """The mark of a store `perfbot demo` made for itself: the demo runs on no other."""

    __tablename__ = "demo_store"
    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    made_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ReturnFile(Base):
    """A return's spreadsheet dropped into a chat: the values it would record (JSON), waiting for the
    person's Confirm until `expires_at`; `state` moves previewed → confirmed (→ undone) or cancelled
    once, by a conditional update, so a Confirm clicked twice or retried records once."""

    __tablename__ = "return_file"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token: Mapped[str] = mapped_column(String(40), unique=True)
    person_email: Mapped[str] = mapped_column(String(254), index=True)
    channel: Mapped[str] = mapped_column(String(20))
    filename: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    state: Mapped[str] = mapped_column(String(20), default="previewed")
    entries: Mapped[str] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    observation_ids: Mapped[str | None] = mapped_column(Text, nullable=True)
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
