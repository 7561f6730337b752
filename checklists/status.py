"""The item lifecycle in the government's own words, and who may move it.

未签收 → 已签收 → 推进中 → 已完成(待审核) → 已办结(销号); also 受阻, 退回 and 已撤销."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Status(StrEnum):
    UNSIGNED = "unsigned"
    ACKNOWLEDGED = "acknowledged"
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"
    CLOSED = "closed"
    BLOCKED = "blocked"
    RETURNED = "returned"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]

    @property
    def is_open(self) -> bool:
        return self not in (Status.CLOSED, Status.CANCELLED)


STATUS_LABELS = {
    Status.UNSIGNED: "未签收", Status.ACKNOWLEDGED: "已签收", Status.IN_PROGRESS: "推进中",
    Status.SUBMITTED: "已完成(待审核)", Status.CLOSED: "已办结", Status.BLOCKED: "受阻",
    Status.RETURNED: "退回", Status.CANCELLED: "已撤销",
}


class Role(StrEnum):
    ASSIGNEE = "assignee"  # acts for one of the item's parties
    SUPERVISOR = "supervisor"  # the checklist's owner or one of its supervisors


class Action(StrEnum):
    ACKNOWLEDGE = "acknowledge"
    PROGRESS = "progress"
    COMPLETE = "complete"
    BLOCK = "block"
    VERIFY = "verify"
    REJECT = "reject"
    REASSIGN = "reassign"
    RESCHEDULE = "reschedule"
    CANCEL = "cancel"

    @property
    def label(self) -> str:
        return ACTION_LABELS[self]


ACTION_LABELS = {
    Action.ACKNOWLEDGE: "签收", Action.PROGRESS: "更新进展", Action.COMPLETE: "标记完成", Action.BLOCK: "受阻",
    Action.VERIFY: "办结", Action.REJECT: "退回", Action.REASSIGN: "改派", Action.RESCHEDULE: "改期",
    Action.CANCEL: "撤销",
}

_WORKING = (Status.UNSIGNED, Status.ACKNOWLEDGED, Status.IN_PROGRESS, Status.RETURNED, Status.BLOCKED)
_OPEN = (*_WORKING, Status.SUBMITTED)


@dataclass(frozen=True)
class Rule:
    action: Action
    role: Role
    allowed_from: tuple[Status, ...]
    to: Status | None  # None: the status does not change (改派, 改期)
    needs_reason: bool = False


RULES: dict[Action, Rule] = {r.action: r for r in (
    Rule(Action.ACKNOWLEDGE, Role.ASSIGNEE, (Status.UNSIGNED,), Status.ACKNOWLEDGED),
    Rule(Action.PROGRESS, Role.ASSIGNEE, _WORKING, Status.IN_PROGRESS),
    Rule(Action.COMPLETE, Role.ASSIGNEE, _WORKING, Status.SUBMITTED),
    Rule(Action.BLOCK, Role.ASSIGNEE, _WORKING, Status.BLOCKED, needs_reason=True),
    Rule(Action.VERIFY, Role.SUPERVISOR, (Status.SUBMITTED,), Status.CLOSED),
    Rule(Action.REJECT, Role.SUPERVISOR, (Status.SUBMITTED,), Status.RETURNED, needs_reason=True),
    Rule(Action.REASSIGN, Role.SUPERVISOR, _OPEN, None),
    Rule(Action.RESCHEDULE, Role.SUPERVISOR, _OPEN, None),
    Rule(Action.CANCEL, Role.SUPERVISOR, _OPEN, Status.CANCELLED, needs_reason=True),
)}


class TransitionError(Exception):
    """A refused change, with a reason to show the user as is."""


def check(action: Action, current: Status, roles: set[Role], reason: str = "") -> Status:
    """The status after `action`, or TransitionError saying why not."""
    rule = RULES[action]
    if rule.role not in roles:
        who = "该项的责任人" if rule.role is Role.ASSIGNEE else "督办人或清单发布人"
        raise TransitionError(f"你不是{who},不能{action.label}")
    if current not in rule.allowed_from:
        raise TransitionError(f"当前状态为「{current.label}」,不能{action.label}")
    if rule.needs_reason and not reason.strip():
        raise TransitionError(f"{action.label}需要填写原因")
    return rule.to or current
