"""A month of a 60-item checklist through the scheduler, hour by hour, against the fake Slack."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.scheduler import Dispatcher
from checklists.services import Actor, Change
from checklists.status import Action
from extractors.models import Deadline, Extraction, Item, Party
from tests.bot.harness import Harness

TZ = ZoneInfo("Asia/Shanghai")
START = datetime(2024, 9, 23, 10, tzinfo=TZ)  # Monday; 9/29 (Sunday) is a 调休 working day, 10/1–7 holidays


def month_extraction() -> Extraction:
    items: list[Item] = []
    for n in range(20):  # dated, lead 各镇
        items.append(Item(id=f"a{n}", text=f"各镇要在10月9日前完成第{n}片区摸底排查", quote="q", start=0, end=1,
                          section="一、摸底排查", responsible=(Party(name="各镇", role="lead"),),
                          deadline=Deadline(kind="by", text="10月9日前", due=date(2024, 10, 9))))
    for n in range(20):  # recurring every Friday, lead 区疾控中心
        items.append(Item(id=f"b{n}", text=f"区疾控中心要每周五开展第{n}类场所巡查", quote="q", start=0, end=1,
                          section="二、常态巡查", responsible=(Party(name="区疾控中心", role="lead"),),
                          deadline=Deadline(kind="recurring", text="每周五", rrule="FREQ=WEEKLY;BYDAY=FR")))
    for n in range(10):  # event-relative standing rules
        items.append(Item(id=f"c{n}", text=f"发现第{n}类病例X小时内要报告", quote="q", start=0, end=1, section="三、报告",
                          responsible=(Party(name="区卫健委", role="owner"),),
                          deadline=Deadline(kind="within", text="X小时内", unit="hour", placeholder=True,
                                            event_relative=True)))
    for n in range(10):  # no party yet
        items.append(Item(id=f"d{n}", text=f"要加强第{n}项宣传引导工作", quote="q", start=0, end=1, section="四、宣传"))
    return Extraction(title="国庆期间疫情防控工作会议", meeting_date=START.date(), items=tuple(items))


def describe(call: object, tz: ZoneInfo = TZ) -> str:
    c = call  # a fake_slack.Call
    params = c.params  # type: ignore[attr-defined]
    text = str(params.get("text", ""))
    return f"{params['channel']} {text[:60]}"


def run_month(bot: Harness, *, restart_at: datetime, downtime: timedelta) -> list[str]:
    service = bot.container.service
    service.set_directory("各镇", ["UTOWN"], Actor("UOWNER"))
    service.set_directory("区疾控中心", ["UCDC"], Actor("UOWNER"))
    service.set_directory("区卫健委", ["UHEALTH"], Actor("UOWNER"))
    bot.clock.set(START.astimezone(UTC))
    view = service.create_from_extraction(month_extraction(), owner="UOWNER", channel="C1", supervisors=["USUP"])
    bot.ctx.notifier.publish_checklist(view.id, "C1", START.date())
    published = len(bot.fake.calls)
    log: list[str] = []
    dispatcher = Dispatcher(bot.ctx, worker="instance-1", rate=0)
    now = START.replace(minute=0)
    end = START + timedelta(days=30)
    a0 = next(i for i in view.items if i.text.startswith("各镇要在10月9日前完成第0片区"))
    while now <= end:
        bot.clock.set(now.astimezone(UTC))
        if restart_at <= now < restart_at + downtime:
            now += timedelta(hours=1)
            continue  # the process is down: nothing ticks
        if now == restart_at + downtime:
            dispatcher = Dispatcher(bot.ctx, worker="instance-2", rate=0)  # a fresh process after the restart
        if now == datetime(2024, 9, 25, 11, tzinfo=TZ):
            service.act(a0.id, Action.PROGRESS, Actor("UTOWN"), Change(percent=30, comment="已启动"))
        if now == datetime(2024, 10, 8, 9, tzinfo=TZ):
            bot.fake.fail("chat.postMessage", status=429, count=2)  # Slack pushes back mid-morning
        before = len(bot.fake.calls)
        dispatcher.tick(now)
        for call in bot.fake.calls[before:]:
            if call.ok and call.method in ("chat.postMessage", "files.completeUploadExternal"):
                what = describe(call) if call.method == "chat.postMessage" else f"{call.params.get('channel_id')} 📎台账"
                log.append(f"{now:%m-%d %a %H:%M} {what}")
        now += timedelta(hours=1)
    assert published
    return log
