"""Drafts: an extraction under review by its sender, edited, then published once as a checklist."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from checklists.models import ChecklistView
from checklists.orm import DraftRow, ProcessedEventRow
from checklists.services import Actor, ChecklistService, ConflictError, NotFound, new_id
from checklists.status import TransitionError
from checklists.store import Store
from extractors.models import Deadline, Extraction, Item, Party

TAKEOVER_AFTER = timedelta(minutes=2)


def first_time(store: Store, event_id: str, now: datetime) -> bool:
    """True when this instance should handle the event: the first delivery, or a retry of one whose
    handler never finished (its instance died) after TAKEOVER_AFTER. Slack's other retries get False."""
    dialect = postgresql if store.is_postgres else sqlite
    stmt = dialect.insert(ProcessedEventRow).values(event_id=event_id, at=now).on_conflict_do_nothing()
    with store.session() as s:
        if s.execute(stmt).rowcount:  # type: ignore[attr-defined]
            return True
        taken = s.execute(update(ProcessedEventRow).where(
            ProcessedEventRow.event_id == event_id, ProcessedEventRow.done_at.is_(None),
            ProcessedEventRow.at < now - TAKEOVER_AFTER).values(at=now))
        return bool(taken.rowcount)  # type: ignore[attr-defined]


def finish_event(store: Store, event_id: str, now: datetime) -> None:
    with store.session() as s:
        s.execute(update(ProcessedEventRow).where(ProcessedEventRow.event_id == event_id).values(done_at=now))


class Drafts:
    def __init__(self, store: Store, service: ChecklistService, clock: Callable[[], datetime]) -> None:
        self.store = store
        self.service = service
        self.clock = clock

    def create(self, ex: Extraction, *, user: str, channel: str = "", thread_ts: str = "") -> str:
        draft_id = new_id()
        with self.store.session() as s:
            s.execute(insert(DraftRow).values(
                id=draft_id, user=user, channel=channel, thread_ts=thread_ts,
                extraction=ex.model_dump(mode="json"),
                meeting_date=ex.meeting_date, supervisors=[], state="open", checklist_id="",
                created_at=self.clock(), version=1))
        return draft_id

    def get(self, draft_id: str) -> tuple[DraftRow, Extraction]:
        with self.store.session() as s:
            row = s.get(DraftRow, draft_id)
            if row is None:
                raise NotFound("草稿不存在或已过期")
            s.expunge(row)
        return row, Extraction.model_validate(row.extraction)

    @staticmethod
    def _open_draft(s: Session, draft_id: str, user: str, verb: str) -> DraftRow:
        """The draft, if it exists, belongs to `user` and is still open; otherwise a clear refusal."""
        row = s.get(DraftRow, draft_id)
        if row is None:
            raise NotFound("草稿不存在或已过期")
        if row.user != user:
            raise TransitionError(f"只有草稿的提交人可以{verb}")
        if row.state != "open":
            raise TransitionError(f"草稿已发布或已取消,不能{verb}")
        return row

    def edit(self, draft_id: str, user: str, change: Callable[[Extraction, DraftRow], Extraction]) -> Extraction:
        """Apply one edit. Only the draft's owner may edit it, and only before it is published."""
        try:
            with self.store.session() as s:
                row = self._open_draft(s, draft_id, user, "修改")
                ex = change(Extraction.model_validate(row.extraction), row)
                row.extraction = ex.model_dump(mode="json")
                return ex
        except StaleDataError as exc:
            raise ConflictError("草稿已被修改,请刷新") from exc

    def cancel(self, draft_id: str, user: str) -> None:
        with self.store.session() as s:
            self._open_draft(s, draft_id, user, "取消").state = "cancelled"

    def publish(self, draft_id: str, user: str, *, channel: str, workspace: str = "") -> tuple[ChecklistView, bool]:
        """Publish once. A double click or a retry returns the checklist made the first time (False)."""
        try:
            with self.store.session() as s:
                row = s.get(DraftRow, draft_id)
                if row is None:
                    raise NotFound("草稿不存在或已过期")
                if row.user != user:
                    raise TransitionError("只有草稿的提交人可以发布")
                if row.checklist_id:
                    return self.service.get(row.checklist_id), False
                now = self.clock()
                if row.state == "publishing" and row.publishing_at and now - row.publishing_at < TAKEOVER_AFTER:
                    raise ConflictError("草稿正在发布,请稍候")
                # Claim the draft first (optimistic version check): of two clicks, one wins here. A claim
                # left behind by an instance that died is taken over after TAKEOVER_AFTER.
                row.state, row.publishing_at = "publishing", now
                ex = Extraction.model_validate(row.extraction)
                if row.meeting_date:
                    ex = ex.model_copy(update={"meeting_date": row.meeting_date})
                supervisors = list(row.supervisors)
        except StaleDataError as exc:
            raise ConflictError("草稿正在发布,请稍候") from exc
        view = self.service.create_from_extraction(ex, owner=user, channel=channel, workspace=workspace,
                                                   supervisors=supervisors)
        with self.store.session() as s:
            row = s.get(DraftRow, draft_id)
            assert row is not None
            row.checklist_id, row.state, row.channel = view.id, "published", channel
        return view, True


