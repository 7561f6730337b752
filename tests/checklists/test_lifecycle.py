"""The 督办 lifecycle through the service, on SQLite and PostgreSQL: roles, states, audit trail."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from checklists.colours import Colour
from checklists.services import Change, ChecklistService, ConflictError, NotFound
from checklists.status import Action, Status, TransitionError
from tests.checklists.helpers import CDC, HEALTH, OWNER, STRANGER, SUPERVISOR, TOWN, by_text, make_checklist
from tests.fakes import FakeClock


def test_created_from_extraction(service: ChecklistService) -> None:
    cl = make_checklist(service)
    assert cl.title == "2024年全区疫情防控工作会议上的讲话"
    assert cl.meeting_date == date(2024, 5, 13)
    training = by_text(cl, "全员培训")
    assert training.due == date(2024, 6, 30)
    assert training.parties[0].name == "区疾控中心" and training.assignees == ("UCDC",)
    assert training.status is Status.UNSIGNED and training.section == "一、压实责任"
    assert by_text(cl, "发现病例").placeholder and by_text(cl, "发现病例").event_relative
    assert by_text(cl, "严禁").kind == "prohibition"
    assert by_text(cl, "院感巡查").rrule == "FREQ=WEEKLY;BYDAY=FR"


def test_full_lifecycle_writes_one_event_per_change(service: ChecklistService) -> None:
    item = by_text(make_checklist(service), "全员培训")
    item = service.act(item.id, Action.ACKNOWLEDGE, CDC)
    item = service.act(item.id, Action.PROGRESS, CDC, Change(percent=60, comment="已培训3个镇"))
    assert (item.status, item.progress) == (Status.IN_PROGRESS, 60)
    item = service.act(item.id, Action.COMPLETE, CDC, Change(evidence="https://example.org/report"))
    item = service.act(item.id, Action.REJECT, SUPERVISOR, Change(reason="缺少签到表"))
    assert (item.status, item.note) == (Status.RETURNED, "缺少签到表")
    item = service.act(item.id, Action.COMPLETE, CDC)
    item = service.act(item.id, Action.VERIFY, OWNER)
    assert item.status is Status.CLOSED and item.colour is Colour.DONE
    history = service.history(item.id)
    assert [(e.action, e.from_status, e.to_status, e.actor) for e in history] == [
        ("acknowledge", "unsigned", "acknowledged", "UCDC"),
        ("progress", "acknowledged", "in_progress", "UCDC"),
        ("complete", "in_progress", "submitted", "UCDC"),
        ("reject", "submitted", "returned", "USUP"),
        ("complete", "returned", "submitted", "UCDC"),
        ("verify", "submitted", "closed", "UOWNER"),
    ]
    assert history[1].data["percent"] == {"from": 0, "to": 60}
    assert history[2].data["evidence"] == "https://example.org/report"


@pytest.mark.parametrize(("actor", "action", "message"), [
    (STRANGER, Action.ACKNOWLEDGE, "你不是该项的责任人"),
    (SUPERVISOR, Action.COMPLETE, "你不是该项的责任人"),
    (CDC, Action.VERIFY, "你不是督办人或清单发布人"),
    (CDC, Action.CANCEL, "你不是督办人或清单发布人"),
])
def test_roles_are_enforced(service: ChecklistService, actor: object, action: Action, message: str) -> None:
    item = by_text(make_checklist(service), "全员培训")
    with pytest.raises(TransitionError, match=message):
        service.act(item.id, action, actor, Change(reason="x"))  # type: ignore[arg-type]
    assert service.history(item.id) == []
    assert service.item(item.id).status is Status.UNSIGNED


def test_group_membership_makes_an_assignee(service: ChecklistService) -> None:
    item = by_text(make_checklist(service), "院感巡查")
    assert service.act(item.id, Action.ACKNOWLEDGE, HEALTH).status is Status.ACKNOWLEDGED


def test_state_rules(service: ChecklistService) -> None:
    item = by_text(make_checklist(service), "全员培训")
    with pytest.raises(TransitionError, match="当前状态为「未签收」,不能办结"):
        service.act(item.id, Action.VERIFY, OWNER)
    with pytest.raises(TransitionError, match="受阻需要填写原因"):
        service.act(item.id, Action.BLOCK, CDC)
    blocked = service.act(item.id, Action.BLOCK, CDC, Change(reason="场地未落实"))
    assert blocked.colour is Colour.YELLOW
    with pytest.raises(TransitionError, match="进度应在 0 到 100 之间"):
        service.act(item.id, Action.PROGRESS, CDC, Change(percent=120))


def test_supervisor_fills_a_redacted_deadline_and_reassigns(service: ChecklistService) -> None:
    cl = make_checklist(service)
    rule = by_text(cl, "发现病例")
    filled = service.act(rule.id, Action.RESCHEDULE, SUPERVISOR, Change(amount=2))
    assert not filled.placeholder and filled.deadline_text == "2小时内"
    moved = service.act(rule.id, Action.REASSIGN, SUPERVISOR, Change(parties=[("区疾控", "lead"), ("各镇", "assist")]))
    assert [(p.name, p.role, p.slack_ids) for p in moved.parties] == [
        ("区疾控", "lead", ("UCDC",)), ("各镇", "assist", ("UTOWN",))]
    assert service.act(rule.id, Action.ACKNOWLEDGE, CDC).status is Status.ACKNOWLEDGED


def test_stale_version_is_a_conflict_not_a_lost_update(service: ChecklistService) -> None:
    item = by_text(make_checklist(service), "摸底排查")
    seen = item.version
    service.act(item.id, Action.ACKNOWLEDGE, TOWN, expected_version=seen)
    with pytest.raises(ConflictError, match="已被他人更新"):
        service.act(item.id, Action.PROGRESS, TOWN, Change(percent=10), expected_version=seen)
    assert service.item(item.id).progress == 0


def test_colours_follow_the_clock(service: ChecklistService, clock: FakeClock) -> None:
    cl = make_checklist(service)
    town = by_text(cl, "摸底排查")  # due 2024-05-20 (Monday); today is Monday 2024-05-13
    assert town.colour is Colour.NORMAL
    service.act(town.id, Action.PROGRESS, TOWN, Change(percent=10))
    clock.advance(days=3)  # Thursday 16th: 3/7 of the time gone, 10% reported: behind 序时进度
    assert service.item(town.id).colour is Colour.YELLOW
    service.act(town.id, Action.PROGRESS, TOWN, Change(percent=50))
    # on pace now, and only Fri 17 and Mon 20 are left as working days: 临期
    assert service.item(town.id).colour is Colour.BLUE
    clock.advance(days=5)  # Tuesday 21st: overdue
    assert service.item(town.id).colour is Colour.RED
    service.act(town.id, Action.COMPLETE, TOWN)
    assert service.item(town.id).colour is Colour.NORMAL  # submitted: awaiting the supervisor


def test_recurring_occurrences_are_ticked_on_their_own(service: ChecklistService, clock: FakeClock) -> None:
    item = by_text(make_checklist(service), "院感巡查")
    assert item.due == date(2024, 5, 17)
    clock.advance(days=4)  # Friday 17th
    ticked = service.tick_occurrence(item.id, date(2024, 5, 17), HEALTH)
    assert ticked.occurrences[0].due == date(2024, 5, 17)
    clock.advance(days=14)  # the 24th is missed, now Friday 31st
    view = service.item(item.id)
    assert (view.streak, view.misses) == (0, 1)
    assert view.colour is Colour.RED  # the last past occurrence (24th) was not done
    with pytest.raises(TransitionError, match="不是该事项的执行日期"):
        service.tick_occurrence(item.id, date(2024, 5, 22), HEALTH)


def test_unmatched_parties_queue_and_memory(service: ChecklistService) -> None:
    cl = make_checklist(service, directory=False)
    assert service.unmatched(cl.id) == ["区疾控中心", "区卫健委", "各镇"]
    service.set_directory("区卫生健康委员会", ["SHEALTHGROUP"], OWNER)
    assert service.unmatched(cl.id) == ["区疾控中心", "各镇"]
    again = make_checklist(service, directory=False)  # the next speech remembers the mapping
    assert service.unmatched(again.id) == ["区疾控中心", "各镇"]
    assert by_text(again, "院感巡查").assignees == ("SHEALTHGROUP",)


def test_soft_delete(service: ChecklistService) -> None:
    cl = make_checklist(service)
    with pytest.raises(TransitionError):
        service.delete_checklist(cl.id, CDC)
    service.delete_checklist(cl.id, OWNER)
    with pytest.raises(NotFound):
        service.get(cl.id)
    assert service.history(cl.items[0].id) == []  # rows stay; the checklist is hidden


def test_unreported_items_are_judged_by_reports_not_arithmetic(service: ChecklistService, clock: FakeClock) -> None:
    town = by_text(make_checklist(service), "摸底排查")
    clock.advance(days=3)
    assert service.item(town.id).colour is Colour.BLUE  # nothing reported yet: no 序时进度 verdict
    service.request_reports([town.id], due_at=clock.now + timedelta(hours=1))
    clock.advance(hours=2)  # the 反馈 deadline passed unanswered
    assert service.item(town.id).colour is Colour.YELLOW and service.item(town.id).report_missing
    service.act(town.id, Action.PROGRESS, TOWN, Change(percent=50))
    assert not service.item(town.id).report_missing


def test_items_for_user_orders_red_first(service: ChecklistService, clock: FakeClock) -> None:
    cl = make_checklist(service)
    service.act(by_text(cl, "院感巡查").id, Action.REASSIGN, OWNER, Change(parties=[("各镇", "owner")]))
    clock.advance(days=8)  # 摸底排查 (due 20th) overdue, 巡查 of Friday 17th missed
    mine = service.items_for(TOWN)
    assert [(i.text[:6], i.colour, i.due) for i in mine] == [
        ("区卫健委要每", Colour.RED, date(2024, 5, 17)), ("各镇要在5月", Colour.RED, date(2024, 5, 20))]
