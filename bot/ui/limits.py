"""Slack's real limits, enforced on every outgoing message and view (and checked again by the tests'
fake Slack). A builder that would exceed one paginates or truncates; `check_*` raises if one slips by."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from slack_sdk.models.blocks import Block

Blocks = list[dict[str, Any]]

MAX_BLOCKS_MESSAGE = 50
MAX_BLOCKS_VIEW = 100
MAX_SECTION_TEXT = 3000
MAX_HEADER_TEXT = 150
MAX_CHECKBOX_OPTIONS = 10
MAX_OPTION_TEXT = 75
MAX_OPTION_VALUE = 150
MAX_BUTTON_TEXT = 75
MAX_BUTTON_VALUE = 2000
MAX_SELECT_OPTIONS = 100
MAX_CONTEXT_ELEMENTS = 10
MAX_MESSAGE_BLOCK_CHARS = 12_000  # beyond about this, chat.postMessage answers msg_blocks_too_long
MAX_FALLBACK_TEXT = 4000
MAX_VIEW_TITLE = 24
MAX_PRIVATE_METADATA = 3000
MAX_INPUT_CHARS = 3000


class LimitError(ValueError):
    pass


def cut(text: str, limit: int) -> str:
    """Truncate to `limit` characters, marking the cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def plain(text: str, limit: int = MAX_OPTION_TEXT) -> dict[str, Any]:
    return {"type": "plain_text", "text": cut(text, limit), "emoji": True}


def mrkdwn(text: str) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": cut(text, MAX_SECTION_TEXT)}


def block_chars(blocks: Blocks) -> int:
    """The characters of text a message's blocks carry (what msg_blocks_too_long counts)."""
    total = 0

    def walk(node: Any) -> None:
        nonlocal total
        if isinstance(node, dict):
            if node.get("type") in ("plain_text", "mrkdwn") and isinstance(node.get("text"), str):
                total += len(node["text"])
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(blocks)
    return total


def _walk_elements(blocks: Blocks) -> Iterator[dict[str, Any]]:
    stack: list[Any] = list(blocks)
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            yield node
            stack.extend(v for v in node.values() if isinstance(v, dict | list))
        elif isinstance(node, list):
            stack.extend(node)


def violations(blocks: Blocks, *, max_blocks: int) -> list[str]:
    problems = []
    if len(blocks) > max_blocks:
        problems.append(f"{len(blocks)} blocks > {max_blocks}")
    for b in blocks:
        try:
            Block.parse(b)
        except Exception as exc:  # slack_sdk's own model validation
            problems.append(f"invalid block: {exc}")
        if b.get("type") == "header" and len(b["text"]["text"]) > MAX_HEADER_TEXT:
            problems.append("header text > 150")
        if b.get("type") == "section":
            if len((b.get("text") or {}).get("text", "")) > MAX_SECTION_TEXT:
                problems.append("section text > 3000")
            for f in b.get("fields", []):
                if len(f["text"]) > 2000:
                    problems.append("section field > 2000")
        if b.get("type") == "context" and len(b.get("elements", [])) > MAX_CONTEXT_ELEMENTS:
            problems.append("context elements > 10")
    for el in _walk_elements(blocks):
        kind = el.get("type")
        if kind == "checkboxes" and len(el.get("options", [])) > MAX_CHECKBOX_OPTIONS:
            problems.append("checkboxes options > 10")
        if kind in ("static_select", "multi_static_select", "overflow", "radio_buttons", "checkboxes"):
            opts = el.get("options", [])
            if len(opts) > MAX_SELECT_OPTIONS:
                problems.append("select options > 100")
            for o in opts:
                if len(o["text"]["text"]) > MAX_OPTION_TEXT:
                    problems.append("option text > 75")
                if len(o.get("value", "")) > MAX_OPTION_VALUE:
                    problems.append("option value > 150")
        if kind == "overflow" and not 2 <= len(el.get("options", [])) <= 5:
            problems.append("overflow needs 2–5 options")
        if kind == "button":
            if len(el["text"]["text"]) > MAX_BUTTON_TEXT:
                problems.append("button text > 75")
            if len(el.get("value", "")) > MAX_BUTTON_VALUE:
                problems.append("button value > 2000")
        if "action_id" in el and len(el["action_id"]) > 255:
            problems.append("action_id > 255")
    return problems


def check_message(blocks: Blocks, text: str) -> None:
    problems = violations(blocks, max_blocks=MAX_BLOCKS_MESSAGE)
    if block_chars(blocks) > MAX_MESSAGE_BLOCK_CHARS:
        problems.append(f"block text {block_chars(blocks)} > {MAX_MESSAGE_BLOCK_CHARS}")
    if not text.strip():
        problems.append("a text fallback is required")
    if len(text) > MAX_FALLBACK_TEXT:
        problems.append("fallback text > 4000")
    if problems:
        raise LimitError("; ".join(problems))


def check_view(view: dict[str, Any]) -> None:
    problems = violations(view.get("blocks", []), max_blocks=MAX_BLOCKS_VIEW)
    if view.get("type") == "modal":
        for key in ("title", "submit", "close"):
            if key in view and len(view[key]["text"]) > MAX_VIEW_TITLE:
                problems.append(f"modal {key} > 24")
    if len(view.get("private_metadata", "")) > MAX_PRIVATE_METADATA:
        problems.append("private_metadata > 3000")
    if problems:
        raise LimitError("; ".join(problems))


def paginate(groups: Iterable[Blocks], *, max_blocks: int = MAX_BLOCKS_MESSAGE - 2,
             max_chars: int = MAX_MESSAGE_BLOCK_CHARS - 1000) -> list[Blocks]:
    """Pack groups of blocks (one item each) into pages that fit one message; a group is never split."""
    pages: list[Blocks] = []
    page: Blocks = []
    chars = 0
    for group in groups:
        size = block_chars(group)
        if page and (len(page) + len(group) > max_blocks or chars + size > max_chars):
            pages.append(page)
            page, chars = [], 0
        page = page + group
        chars += size
    if page:
        pages.append(page)
    return pages


def dumps(blocks: Blocks) -> str:
    return json.dumps(blocks, ensure_ascii=False)
