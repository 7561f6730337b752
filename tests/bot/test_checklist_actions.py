"""Acting on a published checklist: roles from the store, modals, in-place updates, races, 429s."""

from __future__ import annotations

import threading
from datetime import date

from bot.ui.limits import check_message
from checklists.models import ChecklistView
from checklists.services import Actor
from checklists.status import Status
from extractors import extract
from extractors.models import Deadline, Extraction, Item, Party
from tests.bot.harness import Harness

SPEECH = """2022年全区疫情防控工作会议上的讲话
一、压实责任
各镇要在5月20日前完成摸底排查。
区疾控中心要每周五开展一次院感巡查。
区卫健委要加强督导检查。
"""


def published(bot: Harness) -> ChecklistView:
    service = bot.container.service
    service.set_directory("各镇", ["UTOWN1", "UTOWN2"], Actor("UADMIN"))
    service.set_directory("区疾控中心", ["SCDC"], Actor("UADMIN"))
    bot.fake.usergroups["SCDC"] = ["UCDC"]
    ex = extract(SPEECH, meeting_date=date(2022, 5, 16))
    view = service.create_from_extraction(ex, owner="UOWNER", channel="C1", supervisors=["USUP"])
    return bot.ctx.notifier.publish_checklist(view.id, "C1", date(2022, 5, 16))


def menu(bot: Harness, user: str, op: str, item_id: str, version: int, ts: str) -> int:
    return bot.select(user, "C1", ts, "item_menu", f"{op}|{item_id}|{version}")[0]


def test_acknowledge_edits_the_message_in_place(bot: Harness) -> None:
    cl = published(bot)
    town = cl.items[0]
    before = len(bot.fake.of("chat.update"))
    assert menu(bot, "UTOWN1", "acknowledge", town.id, town.version, town.message_ts) == 200
    updates = bot.fake.wait_for(lambda: bot.fake.of("chat.update")[before:] if len(
        bot.fake.of("chat.update")) >= before + 2 else None)
    item_update = next(u for u in updates if u.params["ts"] == town.message_ts)
    assert "状态:已签收" in item_update.params["blocks"][1]["text"]["text"]
    assert bot.container.service.item(town.id).status is Status.ACKNOWLEDGED


def test_group_member_is_an_assignee(bot: Harness) -> None:
    cl = published(bot)
    cdc = cl.items[1]
    menu(bot, "UCDC", "acknowledge", cdc.id, cdc.version, cdc.message_ts)
    bot.fake.wait_for(lambda: bot.container.service.item(cdc.id).status is Status.ACKNOWLEDGED)


def test_stranger_gets_an_ephemeral_refusal_and_nothing_changes(bot: Harness) -> None:
    cl = published(bot)
    town = cl.items[0]
    updates = len(bot.fake.of("chat.update"))
    menu(bot, "USTRANGER", "acknowledge", town.id, town.version, town.message_ts)
    refusal = bot.fake.wait_for(lambda: bot.fake.of("chat.postEphemeral"))[0].params
    assert refusal["user"] == "USTRANGER" and "你不是该项的责任人或督办人" in refusal["text"]
    assert len(bot.fake.of("chat.update")) == updates
    assert bot.container.service.history(town.id) == []
    # a forged payload cannot help: the version and item are checked against the store
    menu(bot, "USTRANGER", "verify", town.id, 99, town.message_ts)
    bot.fake.wait_for(lambda: len(bot.fake.of("chat.postEphemeral")) == 2)
    assert bot.container.service.item(town.id).status is Status.UNSIGNED


