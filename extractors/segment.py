"""Segmentation with offsets: sentences (。!?), parts (;) and clauses (,:)."""

from __future__ import annotations

from dataclasses import dataclass

import regex

SENTENCE = regex.compile(r"[^。!?\n]+(?:[。!?]+[”’」』]?)?")
PART = regex.compile(r"[^;]+;?")
CLAUSE = regex.compile(r"[^,:]+[,:]?")
# Commas inside quotation marks or brackets do not end a clause ("“多点布控,及时预警”").
QUOTED = regex.compile(r"“[^”]{0,80}”|\([^)]{0,40}\)|《[^》]{0,60}》")


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str


def _split(pattern: regex.Pattern[str], text: str, offset: int, *, mask: bool = True) -> list[Span]:
    masked = QUOTED.sub(lambda m: "\u0001" * len(m.group(0)), text) if mask else text
    out = []
    for m in pattern.finditer(masked):
        s, e = m.start(), m.end()
        raw = text[s:e]
        stripped = raw.strip()
        if not stripped:
            continue
        lead = len(raw) - len(raw.lstrip())
        out.append(Span(offset + s + lead, offset + s + lead + len(stripped), stripped))
    return out


def sentences(text: str) -> list[Span]:
    return _split(SENTENCE, text, 0, mask=False)


def parts(sentence: Span) -> list[Span]:
    return _split(PART, sentence.text, sentence.start)


def clauses(part: Span) -> list[Span]:
    return _split(CLAUSE, part.text, part.start)
