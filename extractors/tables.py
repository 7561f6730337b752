"""Task tables: a 分工方案 often is a table, one task per row, with columns for the task, the lead and
assisting units and the deadline. Word and Excel hand its rows over as lines of tab-separated cells."""

from __future__ import annotations

from typing import NamedTuple

from extractors.rules import lexicon

CELL_SEPARATOR = "\t"
MIN_CELLS = 2


class Cell(NamedTuple):
    start: int
    end: int
    text: str


class Row(NamedTuple):
    start: int
    end: int
    cells: dict[str, Cell]  # by role: task, lead, assist, owner, deadline


def _cells(line: str, offset: int) -> list[Cell]:
    out, pos = [], 0
    for raw in line.split(CELL_SEPARATOR):
        text = raw.strip()
        lead = raw.find(text) if text else 0
        out.append(Cell(offset + pos + lead, offset + pos + lead + len(text), text))
        pos += len(raw) + 1
    return out


def header_roles(cells: list[Cell]) -> list[str] | None:
    """Each cell's column role, or None when the line is not a task-table header."""
    roles = []
    for cell in cells:
        rule = next((r for r in lexicon().table_columns if r.pattern.search(cell.text)), None)
        roles.append(rule.kind if rule else "")
    if "task" not in roles or not {"lead", "owner", "deadline"} & set(roles):
        return None
    return roles


def find_rows(text: str) -> list[Row]:
    """The data rows of every task table in text, in order. A table ends at the first line without tabs."""
    rows: list[Row] = []
    if CELL_SEPARATOR not in text:
        return rows
    roles: list[str] | None = None
    pos = 0
    for line in text.split("\n"):
        start, pos = pos, pos + len(line) + 1
        if CELL_SEPARATOR not in line:
            roles = None
            continue
        cells = _cells(line, start)
        if len(cells) < MIN_CELLS:
            continue
        header = header_roles(cells)
        if header is not None:
            roles = header
            continue
        if roles is None:
            continue
        named = {role: cell for role, cell in zip(roles, cells, strict=False) if role and cell.text}
        if "task" in named:
            rows.append(Row(start, start + len(line), named))
    return rows
