"""Pure domain pieces: directory keys, colours and 序时进度, recurrence."""

from __future__ import annotations

from datetime import date

from checklists.colours import Colour, colour, pace
from checklists.directory import keys_for
from checklists.recurring import occurrences, streak_and_misses
from checklists.status import Status
from extractors.workdays import add_workdays, workdays_between


def test_directory_keys() -> None:
    assert keys_for("区委统战部(区民宗局)") == ["区委统战部(区民宗局)", "区委统战部", "区民宗局"]
    assert "卫健委" in keys_for("市卫生健康委员会")[0]
    assert keys_for("各镇") == ["各镇"]
    assert "卫健部门" in keys_for("各级卫生健康部门")


def test_workdays_with_tiaoxiu() -> None:
    # 2024 National Day: Sunday 29 September is a working day, 1–7 October are not.
    assert add_workdays(date(2024, 9, 27), 1) == date(2024, 9, 29)
    assert workdays_between(date(2024, 9, 30), date(2024, 10, 8)) == 1
    assert add_workdays(date(2030, 1, 4), 1) == date(2030, 1, 7)  # beyond the calendar's years: Mon–Fri


def test_colours() -> None:
    base = {"created": date(2024, 5, 1), "progress": 0}
    assert colour(status=Status.IN_PROGRESS, due=date(2024, 5, 10), today=date(2024, 5, 11), **base) is Colour.RED
    assert colour(status=Status.BLOCKED, due=None, today=date(2024, 5, 2), **base) is Colour.YELLOW
    assert colour(status=Status.CLOSED, due=date(2024, 5, 10), today=date(2024, 6, 1), **base) is Colour.DONE
    # half the time gone, 10% done: behind 序时进度
    assert colour(status=Status.IN_PROGRESS, due=date(2024, 7, 1), created=date(2024, 5, 1),
                  today=date(2024, 6, 1), progress=10) is Colour.YELLOW
    assert colour(status=Status.IN_PROGRESS, due=date(2024, 7, 1), created=date(2024, 5, 1),
                  today=date(2024, 6, 1), progress=60) is Colour.NORMAL
    assert colour(status=Status.ACKNOWLEDGED, due=date(2024, 5, 8), created=date(2024, 5, 6),
                  today=date(2024, 5, 6), progress=0) is Colour.BLUE


def test_pace_wording() -> None:
    assert pace(date(2024, 1, 1), date(2024, 1, 11), date(2024, 1, 6), 80).verdict == "超进度"
    assert pace(date(2024, 1, 1), date(2024, 1, 11), date(2024, 1, 6), 50).verdict == "达进度"
    assert pace(date(2024, 1, 1), date(2024, 1, 11), date(2024, 1, 6), 10).verdict == "欠进度"


def test_recurrence() -> None:
    fridays = occurrences("FREQ=WEEKLY;BYDAY=FR", date(2024, 5, 13), date(2024, 6, 1))
    assert fridays == [date(2024, 5, 17), date(2024, 5, 24), date(2024, 5, 31)]
    assert occurrences("FREQ=MONTHLY;BYMONTHDAY=28", date(2024, 1, 30), date(2024, 4, 1)) == [
        date(2024, 2, 28), date(2024, 3, 28)]
    assert streak_and_misses(fridays, {date(2024, 5, 24), date(2024, 5, 31)}, date(2024, 6, 3)) == (2, 1)
