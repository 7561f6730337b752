"""Checklist services: create from an Extraction, act on items with role checks and an audit event per
change, and read models with colours computed against the injected clock."""

from __future__ import annotations

import hashlib
import threading
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import regex
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.exc import StaleDataError

from checklists import directory_service as directory
from checklists.colours import colour
from checklists.models import ChecklistView, EventView, ItemView, OccurrenceView, PartyView
from checklists.orm import ChecklistRow, DirectoryRow, EventRow, ItemRow, OccurrenceRow, PartyRow
from checklists.recurring import occurrences, streak_and_misses
from checklists.status import RULES, Action, Role, Status, TransitionError, check
from checklists.store import Store
from extractors.models import Extraction

Clock = Callable[[], datetime]
SYSTEM = "duban"


class NotFound(LookupError):
    pass


class ConflictError(RuntimeError):
    """Someone else changed the item first: the loser is told to refresh, nothing is overwritten."""


@dataclass(frozen=True)
class Actor:
    user_id: str
    group_ids: frozenset[str] = field(default_factory=frozenset)

    @property
    def ids(self) -> frozenset[str]:
        return self.group_ids | {self.user_id}


@dataclass(frozen=True)
class Change:
    """What an action carries besides its name."""

    percent: int | None = None
    comment: str = ""
    evidence: str = ""
    reason: str = ""
    due: date | None = None
    amount: float | None = None
    parties: Sequence[tuple[str, str]] | None = None  # (name, role) for 改派


def roles_of(actor: Actor, assignees: Iterable[str], owner: str, supervisors: Iterable[str]) -> set[Role]:
    roles: set[Role] = set()
    if actor.ids & set(assignees):
        roles.add(Role.ASSIGNEE)
    if actor.user_id == owner or actor.ids & set(supervisors):
        roles.add(Role.SUPERVISOR)
    return roles


def new_id() -> str:
    return uuid.uuid4().hex


