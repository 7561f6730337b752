"""A small speech with every kind of item, used across the checklist tests."""

from __future__ import annotations

from datetime import date

from checklists.models import ChecklistView, ItemView
from checklists.services import Actor, ChecklistService
from extractors import extract

SPEECH = """2024年全区疫情防控工作会议上的讲话
一、压实责任
区疾控中心要在6月底前完成全员培训。
区卫健委要每周五开展一次院感巡查。
发现病例X小时内要报告。
各镇要在5月20日前完成摸底排查。
严禁使用救护车转运医疗废弃物。
"""

OWNER = Actor("UOWNER")
SUPERVISOR = Actor("USUP")
CDC = Actor("UCDC")
HEALTH = Actor("UHEALTH", frozenset({"SHEALTHGROUP"}))
TOWN = Actor("UTOWN")
STRANGER = Actor("USTRANGER")


def make_checklist(service: ChecklistService, *, directory: bool = True) -> ChecklistView:
    if directory:
        service.set_directory("区疾病预防控制中心", ["UCDC"], OWNER, aliases=["区疾控"])
        service.set_directory("区卫生健康委员会", ["SHEALTHGROUP"], OWNER)
        service.set_directory("各镇", ["UTOWN"], OWNER)
    ex = extract(SPEECH, meeting_date=date(2024, 5, 13))
    return service.create_from_extraction(ex, owner=OWNER.user_id, channel="C1", supervisors=[SUPERVISOR.user_id])


def by_text(checklist: ChecklistView, fragment: str) -> ItemView:
    return next(i for i in checklist.items if fragment in i.text)
