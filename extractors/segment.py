"""Segmentation with offsets: sentences (。!?), parts (;) and clauses (,:)."""

from __future__ import annotations

import re
from typing import NamedTuple

import regex

# A bracketed note right after the full stop ("…完成首轮督导。(区卫健局负责)") belongs to that sentence;
# sentences are split on text whose brackets are masked, so the note shows up as mask characters.
# These three split on plain punctuation, so they use the standard `re`, which runs them about twice as
# fast as `regex` (the lexicon's patterns need `regex`; these do not).
SENTENCE = re.compile("[^。!?\n]+(?:[。!?]+[”’」』]?\u0001*)?")
# A "?" glued before a character is a lost character (mojibake), not a question mark: it is hidden
# from the sentence split.
MOJIBAKE_QUESTION = regex.compile(r"\?(?=[\p{Han}A-Za-z])")
# Clauses are capped in length: per-clause patterns then always run on short strings, which is what
# lets them skip the regex timeout that the whole-text scans keep (see extractors.rules).
MAX_CLAUSE = 600
PART = re.compile(r"[^;]+;?")
CLAUSE = re.compile(r"[^,:]{1,600}[,:]?")
# Commas inside quotation marks or brackets do not end a clause ("“多点布控,及时预警”").
QUOTED = regex.compile(r"“[^”]{0,80}”|\([^)]{0,40}\)|《[^》]{0,60}》")
MASK = "\u0001"
HIDDEN = "\u0002"
BRACKETED = regex.compile(r"\([^()\n]{0,80}\)")


class Span(NamedTuple):
    # A tuple, not a dataclass: one is made per sentence, part and clause.
    start: int
    end: int
    text: str
    masked: str = ""  # text with quoted/bracketed runs blanked out, same length


def _split(pattern: re.Pattern[str], span: Span, separators: str, *, first_only: bool = False) -> list[Span]:
    text, masked = span.text, span.masked or span.text
    if len(text) <= MAX_CLAUSE and not any(sep in masked for sep in separators):
        return [span]  # most parts are one clause, most sentences one part: no scan, no copy
    out = []
    base = span.start
    for m in pattern.finditer(masked):
        s, e = m.span()
        raw = text[s:e]
        stripped = raw.strip()
        if not stripped:
            continue
        lead = s + len(raw) - len(raw.lstrip())
        out.append(Span(base + lead, base + lead + len(stripped), stripped, masked[lead: lead + len(stripped)]))
        if first_only:
            break
    return out


def sentences(text: str) -> list[Span]:
    masked = QUOTED.sub(lambda m: MASK * len(m.group(0)), text)
    # A "。" inside brackets ("(A、B负责。列第一位者为牵头单位)") does not end the sentence; one inside
    # quotation marks does (a quoted instruction is a sentence of its own). Parts and clauses split on the mask.
    bracketed = BRACKETED.sub(lambda m: MASK * len(m.group(0)), text)
    if "?" in bracketed:
        bracketed = MOJIBAKE_QUESTION.sub(HIDDEN, bracketed)
    out = []
    for m in SENTENCE.finditer(bracketed):
        raw = text[m.start(): m.end()]
        stripped = raw.strip()
        if stripped:
            s = m.start() + len(raw) - len(raw.lstrip())
            out.append(Span(s, s + len(stripped), stripped, masked[s: s + len(stripped)]))
    return out


def parts(sentence: Span) -> list[Span]:
    return _split(PART, sentence, ";")


def clauses(part: Span) -> list[Span]:
    return _split(CLAUSE, part, ",:")


def first_clause(part: Span) -> Span | None:
    """The first clause alone: enough to rule out most parts without splitting all of them."""
    found = _split(CLAUSE, part, ",:", first_only=True)
    return found[0] if found else None
