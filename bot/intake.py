"""Slack side of intake: a message, a snippet or an uploaded file -> text, with clear refusals.

Decoding and the size/binary/language checks are the extractors' (pure); this module only fetches."""

from __future__ import annotations

import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient

from extractors.intake import IntakeError, check_text, read_document

SUPPORTED = (".txt", ".text", ".md", ".docx", ".xlsx", ".pdf")


@dataclass(frozen=True)
class Source:
    text: str
    name: str  # a title hint: the file name, or "" for a pasted message


def _download(url: str, token: str, max_bytes: int) -> bytes:
    req = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            ctype = resp.headers.get("Content-Type", "")
            data = resp.read(max_bytes + 1)
    except urllib.error.HTTPError as exc:
        raise IntakeError("download_denied", f"文件下载被拒绝(HTTP {exc.code}),请确认机器人有 files:read 权限 / "
                                             f"download denied") from exc
    except OSError as exc:
        raise IntakeError("download_failed", "文件下载失败,请稍后重试 / download failed") from exc
    head = data[:200].lstrip().lower()
    if "text/html" in ctype or head.startswith((b"<!doctype html", b"<html")):
        # Slack answers a bad or missing token with its sign-in page, not an error code.
        raise IntakeError("download_denied", "文件下载被拒绝(返回了登录页面),请确认机器人已加入该频道并具有 files:read 权限 / "
                                             "got a login page instead of the file")
    if len(data) > max_bytes:
        raise IntakeError("too_large", f"文件过大(上限 {max_bytes / 1048576:.0f} MB) / file too large")
    return data


def file_source(client: WebClient, file: dict[str, Any], token: str, max_bytes: int) -> Source:
    """A shared file or snippet. The size is checked before anything is downloaded."""
    if file.get("mode") == "tombstone" or file.get("file_access") == "check_file_info":
        file = client.files_info(file=file["id"])["file"]
    name = file.get("name") or file.get("title") or ""
    size = int(file.get("size") or 0)
    if size > max_bytes:
        raise IntakeError("too_large", f"文件过大({size / 1048576:.1f} MB,上限 {max_bytes / 1048576:.0f} MB) / "
                                       f"file too large")
    is_snippet = file.get("mode") == "snippet"
    if not is_snippet and name and not name.lower().endswith(SUPPORTED) and file.get("filetype") not in (
            "text", "docx", "xlsx", "pdf", "markdown", "post"):
        raise IntakeError("unsupported", f"不支持的文件类型 {name}(支持 .txt .docx .xlsx .pdf) / unsupported file type")
    url = file.get("url_private_download") or file.get("url_private")
    if not url:
        raise IntakeError("download_denied", "无法获取文件地址 / no download URL")
    data = _download(url, token, max_bytes)
    doc = read_document(data, filename=name if not is_snippet else "snippet.txt", max_bytes=max_bytes)
    return Source(doc.text, name.rsplit(".", 1)[0] if not is_snippet else "")


def message_source(text: str) -> Source:
    check_text(text)
    return Source(text, "")
