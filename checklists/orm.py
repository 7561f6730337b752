"""SQLAlchemy 2 tables (typed). The same schema runs on SQLite and PostgreSQL; Alembic creates it."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on every engine (SQLite has no time zones: store naive UTC, read back aware)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return value.replace(tzinfo=UTC) if value is not None else None


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[str]: JSON}  # noqa: RUF012 (SQLAlchemy idiom)


class ChecklistRow(Base):
    __tablename__ = "checklists"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    meeting_date: Mapped[date | None] = mapped_column(Date)
    source_text: Mapped[str] = mapped_column(Text, default="")
    source_hash: Mapped[str] = mapped_column(String(64), index=True)
    workspace: Mapped[str] = mapped_column(String(32), default="")
    channel: Mapped[str] = mapped_column(String(32), default="")
    header_ts: Mapped[str] = mapped_column(String(32), default="")
    owner: Mapped[str] = mapped_column(String(32), default="")
    supervisors: Mapped[list[str]] = mapped_column(JSON, default=list)
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    items: Mapped[list[ItemRow]] = relationship(back_populates="checklist", order_by="ItemRow.seq",
                                                cascade="all, delete-orphan")


class ItemRow(Base):
    __tablename__ = "items"
    __table_args__ = (
        Index("ix_items_open_due", "status", "due"),
        UniqueConstraint("checklist_id", "seq"),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    checklist_id: Mapped[str] = mapped_column(ForeignKey("checklists.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    section: Mapped[str] = mapped_column(String(500), default="")
    text: Mapped[str] = mapped_column(Text)
    quote: Mapped[str] = mapped_column(Text, default="")
    quote_start: Mapped[int] = mapped_column(Integer, default=0)
    quote_end: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[str] = mapped_column(String(16), default="task")
    status: Mapped[str] = mapped_column(String(16), default="unsigned")
    progress: Mapped[int] = mapped_column(Integer, default=0)
    note: Mapped[str] = mapped_column(Text, default="")  # block reason or return reason in force
    deadline_kind: Mapped[str | None] = mapped_column(String(16))
    deadline_text: Mapped[str] = mapped_column(String(100), default="")
    deadline_unit: Mapped[str | None] = mapped_column(String(16))
    deadline_amount: Mapped[float | None] = mapped_column(Float)
    placeholder: Mapped[bool] = mapped_column(Boolean, default=False)
    event_relative: Mapped[bool] = mapped_column(Boolean, default=False)
    due: Mapped[date | None] = mapped_column(Date)
    rrule: Mapped[str | None] = mapped_column(String(200))
    confidence: Mapped[float] = mapped_column(Float, default=1.0)
    message_ts: Mapped[str] = mapped_column(String(32), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # 反馈: when a status report was last asked for, by when, and when an assignee last reported.
    report_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    report_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reported_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    checklist: Mapped[ChecklistRow] = relationship(back_populates="items")
    parties: Mapped[list[PartyRow]] = relationship(order_by="PartyRow.id", cascade="all, delete-orphan")
    occurrences: Mapped[list[OccurrenceRow]] = relationship(order_by="OccurrenceRow.due",
                                                            cascade="all, delete-orphan")

    # Optimistic locking: a concurrent update raises StaleDataError instead of losing a write.
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (SQLAlchemy idiom)


class PartyRow(Base):
    __tablename__ = "item_parties"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    item_id: Mapped[str] = mapped_column(ForeignKey("items.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(16), default="owner")


class OccurrenceRow(Base):
    """One dated occurrence of a recurring item ("每周五巡查" on a given Friday), ticked on its own."""

    __tablename__ = "occurrences"
    __table_args__ = (UniqueConstraint("item_id", "due"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    item_id: Mapped[str] = mapped_column(ForeignKey("items.id"), index=True)
    due: Mapped[date] = mapped_column(Date)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    done_by: Mapped[str] = mapped_column(String(32), default="")


class EventRow(Base):
    """Append-only audit trail (全程留痕): who, when, from what, to what, and why."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    checklist_id: Mapped[str] = mapped_column(String(32), index=True)
    item_id: Mapped[str | None] = mapped_column(String(32), index=True)
    actor: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    action: Mapped[str] = mapped_column(String(32))
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str | None] = mapped_column(String(16))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class DirectoryRow(Base):
    """A party name and the Slack users or user groups who act for it. Remembered across speeches."""

    __tablename__ = "directory"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)  # normalised name
    name: Mapped[str] = mapped_column(String(100))
    slack_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class UnmatchedRow(Base):
    """A party with no directory entry yet: the checklist owner resolves it."""

    __tablename__ = "unmatched_parties"
    __table_args__ = (UniqueConstraint("checklist_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    checklist_id: Mapped[str] = mapped_column(ForeignKey("checklists.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class SendRow(Base):
    """Outbox of reminders and digests. The unique key makes each (item, occurrence, kind) or
    (checklist, week) send happen once across instances; claims hand rows to one worker at a time."""

    __tablename__ = "sends"
    __table_args__ = (Index("ix_sends_pending_due", "state", "due_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    checklist_id: Mapped[str] = mapped_column(String(32), index=True)
    item_id: Mapped[str | None] = mapped_column(String(32))
    recipient: Mapped[str] = mapped_column(String(64), default="")
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    state: Mapped[str] = mapped_column(String(16), default="pending")  # pending | claimed | sent | dead
    claimed_by: Mapped[str] = mapped_column(String(64), default="")
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    result: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class ProcessedEventRow(Base):
    """Slack retries events: an event id seen once is never handled again, on any instance."""

    __tablename__ = "processed_events"

    event_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    # Set when the handling finished: an event taken but never finished (the instance died) is taken over.
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class DraftRow(Base):
    """An extraction under review by the person who sent it, before it is published as a checklist."""

    __tablename__ = "drafts"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    user: Mapped[str] = mapped_column(String(32))
    channel: Mapped[str] = mapped_column(String(32), default="")  # where the speech came in
    thread_ts: Mapped[str] = mapped_column(String(32), default="")  # the "正在解析…" message
    extraction: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    meeting_date: Mapped[date | None] = mapped_column(Date)
    supervisors: Mapped[list[str]] = mapped_column(JSON, default=list)
    state: Mapped[str] = mapped_column(String(16), default="open")  # open | publishing | published | cancelled
    checklist_id: Mapped[str] = mapped_column(String(32), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    publishing_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # when a 发布 claimed the draft
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (SQLAlchemy idiom)
