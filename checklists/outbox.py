"""The claim API for reminders and digests (the scheduler builds on it).

A send is a row with a unique key per (item, occurrence, kind) or (checklist, week): enqueueing the same
key twice is a no-op, so every instance may plan the same work. Claiming hands each due row to exactly
one worker: `SELECT … FOR UPDATE SKIP LOCKED` on PostgreSQL, a single writer on SQLite. A claim that is
not completed in time (the worker died, Slack answered 429) expires and becomes claimable again."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from checklists.orm import SendRow
from checklists.store import Store

CLAIM_TTL = timedelta(minutes=5)


@dataclass(frozen=True)
class Send:
    id: int
    key: str
    kind: str
    checklist_id: str
    item_id: str | None
    recipient: str
    due_at: datetime
    attempts: int
    payload: dict[str, Any]


@dataclass(frozen=True)
class Planned:
    key: str
    kind: str
    checklist_id: str
    due_at: datetime
    item_id: str | None = None
    recipient: str = ""
    payload: dict[str, Any] | None = None


def enqueue(store: Store, planned: Iterable[Planned]) -> int:
    """Insert sends whose key is new; existing keys are left alone. Returns how many were new."""
    rows = [{"key": p.key, "kind": p.kind, "checklist_id": p.checklist_id, "item_id": p.item_id,
             "recipient": p.recipient, "due_at": p.due_at, "state": "pending", "claimed_by": "", "attempts": 0,
             "payload": p.payload or {}, "result": {}} for p in planned]
    if not rows:
        return 0
    dialect = postgresql if store.is_postgres else sqlite
    stmt = dialect.insert(SendRow).on_conflict_do_nothing(index_elements=["key"])
    with store.session() as s:
        result = s.execute(stmt.returning(SendRow.id), rows)
        return len(result.all())


def claim(store: Store, now: datetime, worker: str, *, limit: int = 100,
          kinds: Iterable[str] | None = None) -> list[Send]:
    """Hand up to `limit` due sends to this worker; no other worker gets the same ones."""
    due = or_(SendRow.state == "pending", (SendRow.state == "claimed") & (SendRow.claimed_until < now))
    query = select(SendRow.id).where(due, SendRow.due_at <= now).order_by(SendRow.due_at, SendRow.id).limit(limit)
    if kinds is not None:
        query = query.where(SendRow.kind.in_(list(kinds)))
    if store.is_postgres:
        query = query.with_for_update(skip_locked=True)
    values = {"state": "claimed", "claimed_by": worker, "claimed_until": now + CLAIM_TTL,
              "attempts": SendRow.attempts + 1}
    with store.session() as s:
        if store.is_postgres:
            ids = list(s.scalars(query))
            if not ids:
                return []
            stmt = update(SendRow).where(SendRow.id.in_(ids))
        else:
            # One UPDATE … WHERE id IN (SELECT …) is atomic under SQLite's single writer lock.
            stmt = update(SendRow).where(SendRow.id.in_(query.scalar_subquery()), due)
        rows = s.execute(stmt.values(**values).returning(SendRow), execution_options={"synchronize_session": False})
        out = [Send(r.id, r.key, r.kind, r.checklist_id, r.item_id, r.recipient, r.due_at, r.attempts,
                    dict(r.payload)) for r in rows.scalars()]
        return sorted(out, key=lambda x: (x.due_at, x.id))


def complete(store: Store, send_id: int, worker: str, now: datetime, result: dict[str, Any] | None = None) -> bool:
    """Mark a claimed send as sent, in one transaction with the send record. False if the claim was lost."""
    with store.session() as s:
        done = s.execute(update(SendRow).where(SendRow.id == send_id, SendRow.claimed_by == worker,
                                               SendRow.state == "claimed")
                         .values(state="sent", sent_at=now, result=result or {}))
        return bool(done.rowcount)  # type: ignore[attr-defined]


def release(store: Store, send_id: int, worker: str, *, retry_at: datetime, error: str, max_attempts: int = 8) -> None:
    """Give a claim back after a failure (429, 5xx): it is retried at `retry_at`, or dropped as dead."""
    with store.session() as s:
        row = s.get(SendRow, send_id)
        if row is None or row.claimed_by != worker:
            return
        row.state = "dead" if row.attempts >= max_attempts else "pending"
        row.due_at = retry_at
        row.claimed_by, row.claimed_until = "", None
        row.result = {"error": error[:500]}


def skip(store: Store, send_id: int, worker: str, now: datetime, reason: str) -> None:
    """Close a claim without sending (the item was done by the time its reminder came up)."""
    complete(store, send_id, worker, now, {"skipped": reason})


def counts(store: Store) -> dict[str, int]:
    with store.session() as s:
        return {state: n for state, n in s.execute(select(SendRow.state, func.count()).group_by(SendRow.state))}


def pending_due_within(store: Store, now: datetime, window: timedelta) -> int:
    """How many sends fall due in the next `window` (the index ix_sends_pending_due serves it)."""
    with store.session() as s:
        return int(s.scalar(select(func.count()).select_from(SendRow).where(
            SendRow.state == "pending", SendRow.due_at <= now + window)) or 0)


__all__ = ["Planned", "Send", "claim", "complete", "counts", "enqueue", "pending_due_within", "release", "skip"]