def test_two_users_tick_the_same_item_at_once(bot: Harness) -> None:
    cl = published(bot)
    town = cl.items[0]
    barrier = threading.Barrier(2)

    def press(user: str) -> None:
        barrier.wait()
        menu(bot, user, "acknowledge", town.id, town.version, town.message_ts)

    threads = [threading.Thread(target=press, args=(u,)) for u in ("UTOWN1", "UTOWN2")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    bot.fake.wait_for(lambda: bot.fake.of("chat.postEphemeral"))
    events = [e for e in bot.container.service.history(town.id) if e.action == "acknowledge"]
    assert len(events) == 1
    loser = bot.fake.of("chat.postEphemeral")[0].params
    assert loser["user"] in ("UTOWN1", "UTOWN2") and loser["user"] != events[0].actor
    assert "已签收" in loser["text"] or "已被他人更新" in loser["text"]


def test_double_click_is_idempotent_and_silent(bot: Harness) -> None:
    cl = published(bot)
    town = cl.items[0]
    menu(bot, "UTOWN1", "acknowledge", town.id, town.version, town.message_ts)
    bot.fake.wait_for(lambda: bot.container.service.item(town.id).status is Status.ACKNOWLEDGED)
    menu(bot, "UTOWN1", "acknowledge", town.id, town.version, town.message_ts)
    bot.fake.wait_for(lambda: len([c for c in bot.fake.calls if c.method == "chat.update"]) >= 2)
    assert [e.action for e in bot.container.service.history(town.id)] == ["acknowledge"]
    assert bot.fake.of("chat.postEphemeral") == []


def test_progress_modal_round_trip(bot: Harness) -> None:
    cl = published(bot)
    town = cl.items[0]
    menu(bot, "UTOWN1", "progress", town.id, town.version, town.message_ts)
    view = bot.fake.wait_for(lambda: bot.fake.of("views.open"))[0].params["view"]
    assert view["callback_id"] == "progress" and view["private_metadata"] == f"{town.id}|{town.version}"
    status, _ = bot.submit("UTOWN1", "progress", view["private_metadata"], {
        "percent": {"type": "static_select", "selected_option": {"value": "60"}},
        "comment": {"type": "plain_text_input", "value": "已完成3个镇"},
        "evidence": {"type": "plain_text_input", "value": None}})
    assert status == 200
    bot.fake.wait_for(lambda: bot.container.service.item(town.id).progress == 60)
    event = bot.container.service.history(town.id)[-1]
    assert event.data["comment"] == "已完成3个镇"


def test_block_needs_a_reason_and_supervisor_rejects(bot: Harness) -> None:
    cl = published(bot)
    town = cl.items[0]
    menu(bot, "UTOWN1", "block", town.id, town.version, town.message_ts)
    view = bot.fake.wait_for(lambda: bot.fake.of("views.open"))[0].params["view"]
    status, body = bot.submit("UTOWN1", "reason:block", view["private_metadata"],
                              {"reason": {"type": "plain_text_input", "value": ""}})
    assert status == 200 and "errors" in body and "受阻需要填写原因" in body.encode().decode("unicode_escape")
    bot.submit("UTOWN1", "reason:block", view["private_metadata"],
               {"reason": {"type": "plain_text_input", "value": "经费未到位"}})
    bot.fake.wait_for(lambda: bot.container.service.item(town.id).status is Status.BLOCKED)
    # the assignee cannot verify; the supervisor can't verify a blocked item either
    menu(bot, "USUP", "verify", town.id, 2, town.message_ts)
    refusal = bot.fake.wait_for(lambda: bot.fake.of("chat.postEphemeral"))[0].params
    assert "当前状态为「受阻」" in refusal["text"]


def test_history_modal_shows_the_source(bot: Harness) -> None:
    cl = published(bot)
    town = cl.items[0]
    menu(bot, "USTRANGER", "history", town.id, town.version, town.message_ts)
    view = bot.fake.wait_for(lambda: bot.fake.of("views.open"))[0].params["view"]
    assert "各镇要在5月20日前完成摸底排查" in view["blocks"][0]["text"]["text"]


def test_rate_limited_mid_post_retries_without_duplicates(bot: Harness) -> None:
    service = bot.container.service
    view = service.create_from_extraction(extract(SPEECH), owner="UOWNER", channel="C1")
    bot.fake.fail("chat.postMessage", status=429, count=1)
    bot.ctx.notifier.publish_checklist(view.id, "C1", date(2022, 5, 16))
    posts = bot.fake.of("chat.postMessage")
    assert len(posts) == 2  # header + one page, each exactly once
    assert len([c for c in bot.fake.calls if not c.ok]) == 1


def test_failure_mid_post_resumes_on_retry(bot: Harness) -> None:
    service = bot.container.service
    ex = Extraction(title="大清单", items=tuple(
        Item(id=str(n), text=f"第{n}项要加强疫情防控督导检查工作", quote=f"要加强{n}", start=0, end=1, section=f"第{n // 40}部分",
             responsible=(Party(name="各镇"),)) for n in range(120)))
    view = service.create_from_extraction(ex, owner="UOWNER", channel="C1")
    bot.fake.fail("chat.postMessage", status=500, error="internal_error", count=5)  # outlasts the retries
    try:
        bot.ctx.notifier.publish_checklist(view.id, "C1", date(2022, 5, 16))
    except Exception:
        pass
    bot.ctx.notifier.publish_checklist(view.id, "C1", date(2022, 5, 16))
    posted = [c for c in bot.fake.of("chat.postMessage") if c.params["channel"] == "C1"]
    parts = [c.params["metadata"]["event_payload"]["part"] for c in posted]
    assert sorted(parts) == sorted(set(parts))  # nothing twice
    assert all(i.message_ts for i in service.get(view.id).items)


def test_300_item_checklist_posts_and_updates_cleanly(bot: Harness) -> None:
    service = bot.container.service
    long_text = "要加强" + "疫情防控督导检查和考核评估工作," * 12
    ex = Extraction(title="三百项的分工方案" * 5, items=tuple(
        Item(id=str(n), text=f"{n}{long_text}", quote=long_text, start=0, end=1, section=f"第{n // 25}部分 " + "很长的标题" * 20,
             responsible=(Party(name="各镇", role="lead"), Party(name="区疾控中心", role="assist")),
             deadline=Deadline(kind="by", text="6月30日前", due=date(2022, 6, 30)))
        for n in range(300)))
    view = service.create_from_extraction(ex, owner="UOWNER", channel="C1", supervisors=["USUP"])
    published = bot.ctx.notifier.publish_checklist(view.id, "C1", date(2022, 5, 16))
    bot.ctx.notifier.refresh_checklist(view.id, date(2022, 7, 1))
    assert [c for c in bot.fake.calls if not c.ok] == []
    for call in bot.fake.of("chat.postMessage") + bot.fake.of("chat.update"):
        check_message(call.params["blocks"], call.params["text"])
    assert len({i.message_ts for i in published.items}) >= 7