# ---- edits: pure functions of (extraction, row) -------------------------------------------------------
def remove_item(item_id: str) -> Callable[[Extraction, DraftRow], Extraction]:
    def apply(ex: Extraction, _row: DraftRow) -> Extraction:
        return ex.model_copy(update={"items": tuple(i for i in ex.items if i.id != item_id)})
    return apply


def merge_with_previous(item_id: str) -> Callable[[Extraction, DraftRow], Extraction]:
    def apply(ex: Extraction, _row: DraftRow) -> Extraction:
        items = list(ex.items)
        k = next((n for n, i in enumerate(items) if i.id == item_id), None)
        if k is None or k == 0:
            raise TransitionError("第一项没有上一项可合并")
        prev, cur = items[k - 1], items[k]
        merged = prev.model_copy(update={
            "text": f"{prev.text};{cur.text}", "quote": f"{prev.quote};{cur.quote}", "end": cur.end,
            "responsible": tuple({p.name: p for p in (*prev.responsible, *cur.responsible)}.values()),
            "deadline": prev.deadline or cur.deadline})
        items[k - 1:k + 1] = [merged]
        return ex.model_copy(update={"items": tuple(items)})
    return apply


def edit_item(item_id: str, *, text: str | None = None, parties: list[tuple[str, str]] | None = None,
              due: date | None = None, amount: float | None = None) -> Callable[[Extraction, DraftRow], Extraction]:
    def apply(ex: Extraction, _row: DraftRow) -> Extraction:
        items = []
        for it in ex.items:
            if it.id == item_id:
                update: dict[str, Any] = {}
                if text is not None and text.strip():
                    update["text"] = text.strip()
                if parties is not None:
                    update["responsible"] = tuple(Party(name=n, role=r, rule="draft.edit")  # type: ignore[arg-type]
                                                  for n, r in parties)
                if due is not None or amount is not None:
                    d = it.deadline or Deadline(kind="by", text=due.isoformat() if due else "", rule="draft.edit")
                    fill: dict[str, Any] = {"placeholder": False}
                    if due is not None:
                        fill["due"] = due
                    if amount is not None:
                        fill["amount"] = amount
                        fill["text"] = d.text.replace("X", f"{amount:g}", 1)
                    update["deadline"] = d.model_copy(update=fill)
                it = it.model_copy(update=update)
            items.append(it)
        return ex.model_copy(update={"items": tuple(items)})
    return apply


def set_meta(*, meeting_date: date | None = None,
             supervisors: list[str] | None = None) -> Callable[[Extraction, DraftRow], Extraction]:
    def apply(ex: Extraction, row: DraftRow) -> Extraction:
        if meeting_date is not None:
            row.meeting_date = meeting_date
            ex = ex.model_copy(update={"meeting_date": meeting_date})
        if supervisors is not None:
            row.supervisors = list(dict.fromkeys(supervisors))
        return ex
    return apply


def open_drafts(store: Store, user: str) -> list[str]:
    with store.session() as s:
        return list(s.scalars(select(DraftRow.id).where(DraftRow.user == user, DraftRow.state == "open")))


__all__ = ["Actor", "Drafts", "Item", "edit_item", "finish_event", "first_time", "merge_with_previous", "open_drafts",
           "remove_item", "set_meta"]
