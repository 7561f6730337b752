"""工作台账 out (xlsx, csv, Markdown) and back in, with conflicts reported."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

from openpyxl import load_workbook

from checklists import ledger
from checklists.services import Change, ChecklistService
from checklists.status import Action
from tests.checklists.helpers import CDC, SUPERVISOR, by_text, make_checklist
from tests.fakes import FakeClock

WHEN = datetime(2024, 5, 13, 10, tzinfo=UTC)


def test_xlsx_layout(service: ChecklistService, clock: FakeClock) -> None:
    cl = make_checklist(service)
    service.act(by_text(cl, "全员培训").id, Action.BLOCK, CDC, Change(reason="场地未落实"))
    clock.advance(days=8)  # 摸底排查 overdue
    wb = load_workbook(io.BytesIO(ledger.to_xlsx(service.get(cl.id), WHEN)))
    ws = wb.active
    assert ws is not None
    assert ws["A1"].value == "2024年全区疫情防控工作会议上的讲话(2024-05-13) 工作台账"
    assert [c.value for c in ws[3]][:10] == list(ledger.COLUMNS[:10])
    assert ws.freeze_panes == "C4"
    assert ws.column_dimensions["B"].width == 48 and ws.column_dimensions["K"].hidden
    rows = {r[1].value: r for r in ws.iter_rows(min_row=4)}
    town = next(r for k, r in rows.items() if "摸底排查" in str(k))
    assert town[4].value.date() == date(2024, 5, 20) and town[7].value == "🔴逾期"
    assert town[7].fill.fgColor.rgb.endswith("FFC7CE")
    training = next(r for k, r in rows.items() if "全员培训" in str(k))
    assert training[6].value == "受阻" and "场地未落实" in training[9].value
    assert training[2].value in ("", None) and training[3].value == "区疾控中心"
    assert training[8].value.startswith("区疾控中心要在6月底前")
    assert training[1].alignment.wrap_text


def test_csv_and_markdown(service: ChecklistService) -> None:
    cl = make_checklist(service)
    csv_text = ledger.to_csv(cl)
    assert csv_text.startswith("\ufeff序号,工作任务,牵头单位")
    assert "发现病例X小时内要报告" in csv_text and "时限待明确" in csv_text
    md = ledger.to_markdown(cl)
    assert md.splitlines()[2].startswith("| 序号 | 工作任务 |") and "2024-06-30" in md


def test_import_applies_edits_as_audited_actions(service: ChecklistService) -> None:
    cl = make_checklist(service)
    wb = load_workbook(io.BytesIO(ledger.to_xlsx(cl, WHEN)))
    ws = wb.active
    assert ws is not None
    for row in ws.iter_rows(min_row=4):
        if "全员培训" in str(row[1].value):
            row[4].value = datetime(2024, 7, 15)
            row[2].value = "区疾控中心"
            row[3].value = "各镇"
    buf = io.BytesIO()
    wb.save(buf)
    report = ledger.import_xlsx(service, cl.id, buf.getvalue(), SUPERVISOR)
    assert report.conflicts == [] and len(report.applied) == 2
    item = service.item(by_text(cl, "全员培训").id)
    assert item.due == date(2024, 7, 15)
    assert [(p.name, p.role) for p in item.parties] == [("区疾控中心", "lead"), ("各镇", "assist")]
    assert [e.action for e in service.history(item.id)] == ["reschedule", "reassign"]


def test_import_reports_conflicts(service: ChecklistService) -> None:
    cl = make_checklist(service)
    data = ledger.to_xlsx(cl, WHEN)
    service.act(by_text(cl, "全员培训").id, Action.ACKNOWLEDGE, CDC)  # changed after the export
    wb = load_workbook(io.BytesIO(data))
    ws = wb.active
    assert ws is not None
    for row in ws.iter_rows(min_row=4):
        if "全员培训" in str(row[1].value):
            row[4].value = datetime(2024, 8, 1)
    buf = io.BytesIO()
    wb.save(buf)
    report = ledger.import_xlsx(service, cl.id, buf.getvalue(), SUPERVISOR)
    assert report.applied == [] and len(report.conflicts) == 1 and "导出后已在系统中被修改" in report.conflicts[0]
    assert service.item(by_text(cl, "全员培训").id).due == date(2024, 6, 30)
