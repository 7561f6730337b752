"""Working days on the Chinese calendar, with 调休. Outside the package's years, Mon–Fri are working days."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import chinese_calendar


@lru_cache(maxsize=8192)
def is_workday(day: date) -> bool:
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return day.weekday() < 5


def add_workdays(start: date, n: int) -> date:
    day = start
    while n > 0:
        day += timedelta(days=1)
        if is_workday(day):
            n -= 1
    return day


def workdays_between(start: date, end: date) -> int:
    """Working days after start up to and including end (negative when end is earlier)."""
    sign = 1 if end >= start else -1
    lo, hi = (start, end) if sign > 0 else (end, start)
    count, day = 0, lo
    while day < hi:
        day += timedelta(days=1)
        count += is_workday(day)
    return sign * count


def workdays_before(day: date, n: int) -> date:
    """n working days before day (0: the day itself, moved back to a working day if it is not one)."""
    cur = day
    while not is_workday(cur):
        cur -= timedelta(days=1)
    while n > 0:
        cur -= timedelta(days=1)
        if is_workday(cur):
            n -= 1
    return cur
