"""Drafts: edits by their owner only, publish exactly once, and a stuck publish is taken over."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import update

from checklists import drafts as edits
from checklists.drafts import Drafts
from checklists.orm import DraftRow
from checklists.services import ChecklistService, ConflictError
from checklists.status import TransitionError
from extractors import extract
from tests.checklists.helpers import SPEECH
from tests.fakes import FakeClock


def _draft(service: ChecklistService, clock: FakeClock) -> tuple[Drafts, str]:
    d = Drafts(service.store, service, clock)
    return d, d.create(extract(SPEECH), user="UALICE", channel="C1")


def test_edits_belong_to_the_owner(service: ChecklistService, clock: FakeClock) -> None:
    d, draft_id = _draft(service, clock)
    _, ex = d.get(draft_id)
    first, second = ex.items[0], ex.items[1]
    with pytest.raises(TransitionError, match="只有草稿的提交人"):
        d.edit(draft_id, "UBOB", edits.remove_item(first.id))
    ex = d.edit(draft_id, "UALICE", edits.merge_with_previous(second.id))
    assert ex.items[0].text == f"{first.text};{second.text}"
    ex = d.edit(draft_id, "UALICE", edits.edit_item(ex.items[0].id, text="改写后的任务", parties=[("区疾控中心", "lead")],
                                                    due=date(2024, 7, 1)))
    assert (ex.items[0].text, ex.items[0].responsible[0].role, ex.items[0].deadline.due) == (  # type: ignore[union-attr]
        "改写后的任务", "lead", date(2024, 7, 1))
    d.edit(draft_id, "UALICE", edits.set_meta(meeting_date=date(2024, 5, 13), supervisors=["USUP", "USUP"]))
    row, _ = d.get(draft_id)
    assert row.meeting_date == date(2024, 5, 13) and row.supervisors == ["USUP"]


def test_publish_once_and_take_over_a_stuck_publish(service: ChecklistService, clock: FakeClock) -> None:
    d, draft_id = _draft(service, clock)
    view, created = d.publish(draft_id, "UALICE", channel="C1")
    again, created_again = d.publish(draft_id, "UALICE", channel="C1")
    assert created and not created_again and again.id == view.id
    with pytest.raises(TransitionError):
        d.edit(draft_id, "UALICE", edits.set_meta(meeting_date=date(2024, 5, 14)))

    d2, stuck = _draft(service, clock)
    with service.store.session() as s:  # an instance claimed the draft and died
        s.execute(update(DraftRow).where(DraftRow.id == stuck).values(state="publishing", publishing_at=clock.now))
    with pytest.raises(ConflictError, match="正在发布"):
        d2.publish(stuck, "UALICE", channel="C1")
    clock.advance(minutes=3)
    view2, created2 = d2.publish(stuck, "UALICE", channel="C1")
    assert created2 and len(view2.items) == len(view.items)
