"""Deadlines: find time expressions in an item (extractor) and give them values (parser)."""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from typing import Any, NamedTuple

import regex

from extractors.hits import Hit, HitIndex
from extractors.models import Deadline
from extractors.rules import Rule, lexicon
from extractors.workdays import add_workdays

PLACEHOLDER = regex.compile(r"^[Xx×*＊]+$")
WEEKDAYS = {"一": "MO", "二": "TU", "三": "WE", "四": "TH", "五": "FR", "六": "SA", "日": "SU", "天": "SU"}
UNITS = {"小时": "hour", "工作日": "workday", "个工作日": "workday", "天": "day", "日": "day", "周": "week",
         "星期": "week", "月": "month", "个月": "month", "年": "year"}
# When an item holds several expressions, the most specific one is its deadline. A bare period
# ("下半年接种任务") is often a modifier, so it ranks below 尽早/立即.
PERIOD_GAP = 2  # characters between a period and a time limit counted from it ("每季度末5日内": "末")
PRIORITY = {"within": 0, "by": 1, "recurring": 2, "immediate": 3, "asap": 4, "by.bare": 5}


class Found(NamedTuple):
    rule: Rule
    match: regex.Match[str]

    @property
    def rank(self) -> int:
        bare = self.rule.bare and not self.match.group(0).endswith(("前", "内"))
        return PRIORITY["by.bare" if bare else self.rule.kind]


def to_number(raw: str) -> float | int | None:
    """A captured number: digits, Chinese numerals (cn2an), 两 and 半. None when redacted ("X")."""
    if PLACEHOLDER.match(raw):
        return None
    if raw == "半":
        return 0.5
    if raw.isdigit():
        return int(raw)
    import cn2an  # imported on first use: it takes ~0.25 s to load and most speeches never need it

    value = cn2an.cn2an(raw.replace("两", "二"), "smart")
    return int(value) if float(value).is_integer() else float(value)


def pick(hits: list[Hit]) -> Found | None:
    """The deadline of an item among the time expressions it holds: the most specific, then the first."""
    if not hits:
        return None
    if len(hits) == 1:
        return Found(hits[0].rule, hits[0].match)
    found = [Found(h.rule, h.match) for h in hits]
    best = min(found, key=lambda f: (f.rank, f.match.start()))
    if best.rule.kind == "within":
        # "每季度末5日内报送": the time limit counts from each period's end, so the item recurs.
        period = next((f for f in found if f.rule.kind == "recurring"
                       and 0 <= best.match.start() - f.match.end() <= PERIOD_GAP), None)
        if period is not None:
            return period
    return best


def deadline_index(text: str) -> HitIndex:
    return HitIndex(text, lexicon().deadline, shadow=True)


def parse(found: Found, *, meeting_date: date | None, meeting_year: int | None,
          event_relative: bool = False) -> Deadline:
    kind, m, name = found.rule.kind, found.match, found.rule.name
    base = {"kind": kind, "text": m.group(0), "rule": name}
    if kind == "within":
        return _within(m, base, meeting_date, event_relative)
    if kind == "by":
        return _by(m, base, meeting_date, meeting_year)
    if kind == "recurring":
        return _recurring(m, base)
    return Deadline(**base)


def _within(m: regex.Match[str], base: dict[str, Any], meeting: date | None, event: bool) -> Deadline:
    amount = to_number(m.group("amount"))
    unit = UNITS.get(m.group("unit"), "day")
    due = None
    if amount is not None and meeting is not None and not event:
        n = int(amount) if float(amount).is_integer() else amount
        if unit == "workday":
            due = add_workdays(meeting, int(n))
        elif unit == "day":
            due = meeting + timedelta(days=int(n))
        elif unit == "week":
            due = meeting + timedelta(days=round(7 * n))
        elif unit == "month":
            due = meeting + timedelta(days=round(30 * n)) if n != int(n) else _add_months(meeting, int(n))
        elif unit == "year":
            due = _add_months(meeting, int(12 * n))
        elif unit == "hour":
            due = meeting + timedelta(hours=n)
    return Deadline(**base, unit=unit, amount=amount, placeholder=amount is None, due=due,
                    event_relative=event)


def _add_months(day: date, months: int) -> date:
    y, mo = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, mo + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _year_of(raw: str | None, meeting: date | None, meeting_year: int | None) -> int | None:
    ref = meeting.year if meeting else meeting_year
    if raw and raw[:4].isdigit():
        return int(raw[:4])
    if raw and raw.startswith(("明年", "来年")):
        return ref + 1 if ref else None
    return ref


def _by(m: regex.Match[str], base: dict[str, Any], meeting: date | None, meeting_year: int | None) -> Deadline:
    groups = m.groupdict()
    year = _year_of(groups.get("year"), meeting, meeting_year)
    if groups.get("period") in ("来年", "明年"):
        year = year + 1 if year else None
    if "month" in groups and groups["month"] is not None:
        if PLACEHOLDER.match(groups["month"]) or PLACEHOLDER.match(groups.get("day") or "1"):
            return Deadline(**base, placeholder=True)
        month = int(to_number(groups["month"]) or 1)
        if groups.get("day"):
            day = int(to_number(groups["day"]) or 1)
        else:
            edge = groups.get("edge") or "底"
            last = calendar.monthrange(year or 2000, month)[1]
            day = {"上旬": 10, "中旬": 20}.get(edge, last)
        if year and meeting and date(year, month, min(day, 28)) < meeting and not groups.get("year"):
            year += 1  # "6月底前" said in November means next June
        return Deadline(**base, due=_safe_date(year, month, day))
    if groups.get("half") == "上半年":
        return Deadline(**base, due=_safe_date(year, 6, 30))
    if groups.get("which"):
        quarter = _quarter(groups["which"], meeting)
        return Deadline(**base, due=_safe_date(year, quarter * 3, 31 if quarter in (1, 4) else 30) if quarter
                        else None)
    return Deadline(**base, due=_safe_date(year, 12, 31))


def _quarter(which: str, meeting: date | None) -> int | None:
    if which == "本":
        return (meeting.month - 1) // 3 + 1 if meeting else None
    return int(to_number(which.removeprefix("第")) or 0) or None


def _safe_date(year: int | None, month: int, day: int) -> date | None:
    if not year or not 1 <= month <= 12:
        return None
    return date(year, month, max(1, min(day, calendar.monthrange(year, month)[1])))


def _recurring(m: regex.Match[str], base: dict[str, Any]) -> Deadline:
    name, groups = base["rule"], m.groupdict()
    if name == "recurring.every_n_days":
        n = to_number(groups["amount"])
        rule = "FREQ=DAILY" + (f";INTERVAL={int(n)}" if n and n > 1 else "")
        return Deadline(**base, rrule=rule, unit="day", amount=n, placeholder=n is None)
    if name == "recurring.weekday":
        return Deadline(**base, rrule=f"FREQ=WEEKLY;BYDAY={WEEKDAYS[groups['weekday']]}")
    if name == "recurring.monthly_day":
        day = int(to_number(groups["day"]) or 1)
        return Deadline(**base, rrule=f"FREQ=MONTHLY;BYMONTHDAY={day}")
    rule = {"recurring.daily": "FREQ=DAILY", "recurring.weekly": "FREQ=WEEKLY", "recurring.monthly": "FREQ=MONTHLY",
            "recurring.quarterly": "FREQ=MONTHLY;INTERVAL=3", "recurring.half_yearly": "FREQ=MONTHLY;INTERVAL=6",
            "recurring.yearly": "FREQ=YEARLY"}[name]
    return Deadline(**base, rrule=rule)
