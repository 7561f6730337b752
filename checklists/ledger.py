"""工作台账: the checklist as the spreadsheet offices keep (xlsx, csv, Markdown), and the xlsx back in.

Edits made in Excel come back as audited actions through the same services; a row changed in the store
since the export is reported as a conflict, never silently overwritten."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from checklists.colours import Colour
from checklists.models import ChecklistView, ItemView
from checklists.services import Actor, Change, ChecklistService, ConflictError, NotFound
from checklists.status import STATUS_LABELS, Action, Status, TransitionError

COLUMNS = ("序号", "工作任务", "牵头单位", "责任单位/配合单位", "完成时限", "进展情况", "状态", "督办等级",
           "原文依据", "备注", "事项编号", "版本")
# Widths in characters; a CJK character takes about two.
WIDTHS = (6, 48, 18, 24, 16, 22, 14, 10, 48, 20, 14, 6)
FILLS = {Colour.RED: "FFC7CE", Colour.YELLOW: "FFEB9C", Colour.BLUE: "BDD7EE", Colour.DONE: "C6EFCE"}
THIN = Side(style="thin", color="999999")
LABEL_TO_STATUS = {label: status for status, label in STATUS_LABELS.items()}


def _lead(item: ItemView) -> str:
    return "、".join(p.name for p in item.parties if p.role == "lead")


def _others(item: ItemView) -> str:
    return "、".join(p.name for p in item.parties if p.role != "lead")


def _progress(item: ItemView) -> str:
    text = f"{item.progress}%"
    if item.rrule:
        text += f" · 连续完成{item.streak}次 · 漏报{item.misses}次"
    return text


def _remark(item: ItemView) -> str:
    notes = []
    if item.placeholder:
        notes.append("时限待明确")
    if item.event_relative:
        notes.append("事件触发时限(常态化要求)")
    if item.kind == "prohibition":
        notes.append("禁止性规定")
    if item.note:
        notes.append(item.note)
    return ";".join(notes)


def rows(checklist: ChecklistView) -> list[list[object]]:
    out: list[list[object]] = []
    for n, item in enumerate((i for i in checklist.items if i.status is not Status.CANCELLED), 1):
        out.append([n, item.text, _lead(item), _others(item), item.due if item.due and not item.rrule
                    else item.deadline_label, _progress(item), item.status.label,
                    f"{item.colour.emoji}{item.colour.label}", item.quote, _remark(item), item.id, item.version])
    return out


def title_of(checklist: ChecklistView) -> str:
    when = f"({checklist.meeting_date.isoformat()})" if checklist.meeting_date else ""
    return f"{checklist.title}{when} 工作台账"


def to_xlsx(checklist: ChecklistView, generated: datetime) -> bytes:
    # Write-only mode streams rows: styled cells are made once per row, not looked up in a grid.
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("工作台账")
    for col, width in enumerate(WIDTHS, 1):
        ws.column_dimensions[get_column_letter(col)].width = width
    for col in (11, 12):  # the id and version columns carry the round trip; offices need not see them
        ws.column_dimensions[get_column_letter(col)].hidden = True
    ws.freeze_panes = "C4"

    def cell(value: object, **style: object) -> WriteOnlyCell:
        c = WriteOnlyCell(ws, value=value)
        for key, v in style.items():
            setattr(c, key, v)
        return c

    ws.merged_cells.add(f"A1:{get_column_letter(len(COLUMNS) - 2)}1")
    ws.append([cell(title_of(checklist), font=Font(bold=True, size=14), alignment=Alignment(horizontal="center"))])
    ws.append([f"导出时间:{generated:%Y-%m-%d %H:%M}"])
    box = Border(top=THIN, bottom=THIN, left=THIN, right=THIN)
    head = {"font": Font(bold=True), "fill": PatternFill("solid", fgColor="D9D9D9"), "border": box,
            "alignment": Alignment(horizontal="center", vertical="center", wrap_text=True)}
    ws.append([cell(name, **head) for name in COLUMNS])
    wrap = Alignment(vertical="top", wrap_text=True)
    fills = {c: PatternFill("solid", fgColor=rgb) for c, rgb in FILLS.items()}
    items = [i for i in checklist.items if i.status is not Status.CANCELLED]
    for item, values in zip(items, rows(checklist), strict=True):
        out = []
        for col, value in enumerate(values, 1):
            c = cell(value, alignment=wrap, border=box)
            if col == 5 and isinstance(value, date):
                c.number_format = "yyyy-mm-dd"
            if col == 8 and item.colour in fills:
                c.fill = fills[item.colour]
            out.append(c)
        ws.append(out)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def to_csv(checklist: ChecklistView) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(COLUMNS[:-2])
    for values in rows(checklist):
        writer.writerow([v.isoformat() if isinstance(v, date) else v for v in values[:-2]])
    return "\ufeff" + buf.getvalue()  # a BOM so that Excel opens the UTF-8 correctly


def to_markdown(checklist: ChecklistView) -> str:
    lines = [f"# {title_of(checklist)}", "", "| " + " | ".join(COLUMNS[:-4]) + " |",
             "|" + "---|" * (len(COLUMNS) - 4)]
    for values in rows(checklist):
        cells = [v.isoformat() if isinstance(v, date) else str(v) for v in values[:-4]]
        lines.append("| " + " | ".join(c.replace("|", "/").replace("\n", " ") for c in cells) + " |")
    return "\n".join(lines)


@dataclass
class ImportReport:
    applied: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (f"台账导入:应用 {len(self.applied)} 项修改,冲突 {len(self.conflicts)} 项,拒绝 {len(self.refused)} 项"
                + "".join(f"\n  冲突:{c}" for c in self.conflicts) + "".join(f"\n  拒绝:{r}" for r in self.refused))


def _as_date(value: object) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _names(cell: str) -> list[str]:
    return [p.strip() for p in cell.replace(",", "、").split("、") if p.strip()]


def _parties(lead: str, others: str) -> list[tuple[str, str]]:
    split = _names
    return [(n, "lead") for n in split(lead)] + [(n, "owner" if not lead else "assist") for n in split(others)]


def import_xlsx(service: ChecklistService, checklist_id: str, data: bytes | Path, actor: Actor) -> ImportReport:
    wb = load_workbook(io.BytesIO(data) if isinstance(data, bytes) else data, data_only=True)
    ws = wb.active
    assert ws is not None
    report = ImportReport()
    current = {i.id: i for i in service.get(checklist_id).items}
    for values in ws.iter_rows(min_row=4, values_only=True):
        if not values or len(values) < len(COLUMNS) or not values[10]:
            continue
        item_id, version = str(values[10]), int(values[11] or 0)
        item = current.get(item_id)
        if item is None:
            report.refused.append(f"第{values[0]}行:找不到事项")
            continue
        for action, change in _changes(item, values):
            label = f"第{values[0]}项「{item.text[:16]}」{action.label}"
            if item.version != version:
                report.conflicts.append(f"{label}:导出后已在系统中被修改(版本 {version} → {item.version})")
                break
            try:
                item = service.act(item.id, action, actor, change, expected_version=item.version)
                version = item.version
                report.applied.append(label)
            except ConflictError as exc:
                report.conflicts.append(f"{label}:{exc}")
                break
            except (TransitionError, NotFound) as exc:
                report.refused.append(f"{label}:{exc}")
    return report


def _changes(item: ItemView, values: tuple[object, ...]) -> list[tuple[Action, Change]]:
    out: list[tuple[Action, Change]] = []
    new_due = _as_date(values[4])
    if new_due and new_due != item.due and not item.rrule:
        out.append((Action.RESCHEDULE, Change(due=new_due, comment="台账导入")))
    parties = _parties(str(values[2] or ""), str(values[3] or ""))
    if parties and sorted(parties) != sorted((p.name, p.role) for p in item.parties):
        out.append((Action.REASSIGN, Change(parties=parties, comment="台账导入")))
    status = LABEL_TO_STATUS.get(str(values[6] or "").strip())
    if status and status is not item.status:
        action = {Status.CLOSED: Action.VERIFY, Status.RETURNED: Action.REJECT, Status.CANCELLED: Action.CANCEL,
                  Status.ACKNOWLEDGED: Action.ACKNOWLEDGE, Status.IN_PROGRESS: Action.PROGRESS,
                  Status.SUBMITTED: Action.COMPLETE, Status.BLOCKED: Action.BLOCK}.get(status)
        if action:
            out.append((action, Change(reason=str(values[9] or "台账导入"), comment="台账导入")))
    return out
