"""Planning what to send and when: reminders, 反馈 requests, escalations and digests, as outbox rows
with deterministic keys. Pure: views, a policy and `now` in; `Planned` sends out."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from checklists.colours import Colour
from checklists.models import ChecklistView, ItemView
from checklists.outbox import Planned
from checklists.recurring import occurrences
from checklists.status import Status
from extractors.workdays import add_workdays, is_workday, workdays_before

OVERDUE_DAYS = (1, 2, 3, 5, 8, 13, 21)  # working days after the due date: daily at first, then backing off
# Items still waiting on their assignees: a submitted item waits on the supervisor, not on them.
CHASED = (Status.UNSIGNED, Status.ACKNOWLEDGED, Status.IN_PROGRESS, Status.RETURNED, Status.BLOCKED)


@dataclass(frozen=True)
class Policy:
    tz: ZoneInfo
    remind_workdays_before: tuple[int, ...] = (3, 1, 0)
    remind_hour: int = 9
    quiet_start: int = 20
    quiet_end: int = 8
    overdue_cap: int = 5
    feedback_weekday: int = 4
    feedback_hour: int = 10
    feedback_deadline_weekday: int = 0
    feedback_deadline_hour: int = 9
    digest_weekday: int = 0
    digest_hour: int = 9
    horizon: timedelta = timedelta(hours=26)
    lookback: timedelta = timedelta(days=3)
    supervisor_channel: str = ""
    overrides: dict[str, object] = field(default_factory=dict)

    def for_checklist(self, cl: ChecklistView) -> Policy:
        """Reminder times are configurable per checklist (checklist.settings)."""
        s = cl.settings or {}
        kw: dict[str, object] = {}
        if "remind_workdays_before" in s:
            kw["remind_workdays_before"] = tuple(int(x) for x in s["remind_workdays_before"])
        for key in ("remind_hour", "overdue_cap", "feedback_hour", "digest_hour"):
            if key in s:
                kw[key] = int(s[key])
        return replace(self, **kw) if kw else self  # type: ignore[arg-type]

    # ---- clock helpers --------------------------------------------------------------------------------
    def at(self, day: date, hour: int) -> datetime:
        return datetime.combine(day, time(hour), tzinfo=self.tz)

    def allowed(self, t: datetime) -> bool:
        local = t.astimezone(self.tz)
        return is_workday(local.date()) and self.quiet_end <= local.hour < self.quiet_start

    def next_allowed(self, t: datetime) -> datetime:
        """t itself when it is working hours on a working day; else the next working morning."""
        if self.allowed(t):
            return t
        local = t.astimezone(self.tz)
        day = local.date() if local.hour < self.quiet_end else local.date() + timedelta(days=1)
        while not is_workday(day):
            day += timedelta(days=1)
        return self.at(day, self.quiet_end)


def _week(d: date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y}W{w:02d}"


def _within(t: datetime, now: datetime, p: Policy) -> bool:
    return now - p.lookback <= t <= now + p.horizon


def _users(ids: Iterable[str]) -> list[str]:
    return [i for i in ids if i.startswith(("U", "W"))]


def plan_item(cl: ChecklistView, item: ItemView, now: datetime, p: Policy) -> list[Planned]:
    if item.status not in CHASED:
        return []
    out: list[Planned] = []
    leads = item.lead_assignees
    created = item.created_at
    if item.rrule:
        for day in occurrences(item.rrule, created.astimezone(p.tz).date(), (now + p.horizon).astimezone(p.tz).date()):
            when = p.next_allowed(p.at(day, p.remind_hour))
            if _within(when, now, p) and day not in {o.due for o in item.occurrences} and when >= created:
                out += [Planned(f"occ:{item.id}:{day}:{r}", "remind", cl.id, when, item.id, r,
                                {"tag": "occurrence", "due": day.isoformat()}) for r in leads]
        return out
    if item.due is None or item.placeholder or item.event_relative:
        return out
    tags = [(f"pre{n}", p.at(workdays_before(item.due, n), p.remind_hour)) for n in p.remind_workdays_before]
    tags += [(f"over{k}", p.at(add_workdays(item.due, k), p.remind_hour))
             for k in OVERDUE_DAYS[: p.overdue_cap]]
    for tag, when in tags:
        when = p.next_allowed(when)
        if when >= created and _within(when, now, p):
            out += [Planned(f"remind:{item.id}:{item.due}:{tag}:{r}", "remind", cl.id, when, item.id, r,
                            {"tag": tag, "due": item.due.isoformat()}) for r in leads]
    return out


def plan_escalations(cl: ChecklistView, item: ItemView, now: datetime, p: Policy) -> list[Planned]:
    """When an item turns 🟡 or 🔴, the right people hear about it once (per due date)."""
    if item.status not in CHASED or item.colour not in (Colour.YELLOW, Colour.RED):
        return []
    when = p.next_allowed(now)
    base = f"esc:{item.id}:{item.colour.value}:{item.due or 'none'}"
    people = list(dict.fromkeys([*_users(item.assignees), *_users(item.lead_assignees)]))
    out = [Planned(f"{base}:{r}", "escalate", cl.id, when, item.id, r, {"colour": item.colour.value}) for r in people]
    if item.colour is Colour.RED:
        target = p.supervisor_channel or (cl.supervisors[0] if cl.supervisors else cl.owner)
        out.append(Planned(f"{base}:supervisor", "dubandan", cl.id, when, item.id, target, {"colour": "red"}))
    return out


def plan_checklist(cl: ChecklistView, now: datetime, p: Policy) -> list[Planned]:
    p = p.for_checklist(cl)
    out: list[Planned] = []
    unassigned = False
    for item in cl.items:
        out += plan_item(cl, item, now, p)
        out += plan_escalations(cl, item, now, p)
        unassigned = unassigned or (item.status in CHASED and not item.lead_assignees)
    today = now.astimezone(p.tz).date()
    if unassigned and cl.owner and is_workday(today):
        when = p.next_allowed(p.at(today, p.remind_hour))
        out.append(Planned(f"unassigned:{cl.id}:{today}", "unassigned", cl.id, when, None, cl.owner, {}))
    out += _weekly(cl, now, p)
    return out


def _weekly(cl: ChecklistView, now: datetime, p: Policy) -> list[Planned]:
    """The week's digest (in the checklist's thread) and the 反馈 deadline check."""
    local = now.astimezone(p.tz).date()
    monday = local - timedelta(days=local.weekday())
    out = []
    digest_at = p.at(monday + timedelta(days=p.digest_weekday), p.digest_hour)
    if cl.channel and cl.header_ts and digest_at >= cl.created_at and _within(digest_at, now, p):
        out.append(Planned(f"digest:{cl.id}:{_week(monday)}", "digest", cl.id, digest_at, None, cl.channel,
                           {"week": _week(monday)}))
    deadline = p.at(monday + timedelta(days=p.feedback_deadline_weekday), p.feedback_deadline_hour)
    if _within(deadline, now, p) and deadline >= cl.created_at:
        out.append(Planned(f"feedback_due:{cl.id}:{_week(monday)}", "feedback_due", cl.id, deadline, None, "",
                           {"week": _week(monday)}))
    return out


def plan_feedback(checklists: Iterable[ChecklistView], now: datetime, p: Policy) -> list[Planned]:
    """One 反馈 request a week to each assignee with open items, across checklists."""
    local = now.astimezone(p.tz).date()
    this_monday = local - timedelta(days=local.weekday())
    views = list(checklists)
    out: list[Planned] = []
    # Last week's request too: a holiday Friday can push it into this week (国庆: 10/4 -> 10/8).
    for monday in (this_monday - timedelta(days=7), this_monday):
        day = monday + timedelta(days=p.feedback_weekday)
        while not is_workday(day):
            day += timedelta(days=1)
        when = p.at(day, p.feedback_hour)
        if not _within(when, now, p):
            continue
        deadline = p.next_allowed(p.at(day + timedelta(days=(p.feedback_deadline_weekday - day.weekday()) % 7 or 7),
                                       p.feedback_deadline_hour))
        by_user: dict[str, list[str]] = {}
        for cl in views:
            for item in cl.items:
                if item.status in CHASED and item.created_at <= when:
                    for user in _users(item.lead_assignees):
                        by_user.setdefault(user, []).append(item.id)
        out += [Planned(f"feedback:{user}:{_week(monday)}", "feedback", "", when, None, user,
                        {"items": ids, "deadline": deadline.isoformat()}) for user, ids in by_user.items()]
    return out


def plan_all(checklists: list[ChecklistView], now: datetime, p: Policy) -> list[Planned]:
    out: list[Planned] = []
    for cl in checklists:
        out += plan_checklist(cl, now, p)
    out += plan_feedback(checklists, now, p)
    if p.supervisor_channel and checklists:  # the optional cross-checklist digest for the 督办 channel
        local = now.astimezone(p.tz).date()
        monday = local - timedelta(days=local.weekday())
        when = p.at(monday + timedelta(days=p.digest_weekday), p.digest_hour)
        if _within(when, now, p) and any(cl.created_at <= when for cl in checklists):
            out.append(Planned(f"digest_all:{_week(monday)}", "digest_all", "", when, None, p.supervisor_channel,
                               {"week": _week(monday)}))
    return out
