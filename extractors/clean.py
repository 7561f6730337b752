"""Cleaning: scraped page text -> simplified, de-junked text. Every later offset refers to its output."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from functools import cache

import opencc
import regex

from extractors.rules import (
    Lexicon,
    Rule,
    alternatives,
    budget,
    heading_marker,
    lexicon,
    match_line_start,
    scanners,
    split_finditer,
)

_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
_SYLLABLE = rf"[a-zü]{{0,5}}[{_TONED}][a-zü]{{0,4}}"
# Neutral-tone syllables carry no mark; only these few are recognised, so "(a)" or "(x)" survive.
_NEUTRAL = r"(?:de|le|men|zi|me|ne|ma|ba|zhe|guo|li|tou|shang|xia|lai|qu)"
# "會(huì)議(yì)": a syllable in brackets glued after a character.
PINYIN_GLUED = regex.compile(rf"(?<=[\p{{Han}}a-zA-Z;?？])\((?:{_SYLLABLE}|{_NEUTRAL})\)")
# "?lián)": the opening bracket and the character were lost; the "?" marks the hole.
PINYIN_ORPHAN = regex.compile(rf"[?？]{_SYLLABLE}\)")
GARBLED = regex.compile(
    r"\uFFFD+|[?？](?=[\p{Han}A-Za-z])|(?<=\p{Han})[;][\p{Han}]{1,3}[a-wyzA-WYZ](?=\p{Han})"
    r"|(?<=\p{Han})[a-wyzA-WYZ](?=\p{Han})")
# 著 is 着 in modern usage except in these words (著作, 著名, 显著 …).
ZHU_FOLD = regex.compile(r"(?<![显名昭卓编原论专巨遗土译合])著(?![作名称述录书者])")
TRAD_SAMPLE = 4000  # characters compared to tell whether the source was Traditional
FULLWIDTH = {chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)} | {"\u3000": " "}
FULLWIDTH_CHAR = regex.compile("[\uFF01-\uFF5E\u3000]")
REDACTED = regex.compile(r"(?<![A-Za-z])[Xx×*]{1,4}(?![A-Za-z])")
SENTENCE_END = "。!?;:…”』」)"
TITLE_END = regex.compile(r"(讲话|发言|报告|会议|召开|通知|方案|意见|纪要|致辞)$")
TITLE_WORD = 2
# A line that continues a sentence opens with a character, a quotation mark, a number or a redaction mark.
NEWLINE = regex.compile(r"\n")
LINE_OPENER = regex.compile(r"[\p{Han}“X×*0-9]")
LONG_LINE = 30
INNER_PUNCT = regex.compile(r"[,、:]")
# Spaces only: a tab separates table cells (Word and Excel rows), which extractors.tables reads.
HAN_GAP = regex.compile(r"(?<=[^\sA-Za-z0-9])[ ]+(?=[^\sA-Za-z0-9])")


@dataclass
class Cleaned:
    text: str
    removed: list[str] = field(default_factory=list)
    traditional: bool = False
    pinyin_stripped: int = 0
    garbled: list[tuple[int, int]] = field(default_factory=list)
    redactions: int = 0


@cache
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def strip_pinyin(text: str) -> tuple[str, int]:
    text, n_glued = PINYIN_GLUED.subn("", text, timeout=budget(text))
    text, n_orphan = PINYIN_ORPHAN.subn("?", text, timeout=budget(text))
    return text, n_glued + n_orphan


def to_simplified(text: str) -> tuple[str, bool]:
    out = _t2s().convert(text)
    sample = min(len(text), TRAD_SAMPLE)
    before, after = text[:sample], out[:sample]
    # Most input is Simplified already: one string comparison settles it without a loop.
    changed = 0 if before == after else sum(a != b for a, b in zip(before, after, strict=False))
    if "著" in out:
        out = ZHU_FOLD.sub("着", out, timeout=budget(out))
    return out, changed > max(3, sample // 200)


def normalise_width(text: str) -> str:
    # One str.replace per full-width character present: str.translate looks every character of the
    # text up in the table, which on megabyte inputs costs more than the rest of cleaning.
    for char in set(FULLWIDTH_CHAR.findall(text, timeout=budget(text))):
        text = text.replace(char, FULLWIDTH[char])
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.replace("\u00a0", " ").replace("\u200b", "")


def remove_junk(text: str, lex: Lexicon, removed: list[str]) -> str:
    floor = int(len(text) * 0.3)
    cut = len(text)
    for rule in lex.junk_tail:
        found = split_finditer(rule.pattern, text, floor)
        if found and found[0].start() < cut:
            cut = found[0].start()
            removed.append(rule.name)
    text = text[:cut]
    # Whole lines: scan for each line rule, then drop the lines that matched.
    starts = [0] + [m.end() for m in NEWLINE.finditer(text)]
    hits: list[tuple[int, str]] = []
    for rule, pattern in line_rules(lex):
        for m in split_finditer(pattern, text):
            line = m.group(0)
            hits.append((m.start() + len(line) - len(line.lstrip()), rule.name))  # \s* may start a line early
    if hits:
        hits.sort()
        removed.extend(name for _, name in hits)
        drop = {bisect.bisect_right(starts, at) - 1 for at, _ in hits}
        text = "\n".join(line for n, line in enumerate(text.split("\n")) if n not in drop)
    for rule in lex.junk_span:
        count = 0
        for part in scanners(rule.pattern):
            text, n = part.subn("\n" if rule.name.startswith("truncation") else "", text, timeout=budget(text))
            count += n
        if count:
            removed.append(rule.name)
    return text


@cache
def line_rules(lex: Lexicon) -> tuple[tuple[Rule, regex.Pattern[str]], ...]:
    """Every line rule, and every tail rule as a line rule (an early "上一篇:" line is junk too)."""
    as_lines = tuple((r, regex.compile("|".join(f"^[ \\t]*(?:{part.lstrip('^')})"
                                                for part in alternatives(r.pattern.pattern)), regex.MULTILINE))
                     for r in lex.junk_tail)
    return tuple((r, r.pattern) for r in lex.junk_line) + as_lines


def _starts_heading(line: str, lex: Lexicon) -> bool:
    return bool(match_line_start(heading_marker(lex), line) or match_line_start(lex.toc_marker, line))


def join_broken_lines(text: str, lex: Lexicon) -> str:
    """Join lines broken mid-sentence ("全面领会和贯彻党的\\n二十大…"), keeping headings and titles."""
    out: list[str] = []
    for raw in text.split("\n"):
        line = raw.strip()
        if not line:
            continue
        if out and _continues(out[-1], line, lex):
            out[-1] += line
        else:
            out.append(line)
    return "\n".join(out)


def _continues(prev: str, line: str, lex: Lexicon) -> bool:
    if "\t" in prev or "\t" in line:
        return False  # a table row is a line of its own
    if _starts_heading(line, lex) or not LINE_OPENER.match(line):
        return False
    if prev.endswith(";"):
        return True
    # prev grows as lines are joined: look at its end only, or joining would cost the square of its length.
    if prev[-1] in SENTENCE_END or _starts_heading(prev, lex) or TITLE_END.search(prev[-TITLE_WORD:]):
        return False
    # A sentence in progress (it has inner punctuation) or a long line; a short bare line is a headline.
    return len(prev) >= LONG_LINE or bool(INNER_PUNCT.search(prev))


def clean(text: str) -> Cleaned:
    lex = lexicon()
    result = Cleaned(text="")
    text = normalise_width(text)
    text, result.pinyin_stripped = strip_pinyin(text)
    text, result.traditional = to_simplified(text)
    text = remove_junk(text, lex, result.removed)
    # Scraped pages often flatten paragraphs into one line separated by spaces; Chinese prose has no
    # spaces between characters, so such a gap is a paragraph break.
    text = HAN_GAP.sub("\n", text)
    text = join_broken_lines(text, lex)
    result.text = text
    result.garbled = [(m.start(), m.end()) for m in GARBLED.finditer(text, timeout=budget(text))]
    result.redactions = len(REDACTED.findall(text, timeout=budget(text)))
    return result