class ChecklistService:
    def __init__(self, store: Store, clock: Clock, tz: ZoneInfo, *, blue_days: int = 3) -> None:
        self.store = store
        self.clock = clock
        self.tz = tz
        self.blue_days = blue_days
        self._dir_cache: tuple[tuple[object, ...], directory.DirectoryIndex] | None = None
        self._cache_lock = threading.Lock()
        self._dir_generation = 0

    def _index(self, s: Session) -> directory.DirectoryIndex:
        """The directory index, rebuilt only when the directory changed (one cheap query to know)."""
        row = s.execute(select(func.count(), func.max(DirectoryRow.updated_at)).select_from(DirectoryRow)).one()
        sig = (*row, self._dir_generation)  # the generation covers edits within one clock tick
        with self._cache_lock:
            if self._dir_cache is None or self._dir_cache[0] != sig:
                self._dir_cache = (sig, directory.load_index(s))
            return self._dir_cache[1]

    def today(self) -> date:
        return self.clock().astimezone(self.tz).date()

    # ---- creation -------------------------------------------------------------------------------------
    def create_from_extraction(self, ex: Extraction, *, owner: str, channel: str = "", workspace: str = "",
                               supervisors: Iterable[str] = (), source_raw: str = "",
                               settings: dict[str, Any] | None = None) -> ChecklistView:
        now = self.clock()
        checklist = ChecklistRow(
            id=new_id(), title=ex.title or "督办清单", meeting_date=ex.meeting_date, source_text=ex.text,
            source_hash=hashlib.sha256((source_raw or ex.text).encode()).hexdigest(), workspace=workspace,
            channel=channel, owner=owner, supervisors=list(supervisors), settings=settings or {}, created_at=now)
        for seq, it in enumerate(ex.items, 1):
            d = it.deadline
            row = ItemRow(
                id=new_id(), seq=seq, section=it.section, text=it.text, quote=it.quote, quote_start=it.start,
                quote_end=it.end, kind=it.kind, status=Status.UNSIGNED.value, progress=0, note="",
                deadline_kind=d.kind if d else None, deadline_text=d.text if d else "",
                deadline_unit=d.unit if d else None,
                deadline_amount=float(d.amount) if d and d.amount is not None else None,
                placeholder=bool(d and d.placeholder), event_relative=bool(d and d.event_relative),
                due=d.due if d else None, rrule=d.rrule if d else None, confidence=it.confidence,
                created_at=now, updated_at=now)
            row.parties = [PartyRow(name=p.name, role=p.role) for p in it.responsible]
            checklist.items.append(row)
        with self.store.session() as s:
            s.add(checklist)
            s.flush()
            directory.record_unmatched(s, checklist.id, [p.name for it in checklist.items for p in it.parties])
            self._event(s, checklist.id, None, owner or SYSTEM, "create", None, Status.UNSIGNED,
                        {"items": len(checklist.items), "title": checklist.title})
            return self._checklist_view(s, checklist)

    # ---- reading -------------------------------------------------------------------------------------
    def get(self, checklist_id: str) -> ChecklistView:
        with self.store.session() as s:
            row = s.scalar(select(ChecklistRow).where(ChecklistRow.id == checklist_id).options(
                selectinload(ChecklistRow.items).selectinload(ItemRow.parties),
                selectinload(ChecklistRow.items).selectinload(ItemRow.occurrences)))
            if row is None or row.deleted_at is not None:
                raise NotFound(f"找不到督办清单 {checklist_id}")
            return self._checklist_view(s, row)

    def find(self, prefix: str) -> ChecklistView:
        """A checklist by id or unique id prefix (operators type the first few characters)."""
        with self.store.session() as s:
            ids = list(s.scalars(select(ChecklistRow.id).where(ChecklistRow.id.startswith(prefix),
                                                               ChecklistRow.deleted_at.is_(None)).limit(2)))
        if len(ids) != 1:
            raise NotFound(f"找不到唯一的督办清单 {prefix}")
        return self.get(ids[0])

    def list_checklists(self) -> list[tuple[str, str, datetime]]:
        with self.store.session() as s:
            rows = s.execute(select(ChecklistRow.id, ChecklistRow.title, ChecklistRow.created_at)
                             .where(ChecklistRow.deleted_at.is_(None)).order_by(ChecklistRow.created_at))
            return [(r[0], r[1], r[2]) for r in rows]

    def latest_in_channel(self, channel: str) -> ChecklistView:
        with self.store.session() as s:
            cid = s.scalar(select(ChecklistRow.id).where(ChecklistRow.channel == channel, ChecklistRow.deleted_at.is_(None))
                           .order_by(ChecklistRow.created_at.desc()).limit(1))
        if cid is None:
            raise NotFound("本频道还没有督办清单")
        return self.get(cid)

    def supervised_by(self, user: str) -> list[ChecklistView]:
        """Checklists the user owns or supervises; only those are loaded in full."""
        with self.store.session() as s:
            rows = s.execute(select(ChecklistRow.id, ChecklistRow.owner, ChecklistRow.supervisors)
                             .where(ChecklistRow.deleted_at.is_(None)).order_by(ChecklistRow.created_at))
            ids = [cid for cid, owner, sups in rows if owner == user or user in (sups or [])]
        return [self.get(cid) for cid in ids]

    def item(self, item_id: str) -> ItemView:
        with self.store.session() as s:
            return self._item_view(s, self._load_item(s, item_id), self._index(s), self.today())

    def items_for(self, actor: Actor) -> list[ItemView]:
        """Open items the actor is an assignee of, across checklists: red first, then by due date."""
        with self.store.session() as s:
            index = self._index(s)
            rows = s.scalars(select(ItemRow).join(ChecklistRow).where(
                ChecklistRow.deleted_at.is_(None),
                ItemRow.status.not_in([Status.CLOSED.value, Status.CANCELLED.value])).options(
                selectinload(ItemRow.parties), selectinload(ItemRow.occurrences)))
            today = self.today()
            views = [self._item_view(s, r, index, today) for r in rows]
        mine = [v for v in views if actor.ids & set(v.assignees)]
        return sorted(mine, key=lambda v: (v.colour.rank, v.due or date.max, v.seq))

    def history(self, item_id: str) -> list[EventView]:
        with self.store.session() as s:
            rows = s.scalars(select(EventRow).where(EventRow.item_id == item_id).order_by(EventRow.id))
            return [_event_view(r) for r in rows]

    def checklist_events(self, checklist_id: str, since: datetime) -> list[tuple[str | None, EventView]]:
        with self.store.session() as s:
            rows = s.scalars(select(EventRow).where(EventRow.checklist_id == checklist_id, EventRow.at >= since)
                             .order_by(EventRow.id))
            return [(r.item_id, _event_view(r)) for r in rows]

    def roles(self, item: ItemView, checklist: ChecklistView, actor: Actor) -> set[Role]:
        return roles_of(actor, item.assignees, checklist.owner, checklist.supervisors)

    # ---- changes -------------------------------------------------------------------------------------
    def act(self, item_id: str, action: Action, actor: Actor, change: Change | None = None, *,
            expected_version: int | None = None) -> ItemView:
        """Apply one lifecycle action. Permission comes from the store, never from the caller's payload."""
        change = change or Change()
        try:
            with self.store.session() as s:
                row = self._load_item(s, item_id)
                if expected_version is not None and row.version != expected_version:
                    raise ConflictError("该事项已被他人更新,请刷新后重试 / changed by someone else, refresh")
                index = self._index(s)
                view = self._item_view(s, row, index, self.today())
                checklist = row.checklist
                roles = self._roles(view, checklist, actor)
                before = Status(row.status)
                after = check(action, before, roles, change.reason or change.comment
                              if action in (Action.BLOCK, Action.REJECT, Action.CANCEL) else "")
                data = self._apply(s, row, action, after, change)
                if RULES[action].role is Role.ASSIGNEE:
                    row.reported_at = self.clock()
                self._event(s, row.checklist_id, row.id, actor.user_id, action.value, before, after, data)
                s.flush()
                return self._item_view(s, row, index, self.today())
        except StaleDataError as exc:
            raise ConflictError("该事项已被他人更新,请刷新后重试 / changed by someone else, refresh") from exc

    def tick_occurrence(self, item_id: str, due: date, actor: Actor) -> ItemView:
        """Tick one occurrence of a recurring item ("每周五巡查" on this Friday)."""
        with self.store.session() as s:
            row = self._load_item(s, item_id)
            index = self._index(s)
            view = self._item_view(s, row, index, self.today())
            if Role.ASSIGNEE not in self._roles(view, row.checklist, actor):
                raise TransitionError("你不是该项的责任人,不能登记完成")
            if not row.rrule or due not in occurrences(row.rrule, row.created_at.astimezone(self.tz).date(), due):
                raise TransitionError(f"{due} 不是该事项的执行日期")
            if not any(o.due == due for o in row.occurrences):
                row.occurrences.append(OccurrenceRow(due=due, done_at=self.clock(), done_by=actor.user_id))
                row.updated_at = row.reported_at = self.clock()
                self._event(s, row.checklist_id, row.id, actor.user_id, "tick", None, None, {"due": due.isoformat()})
            s.flush()
            return self._item_view(s, row, index, self.today())

    def request_reports(self, item_ids: Iterable[str], *, due_at: datetime) -> None:
        """A 反馈 request went out for these items: an answer is due by `due_at`."""
        now = self.clock()
        with self.store.session() as s:
            for row in s.scalars(select(ItemRow).where(ItemRow.id.in_(list(item_ids)))):
                row.report_requested_at, row.report_due_at = now, due_at
                self._event(s, row.checklist_id, row.id, SYSTEM, "report_requested", None, None,
                            {"due_at": due_at.isoformat()})

    def set_supervisors(self, checklist_id: str, supervisors: Iterable[str], actor: Actor) -> None:
        with self.store.session() as s:
            row = self._load_checklist(s, checklist_id)
            self._require_owner(row, actor)
            old = list(row.supervisors)
            row.supervisors = list(dict.fromkeys(supervisors))
            self._event(s, row.id, None, actor.user_id, "supervisors", None, None, {"from": old, "to": row.supervisors})

    def set_location(self, checklist_id: str, *, channel: str, header_ts: str,
                     item_messages: dict[str, str] | None = None) -> None:
        with self.store.session() as s:
            row = self._load_checklist(s, checklist_id)
            row.channel, row.header_ts = channel, header_ts
            for item in row.items:
                if item_messages and item.id in item_messages:
                    item.message_ts = item_messages[item.id]

    def delete_checklist(self, checklist_id: str, actor: Actor) -> None:
        """Soft delete: the rows and the audit trail stay."""
        with self.store.session() as s:
            row = self._load_checklist(s, checklist_id)
            self._require_owner(row, actor)
            row.deleted_at = self.clock()
            self._event(s, row.id, None, actor.user_id, "delete", None, None, {})

    # ---- directory -----------------------------------------------------------------------------------
    def set_directory(self, name: str, slack_ids: Iterable[str], actor: Actor, aliases: Iterable[str] = ()) -> None:
        with self.store.session() as s:
            directory.set_entry(s, name, slack_ids, self.clock(), aliases)
            self._dir_generation += 1
            self._event(s, "", None, actor.user_id, "directory", None, None,
                        {"name": name, "slack_ids": list(slack_ids)})

    def directory_entries(self) -> list[tuple[str, list[str], list[str]]]:
        with self.store.session() as s:
            return [(r.name, list(r.slack_ids), list(r.aliases))
                    for r in s.scalars(select(DirectoryRow).order_by(DirectoryRow.name))]

    def unknown_parties(self, names: Iterable[str]) -> list[str]:
        """Which of these party names the directory cannot map yet (for a draft, before any checklist)."""
        with self.store.session() as s:
            index = self._index(s)
        return [n for n in dict.fromkeys(names) if not index.lookup(n)]

    def unmatched(self, checklist_id: str) -> list[str]:
        with self.store.session() as s:
            return directory.unmatched(s, checklist_id)

    # ---- internals -----------------------------------------------------------------------------------
    def _roles(self, view: ItemView, checklist: ChecklistRow, actor: Actor) -> set[Role]:
        return roles_of(actor, view.assignees, checklist.owner, checklist.supervisors)

    def _require_owner(self, row: ChecklistRow, actor: Actor) -> None:
        if actor.user_id != row.owner and not actor.ids & set(row.supervisors):
            raise TransitionError("只有清单发布人或督办人可以这样做")

    def _apply(self, s: Session, row: ItemRow, action: Action, after: Status, change: Change) -> dict[str, Any]:
        data: dict[str, Any] = {k: v for k, v in (("comment", change.comment), ("evidence", change.evidence),
                                                   ("reason", change.reason)) if v}
        row.status = after.value
        row.updated_at = self.clock()
        if action is Action.PROGRESS:
            if change.percent is not None:
                if not 0 <= change.percent <= 100:
                    raise TransitionError("进度应在 0 到 100 之间")
                data["percent"] = {"from": row.progress, "to": change.percent}
                row.progress = change.percent
        elif action is Action.COMPLETE:
            row.progress = 100
        elif action in (Action.BLOCK, Action.REJECT):
            row.note = change.reason or change.comment
        elif action is Action.RESCHEDULE:
            if change.due is None and change.amount is None:
                raise TransitionError("改期需要新的时限")
            data["due"] = {"from": row.due.isoformat() if row.due else None,
                           "to": change.due.isoformat() if change.due else None}
            if change.due is not None:
                row.due = change.due
            if change.amount is not None:
                data["amount"] = {"from": row.deadline_amount, "to": change.amount}
                row.deadline_amount = change.amount
                if row.deadline_text:
                    row.deadline_text = _fill_placeholder(row.deadline_text, change.amount)
            row.placeholder = False
        elif action is Action.REASSIGN:
            if not change.parties:
                raise TransitionError("改派需要新的责任单位")
            data["parties"] = {"from": [(p.name, p.role) for p in row.parties], "to": list(change.parties)}
            row.parties = [PartyRow(name=n, role=r) for n, r in change.parties]
            directory.record_unmatched(s, row.checklist_id, [n for n, _ in change.parties])
        if after in (Status.ACKNOWLEDGED, Status.IN_PROGRESS, Status.SUBMITTED) and action is not Action.REJECT:
            row.note = "" if action is not Action.BLOCK else row.note
        return data

    def _event(self, s: Session, checklist_id: str, item_id: str | None, actor: str, action: str,
               before: Status | None, after: Status | None, data: dict[str, Any]) -> None:
        s.add(EventRow(checklist_id=checklist_id, item_id=item_id, actor=actor, at=self.clock(), action=action,
                       from_status=before.value if before else None, to_status=after.value if after else None,
                       data=data))

    def _load_item(self, s: Session, item_id: str) -> ItemRow:
        row = s.scalar(select(ItemRow).where(ItemRow.id == item_id).options(
            selectinload(ItemRow.parties), selectinload(ItemRow.occurrences)))
        if row is None or row.checklist.deleted_at is not None:
            raise NotFound(f"找不到督办事项 {item_id}")
        return row

    def _load_checklist(self, s: Session, checklist_id: str) -> ChecklistRow:
        row = s.get(ChecklistRow, checklist_id)
        if row is None or row.deleted_at is not None:
            raise NotFound(f"找不到督办清单 {checklist_id}")
        return row

    def _checklist_view(self, s: Session, row: ChecklistRow) -> ChecklistView:
        index = self._index(s)
        today = self.today()
        return ChecklistView(
            id=row.id, title=row.title, meeting_date=row.meeting_date, workspace=row.workspace,
            channel=row.channel, header_ts=row.header_ts, owner=row.owner, supervisors=tuple(row.supervisors),
            settings=dict(row.settings), created_at=row.created_at,
            items=tuple(self._item_view(s, i, index, today) for i in row.items))

    def _item_view(self, s: Session, row: ItemRow, index: directory.DirectoryIndex, today: date) -> ItemView:
        created = row.created_at.astimezone(self.tz).date()
        due, streak, misses = row.due, 0, 0
        occ: tuple[OccurrenceView, ...] = ()
        if row.rrule:
            done = {o.due for o in row.occurrences}
            dues = occurrences(row.rrule, created, today + timedelta(days=31))
            streak, misses = streak_and_misses(dues, done, today)
            past = [d for d in dues if d < today]
            upcoming = [d for d in dues if d >= today and d not in done]
            due = past[-1] if past and past[-1] not in done else (upcoming[0] if upcoming else None)
            occ = tuple(OccurrenceView(due=o.due, done_at=o.done_at, done_by=o.done_by) for o in row.occurrences)
        status = Status(row.status)
        now = self.clock()
        missing = bool(row.report_due_at and now >= row.report_due_at and (
            row.reported_at is None or (row.report_requested_at and row.reported_at < row.report_requested_at)))
        tint = colour(status=status, due=None if row.event_relative or row.placeholder else due, created=created,
                      today=today, progress=row.progress, blue_days=self.blue_days, report_missing=missing,
                      judge_pace=row.reported_at is not None and not row.rrule)
        return ItemView(
            id=row.id, checklist_id=row.checklist_id, seq=row.seq, section=row.section, text=row.text,
            quote=row.quote, kind=row.kind, status=status, progress=row.progress, note=row.note,
            deadline_kind=row.deadline_kind, deadline_text=row.deadline_text, placeholder=row.placeholder,
            event_relative=row.event_relative, due=due, rrule=row.rrule, confidence=row.confidence,
            message_ts=row.message_ts, version=row.version, created_at=row.created_at,
            parties=tuple(PartyView(name=p.name, role=p.role, slack_ids=index.lookup(p.name)) for p in row.parties),
            colour=tint, occurrences=occ, streak=streak, misses=misses, report_missing=missing,
            reported_at=row.reported_at, updated_at=row.updated_at)


def _event_view(r: EventRow) -> EventView:
    return EventView(at=r.at, actor=r.actor, action=r.action, from_status=r.from_status, to_status=r.to_status,
                     data=r.data)


def _fill_placeholder(text: str, amount: float) -> str:
    value = int(amount) if float(amount).is_integer() else amount
    return regex.sub(r"[Xx×*＊]+", str(value), text, count=1)
