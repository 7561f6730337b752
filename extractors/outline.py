"""Outline: headings (一、 (一) 1. 一是 第一 首先 …) with their levels, and the 提纲/目录 block to skip."""

from __future__ import annotations

import bisect
from dataclasses import dataclass

import regex

from extractors.rules import MATCH_TIMEOUT_S, Lexicon, budget, lexicon

SENTENCE_START = regex.compile(r"(?:^|(?<=[。!?;\n]))")
HEADING_STOP = regex.compile(r"[。!?;\n]")
MAX_ORDINAL_HEADING = 40  # an ordinal "sentence" longer than this is body text, not a heading


@dataclass(frozen=True)
class Heading:
    start: int  # where the marker starts
    body_start: int  # where the heading text starts (after the marker)
    end: int  # heading text end
    level: int
    marker: str
    rule: str
    text: str


class Outline:
    def __init__(self, headings: tuple[Heading, ...], toc: tuple[tuple[int, int], ...]) -> None:
        self.headings = headings
        self.toc = toc  # spans that are a table of contents
        self.starts = [h.start for h in headings]
        self.by_start = {h.start: h for h in headings}
        # The path in force after each heading, computed once: outer to inner.
        self.paths: list[tuple[Heading, ...]] = []
        path: list[Heading] = []
        for h in headings:
            while path and path[-1].level >= h.level:
                path.pop()
            path.append(h)
            self.paths.append(tuple(path))
        # Where each heading's section ends: the next heading of the same or a higher level.
        self.section_end: dict[int, int] = {}
        open_: list[Heading] = []
        for h in headings:
            while open_ and open_[-1].level >= h.level:
                self.section_end[open_.pop().start] = h.start
            open_.append(h)

    def in_toc(self, pos: int) -> bool:
        return any(a <= pos < b for a, b in self.toc)

    def path_at(self, pos: int) -> tuple[Heading, ...]:
        """The heading path in force at pos: the latest heading of each level, outer to inner."""
        k = bisect.bisect_right(self.starts, pos)
        return self.paths[k - 1] if k else ()

    def section_at(self, pos: int) -> str:
        return " > ".join(h.marker + h.text for h in self.path_at(pos))


def _lines(text: str) -> list[tuple[int, str]]:
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, line))
        pos += len(line) + 1
    return out


def _heading_at(text: str, pos: int, rules: tuple[object, ...], lex: Lexicon) -> Heading | None:
    for rule in lex.headings + lex.ordinals:
        if rule not in rules:
            continue
        m = rule.pattern.match(text, pos, timeout=MATCH_TIMEOUT_S)
        if not m:
            continue
        stop = HEADING_STOP.search(text, m.end(), timeout=budget(text))
        end = stop.start() if stop else len(text)
        body = text[m.end():end].strip()
        if rule.level == 5 and len(body) > MAX_ORDINAL_HEADING:
            cut = body.find(",")
            body = body[: cut if 0 < cut <= MAX_ORDINAL_HEADING else MAX_ORDINAL_HEADING]
        if not body:
            return None
        return Heading(pos, m.end(), end, rule.level, m.group(0), rule.name, body)
    return None


def find_toc(text: str, lex: Lexicon) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    lines = _lines(text)
    i = 0
    while i < len(lines):
        pos, line = lines[i]
        m = lex.toc_marker.match(line, timeout=MATCH_TIMEOUT_S)
        if not m:
            i += 1
            continue
        end = pos + len(line)
        i += 1
        # A marker alone on its line heads a block of heading lines; a marker with text is one line.
        if not line[m.end():].strip():
            while i < len(lines) and any(r.pattern.match(lines[i][1], timeout=MATCH_TIMEOUT_S)
                                         for r in lex.headings):
                end = lines[i][0] + len(lines[i][1])
                i += 1
        spans.append((pos, end))
    return spans


def parse_outline(text: str) -> Outline:
    lex = lexicon()
    toc = find_toc(text, lex)
    headings: list[Heading] = []
    line_rules = tuple(lex.headings) + tuple(lex.ordinals)
    for pos, _line in _lines(text):
        if any(a <= pos < b for a, b in toc):
            continue
        h = _heading_at(text, pos, line_rules, lex)
        if h:
            headings.append(h)
    # Ordinals also open sentences in mid-paragraph: "…确保人员到位。二是立即进入临战状态。"
    line_starts = {h.start for h in headings}
    for m in regex.finditer(r"(?<=[。!?;])", text, timeout=budget(text)):
        pos = m.start()
        if pos in line_starts or any(a <= pos < b for a, b in toc):
            continue
        h = _heading_at(text, pos, tuple(lex.ordinals), lex)
        if h:
            headings.append(h)
    headings.sort(key=lambda h: h.start)
    return Outline(tuple(headings), tuple(toc))
