"""`duban extract` as a user runs it: formats, bad input with a one-line reason and no traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main
from tests.conftest import SPEECHES

SPEECH = SPEECHES / "004_62dedd515db27ac8.txt"


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "bot.cli", *args], input=stdin, capture_output=True,
                          timeout=120, check=False)


def test_json_contract(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", str(SPEECH), "--format", "json", "--meeting-date", "2022-05-16"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["meeting_date"] == "2022-05-16"
    item = data["items"][0]
    assert set(item) == {"id", "text", "quote", "start", "end", "section", "kind", "responsible", "deadline",
                         "confidence"}


def test_table_and_explain(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", str(SPEECH), "--explain"]) == 0
    out = capsys.readouterr().out
    assert "责任:" in out and "规则:" in out and "modal.yao" in out


def test_markdown(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", str(SPEECH), "--format", "markdown"]) == 0
    assert "| 序号 | 工作任务 |" in capsys.readouterr().out


def test_gb18030_and_big5_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for enc, text in (("gb18030", "各级各部门要加强协调配合,形成工作合力。各镇要在年底前完成改造任务。"),
                      ("big5", "各級各部門要加強協調配合,形成工作合力。各鎮要在年底前完成改造任務。")):
        path = tmp_path / f"speech-{enc}.txt"
        path.write_bytes(text.encode(enc))
        assert main(["extract", str(path), "--format", "json"]) == 0
        items = json.loads(capsys.readouterr().out)["items"]
        assert [i["responsible"][0]["name"] for i in items] == ["各级各部门", "各镇"]


def test_docx_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import docx

    doc = docx.Document()
    doc.add_paragraph("一、加强组织领导")
    doc.add_paragraph("各级各部门要加强协调配合,形成工作合力。")
    path = tmp_path / "speech.docx"
    doc.save(str(path))
    assert main(["extract", str(path), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["items"][0]["quote"] == "各级各部门要加强协调配合,形成工作合力"


def test_docx_task_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A 分工方案 table in Word: each row is an item with its units and deadline."""
    import docx

    doc = docx.Document()
    doc.add_paragraph("2025年健康促进重点任务分工方案")
    table = doc.add_table(rows=3, cols=4)
    rows = [("重点任务", "牵头单位", "配合单位", "完成时限"),
            ("建设市级疾控中心实验室", "市卫健委", "市发改委、市财政局", "2025年12月底前"),
            ("开展全民健身行动", "市体育局", "各县(市、区)人民政府", "每年")]
    for row, values in zip(table.rows, rows, strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    path = tmp_path / "plan.docx"
    doc.save(str(path))
    assert main(["extract", str(path), "--format", "json"]) == 0
    items = json.loads(capsys.readouterr().out)["items"]
    assert [i["quote"] for i in items] == ["建设市级疾控中心实验室", "开展全民健身行动"]
    assert items[0]["responsible"] == [{"name": "市卫健委", "role": "lead"}, {"name": "市发改委", "role": "assist"},
                                       {"name": "市财政局", "role": "assist"}]
    assert items[0]["deadline"]["due"] == "2025-12-31"
    assert items[1]["deadline"]["kind"] == "recurring"


def test_xlsx_task_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A 分工方案 kept in Excel, as offices do: the header row names the columns wherever they are."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["全市健康促进重点任务分工表"])
    sheet.append(["序号", "工作任务", "责任单位", "完成时限"])
    sheet.append([1, "开展重点人群筛查", "区卫健局(牵头)、区疾控中心", "6月底前"])
    sheet.append([2, "建立督导机制", "区卫健局", None])
    path = tmp_path / "plan.xlsx"
    book.save(path)
    assert main(["extract", str(path), "--format", "json", "--meeting-date", "2025-03-01"]) == 0
    items = json.loads(capsys.readouterr().out)["items"]
    assert [i["quote"] for i in items] == ["开展重点人群筛查", "建立督导机制"]
    assert items[0]["responsible"] == [{"name": "区卫健局", "role": "lead"}, {"name": "区疾控中心", "role": "assist"}]
    assert items[0]["deadline"]["due"] == "2025-06-30"
    assert items[1]["deadline"] is None


@pytest.mark.parametrize(("name", "content", "reason"), [
    ("empty.txt", b"", "内容为空"),
    ("blank.txt", b"   \n\n", "内容为空"),
    ("binary.bin", bytes(range(256)) * 64, "二进制"),
    ("english.txt", b"The committee must complete the report within 24 hours. " * 20, "未检测到中文"),
])
def test_bad_input_is_refused_in_one_line(tmp_path: Path, name: str, content: bytes, reason: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    out = run("extract", str(path))
    assert out.returncode == 2
    err = out.stderr.decode()
    assert reason in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_oversized_file_is_refused_without_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    with path.open("wb") as fh:
        fh.truncate(50 * 1024 * 1024)  # 50 MB, sparse: the size check must come before reading
    out = run("extract", str(path))
    assert out.returncode == 2
    assert "文件过大" in out.stderr.decode() and "Traceback" not in out.stderr.decode()


def test_speech_with_no_directives(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_text("近年来,我市在公共卫生体系建设方面取得了显著成效。截至今天,我市已连续十天无新增病例。", "utf-8")
    out = run("extract", str(path))
    assert out.returncode == 3
    assert "未识别到督办事项" in out.stderr.decode()


def test_stdin() -> None:
    out = run("extract", "-", "--format", "json", stdin="各镇要在年底前完成改造任务。".encode())
    assert out.returncode == 0
    assert json.loads(out.stdout)["items"][0]["deadline"]["kind"] == "by"
