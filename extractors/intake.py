"""Bytes from a file or an upload -> text, with clear refusals. Pure: no Slack, no network."""

from __future__ import annotations

import io
from dataclasses import dataclass

import regex

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
MIN_HAN = 6  # fewer Chinese characters than this is not a directive at all
HAN = regex.compile(r"\p{Han}")


class IntakeError(ValueError):
    """A refusal with a one-line Chinese + English reason, shown to the user as is."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Document:
    text: str
    encoding: str
    kind: str  # txt | docx | xlsx | pdf


def _decode_text(data: bytes) -> tuple[str, str]:
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    # Big5 bytes often decode as valid (but meaningless) GB18030, so the choice is made by coherence.
    from charset_normalizer import from_bytes  # imported here: most input is UTF-8, and cold start counts

    best = from_bytes(data, cp_isolation=["gb18030", "big5"]).best()
    if best is None:
        raise IntakeError("binary", "无法识别的文件编码,可能是二进制文件 / not a text file")
    return str(best), best.encoding


def _looks_binary(data: bytes) -> bool:
    head = data[:4096]
    return b"\x00" in head or sum(b < 9 or 13 < b < 32 for b in head) > len(head) // 20


def _docx_text(data: bytes) -> str:
    import docx  # python-docx; imported here so plain-text use stays fast

    doc = docx.Document(io.BytesIO(data))
    lines = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            lines.append("\t".join(cell.text for cell in row.cells))  # extractors.tables reads tabbed rows
    return "\n".join(lines)


def _xlsx_text(data: bytes) -> str:
    """A 台账 or 分工方案 kept in Excel: every sheet's rows as tab-separated lines (extractors.tables)."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    lines = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows(values_only=True):
            cells = ["" if v is None else str(v).replace("\n", " ") for v in row]
            if any(c.strip() for c in cells):
                lines.append("\t".join(cells).rstrip("\t"))
        lines.append("")  # a sheet ends its table
    book.close()
    return "\n".join(lines)


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def read_document(data: bytes, *, filename: str = "", max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """Decode an upload. Raises IntakeError for empty, oversized, binary or non-Chinese input."""
    if not data or not data.strip():
        raise IntakeError("empty", "内容为空 / the input is empty")
    if len(data) > max_bytes:
        raise IntakeError("too_large", f"文件过大({len(data) / 1048576:.1f} MB,上限 {max_bytes / 1048576:.0f} MB)"
                          f" / file too large")
    name = filename.lower()
    try:
        if name.endswith(".xlsx") or (data[:2] == b"PK" and b"xl/" in data[:2000]):
            doc = Document(_xlsx_text(data), "xlsx", "xlsx")
        elif name.endswith(".docx") or data[:2] == b"PK":
            doc = Document(_docx_text(data), "docx", "docx")
        elif name.endswith(".pdf") or data[:5] == b"%PDF-":
            doc = Document(_pdf_text(data), "pdf", "pdf")
        else:
            if _looks_binary(data):
                raise IntakeError("binary", "这是二进制文件,不是文本 / binary file, not text")
            text, enc = _decode_text(data)
            doc = Document(text, enc, "txt")
    except IntakeError:
        raise
    except Exception as exc:  # a corrupt docx/pdf is the user's file, not our crash
        raise IntakeError("unreadable", f"文件无法读取({type(exc).__name__}) / unreadable file") from exc
    check_text(doc.text)
    return doc


def check_text(text: str) -> None:
    if not text.strip():
        raise IntakeError("empty", "内容为空 / the input is empty")
    if len(HAN.findall(text[:200_000])) < MIN_HAN:
        raise IntakeError("not_chinese", "未检测到中文讲话内容 / no Chinese text found")
