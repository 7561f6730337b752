"""Outline: headings (一、 (一) 1. 一是 第一 首先 …) with their levels, and the 提纲/目录 block to skip."""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from functools import cache

import regex

from extractors.rules import Lexicon, Rule, budget, heading_marker, lexicon, match_line_start

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


def _heading(text: str, m: regex.Match[str], rule: Rule) -> Heading | None:
    """The heading a marker match opens: its text runs to the sentence end (an ordinal's is kept short)."""
    stop = HEADING_STOP.search(text, m.end(), timeout=budget(text))
    end = stop.start() if stop else len(text)
    body = text[m.end():end].strip()
    if rule.level == 5 and len(body) > MAX_ORDINAL_HEADING:
        cut = body.find(",")
        body = body[: cut if 0 < cut <= MAX_ORDINAL_HEADING else MAX_ORDINAL_HEADING]
    if not body:
        return None
    return Heading(m.start(), m.end(), end, rule.level, m.group(0), rule.name, body)


@cache
def _scanners(lex: Lexicon) -> tuple[regex.Pattern[str], regex.Pattern[str]]:
    """Every marker in one pattern: at line starts (all kinds), and after a sentence end (ordinals)."""
    rules = lex.headings + lex.ordinals
    at_line = "|".join(f"(?P<g{n}>{r.pattern.pattern})" for n, r in enumerate(rules))
    inline = "|".join(f"(?P<g{len(lex.headings) + n}>{r.pattern.pattern})" for n, r in enumerate(lex.ordinals))
    return (regex.compile(f"^(?:{at_line})", regex.MULTILINE),
            regex.compile(f"(?<=[。!?;])(?:{inline})"))


def find_toc(text: str, lex: Lexicon) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    lines = _lines(text)
    i = 0
    while i < len(lines):
        pos, line = lines[i]
        m = match_line_start(lex.toc_marker, line)
        if not m:
            i += 1
            continue
        end = pos + len(line)
        i += 1
        # A marker alone on its line heads a block of heading lines; a marker with text is one line.
        if not line[m.end():].strip():
            while i < len(lines) and match_line_start(heading_marker(lex), lines[i][1]):
                end = lines[i][0] + len(lines[i][1])
                i += 1
        spans.append((pos, end))
    return spans


def parse_outline(text: str) -> Outline:
    lex = lexicon()
    toc = find_toc(text, lex)
    rules = lex.headings + lex.ordinals
    found: dict[int, Heading] = {}
    at_line, inline = _scanners(lex)
    # Ordinals also open sentences in mid-paragraph: "…确保人员到位。二是立即进入临战状态。"
    for scanner in (at_line, inline):
        for m in scanner.finditer(text, timeout=budget(text)):
            if m.start() in found or any(a <= m.start() < b for a, b in toc):
                continue
            h = _heading(text, m, rules[int(str(m.lastgroup)[1:])])
            if h:
                found[m.start()] = h
    return Outline(tuple(found[k] for k in sorted(found)), tuple(toc))
