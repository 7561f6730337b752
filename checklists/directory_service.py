"""The party directory in the store: lookup, edit at run time, import from config, unmatched queue."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from checklists.directory import keys_for, normalise
from checklists.orm import DirectoryRow, UnmatchedRow


class DirectoryIndex:
    """All directory entries, indexed by every key their names and aliases file under."""

    def __init__(self, rows: Iterable[DirectoryRow]) -> None:
        self.by_key: dict[str, tuple[str, ...]] = {}
        for row in rows:
            for name in (row.name, *row.aliases):
                for key in keys_for(name):
                    self.by_key.setdefault(key, tuple(row.slack_ids))

    def lookup(self, party: str) -> tuple[str, ...]:
        for key in keys_for(party):
            if key in self.by_key:
                return self.by_key[key]
        return ()


def load_index(session: Session) -> DirectoryIndex:
    return DirectoryIndex(session.scalars(select(DirectoryRow)))


def set_entry(session: Session, name: str, slack_ids: Iterable[str], now: datetime,
              aliases: Iterable[str] = ()) -> DirectoryRow:
    key = normalise(name)
    row = session.get(DirectoryRow, key)
    if row is None:
        row = DirectoryRow(key=key, name=name, slack_ids=[], aliases=[], updated_at=now)
        session.add(row)
    row.slack_ids = list(dict.fromkeys(slack_ids))
    row.aliases = list(dict.fromkeys([*row.aliases, *aliases]))
    row.updated_at = now
    # Every checklist waiting on this name is unblocked at once: the answer is remembered.
    for pending in session.scalars(select(UnmatchedRow).where(UnmatchedRow.resolved_at.is_(None))):
        if DirectoryIndex([row]).lookup(pending.name):
            pending.resolved_at = now
    return row


def record_unmatched(session: Session, checklist_id: str, names: Iterable[str]) -> list[str]:
    index = load_index(session)
    missing = [n for n in dict.fromkeys(names) if not index.lookup(n)]
    for name in missing:
        session.add(UnmatchedRow(checklist_id=checklist_id, name=name))
    return missing


def unmatched(session: Session, checklist_id: str) -> list[str]:
    rows = session.scalars(select(UnmatchedRow).where(UnmatchedRow.checklist_id == checklist_id,
                                                     UnmatchedRow.resolved_at.is_(None)).order_by(UnmatchedRow.id))
    return [r.name for r in rows]
