"""Task tables: rows of tab-separated cells under a header that names the columns."""

from __future__ import annotations

from extractors import extract
from extractors.tables import find_rows


def test_a_unit_named_in_two_columns_is_listed_once_where_first_named() -> None:
    text = "重点任务\t牵头单位\t责任单位\t配合单位\n开展重点人群筛查\t区卫健局\t区疾控中心\t区卫健局、各镇"
    item = extract(text).items[0]
    assert [(p.name, p.role) for p in item.responsible] == [
        ("区卫健局", "lead"), ("区疾控中心", "owner"), ("各镇", "assist")]


def test_text_without_tabs_has_no_rows() -> None:
    assert find_rows("重点任务 牵头单位\n开展重点人群筛查 区卫健局") == []
