"""三色督办, computed from the item and the clock, never stored (so it is never stale).

blue: due within N working days; yellow: behind 序时进度 or 受阻; red: overdue and not completed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from checklists.status import Status
from extractors.workdays import workdays_between


class Colour(StrEnum):
    DONE = "done"
    NORMAL = "normal"
    BLUE = "blue"
    YELLOW = "yellow"
    RED = "red"

    @property
    def emoji(self) -> str:
        return COLOUR_EMOJI[self]

    @property
    def label(self) -> str:
        return COLOUR_LABELS[self]

    @property
    def rank(self) -> int:
        """Sort order for lists: red first."""
        return COLOUR_RANK[self]


COLOUR_EMOJI = {Colour.DONE: "✅", Colour.NORMAL: "⚪", Colour.BLUE: "🔵", Colour.YELLOW: "🟡", Colour.RED: "🔴"}
COLOUR_LABELS = {Colour.DONE: "办结", Colour.NORMAL: "正常", Colour.BLUE: "临期", Colour.YELLOW: "滞后",
                 Colour.RED: "逾期"}
COLOUR_RANK = {Colour.RED: 0, Colour.YELLOW: 1, Colour.BLUE: 2, Colour.NORMAL: 3, Colour.DONE: 4}


@dataclass(frozen=True)
class Pace:
    """序时进度: how far through its time an item is, against its reported progress."""

    elapsed_pct: int
    progress_pct: int

    @property
    def verdict(self) -> str:
        gap = self.progress_pct - self.elapsed_pct
        return "超进度" if gap > 10 else ("欠进度" if gap < -10 else "达进度")


def pace(created: date, due: date, today: date, progress: int) -> Pace:
    total = max((due - created).days, 1)
    elapsed = min(max((today - created).days, 0), total)
    return Pace(round(100 * elapsed / total), progress)


def colour(*, status: Status, due: date | None, created: date, today: date, progress: int,
           blue_days: int = 3, report_missing: bool = False, judge_pace: bool = True) -> Colour:
    """`judge_pace` is off until someone has reported progress: an item nobody has reported on yet is
    chased by reminders and 反馈 requests (and turns 🟡 when a 反馈 goes unanswered), not by arithmetic."""
    if status in (Status.CLOSED, Status.CANCELLED, Status.SUBMITTED):
        return Colour.DONE if status is not Status.SUBMITTED else Colour.NORMAL
    if due is not None and today > due:
        return Colour.RED
    if status is Status.BLOCKED or report_missing:
        return Colour.YELLOW
    if judge_pace and due is not None and progress < pace(created, due, today, progress).elapsed_pct - 10 \
            and today > created:
        return Colour.YELLOW
    # Calendar days bound working days from above, so a far due date needs no day-by-day count.
    if due is not None and (due - today).days <= 3 * blue_days + 14 and workdays_between(today, due) <= blue_days:
        return Colour.BLUE
    return Colour.NORMAL
