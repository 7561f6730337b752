"""Delivery edge cases: a crash after Slack accepted, 429s that outlast the retries, per-checklist times."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import update

from bot.scheduler import Dispatcher
from checklists import outbox
from checklists.orm import SendRow
from checklists.reminders import Policy, plan_checklist
from checklists.services import Actor
from extractors.models import Deadline, Extraction, Item, Party
from extractors.workdays import workdays_before
from tests.bot.harness import Harness, start

TZ = ZoneInfo("Asia/Shanghai")
WED_0900 = datetime(2024, 5, 15, 9, tzinfo=TZ)  # 3 working days before Monday the 20th


@pytest.fixture
def bot(tmp_path: Path) -> Iterator[Harness]:
    h = start(tmp_path, now=datetime(2024, 5, 13, 2, tzinfo=UTC))
    yield h
    h.close()


def _checklist(bot: Harness, settings: dict[str, object] | None = None) -> str:
    service = bot.container.service
    service.set_directory("各镇", ["UTOWN"], Actor("UOWNER"))
    item = Item(id="1", text="各镇要在5月20日前完成摸底排查", quote="q", start=0, end=1,
                responsible=(Party(name="各镇", role="lead"),),
                deadline=Deadline(kind="by", text="5月20日前", due=date(2024, 5, 20)))
    view = service.create_from_extraction(Extraction(title="测试", items=(item,)), owner="UOWNER", settings=settings)
    return view.id


def _posts(bot: Harness) -> list[str]:
    return [c.params["text"] for c in bot.fake.of("chat.postMessage")]


def test_crash_after_slack_accepted_is_not_sent_twice(bot: Harness) -> None:
    _checklist(bot)
    bot.clock.set(WED_0900.astimezone(UTC))
    Dispatcher(bot.ctx, worker="a").tick(WED_0900)
    assert len(_posts(bot)) == 1
    # The worker died after Slack took the message but before the store recorded it.
    with bot.container.store.session() as s:
        s.execute(update(SendRow).values(state="claimed", claimed_by="a", claimed_until=WED_0900, sent_at=None))
    later = WED_0900 + timedelta(minutes=10)
    bot.clock.set(later.astimezone(UTC))
    Dispatcher(bot.ctx, worker="b").dispatch(later)
    assert len(_posts(bot)) == 1  # found by its metadata in the DM, not posted again
    assert outbox.counts(bot.container.store) == {"sent": 1}


def test_rate_limits_that_outlast_the_retries_are_retried_later(bot: Harness) -> None:
    _checklist(bot)
    bot.clock.set(WED_0900.astimezone(UTC))
    bot.fake.fail("chat.postMessage", status=429, count=6)  # more than slack-sdk's 3 retries
    d = Dispatcher(bot.ctx, worker="a")
    assert d.tick(WED_0900) == 0
    assert outbox.counts(bot.container.store) == {"pending": 1}
    d.dispatch(WED_0900 + timedelta(seconds=30))  # the remaining 429s, then it goes through
    d.dispatch(WED_0900 + timedelta(minutes=2))
    assert len(_posts(bot)) == 1 and outbox.counts(bot.container.store) == {"sent": 1}


def test_quiet_hours_hold_everything_until_the_morning(bot: Harness) -> None:
    _checklist(bot)
    late = datetime(2024, 5, 15, 21, tzinfo=TZ)
    bot.clock.set(late.astimezone(UTC))
    d = Dispatcher(bot.ctx, worker="a")
    d.tick(late)
    assert _posts(bot) == []
    morning = datetime(2024, 5, 16, 8, tzinfo=TZ)
    bot.clock.set(morning.astimezone(UTC))
    d.tick(morning)
    assert len(_posts(bot)) == 1 and _posts(bot)[0].startswith("(补发)")


def test_reminder_times_are_configurable_per_checklist(bot: Harness) -> None:
    cid = _checklist(bot, settings={"remind_workdays_before": [5], "remind_hour": 15})
    view = bot.container.service.get(cid)
    plans = plan_checklist(view, datetime(2024, 5, 13, 12, tzinfo=TZ), Policy(tz=TZ))
    reminders = sorted(p.due_at for p in plans if p.kind == "remind")
    assert reminders[0] == datetime(2024, 5, 13, 15, tzinfo=TZ)  # 5 working days before the 20th, 15:00


def test_workday_shifts_follow_tiaoxiu() -> None:
    # 2024-10-09 due: 3 working days before is Sunday 9/29 (调休), skipping the National Day holidays.
    assert workdays_before(date(2024, 10, 9), 3) == date(2024, 9, 29)
    assert workdays_before(date(2024, 10, 5), 0) == date(2024, 9, 30)  # due on a holiday: the last working day
