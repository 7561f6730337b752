"""Recurring items: occurrences from the RFC 5545 rule, each ticked on its own, with streak and misses."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time

from dateutil.rrule import rrulestr

MAX_OCCURRENCES = 400  # a daily rule over a year; older ones are not materialised


def occurrences(rule: str, start: date, until: date) -> list[date]:
    """Occurrence dates of `rule` from start (inclusive) through until (inclusive)."""
    if until < start:
        return []
    parsed = rrulestr(rule, dtstart=datetime.combine(start, time()))
    out = []
    for dt in parsed.xafter(datetime.combine(start, time()), count=MAX_OCCURRENCES, inc=True):
        if dt.date() > until:
            break
        out.append(dt.date())
    return out


def streak_and_misses(dues: Sequence[date], done: set[date], today: date) -> tuple[int, int]:
    """Current run of ticked past occurrences, and how many past ones were missed."""
    past = [d for d in dues if d < today]
    misses = sum(d not in done for d in past)
    streak = 0
    for d in reversed(past):
        if d not in done:
            break
        streak += 1
    return streak, misses
