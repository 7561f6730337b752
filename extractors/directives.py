"""Directive detection at clause level: which parts of a sentence are tasks or prohibitions, and where
a multi-directive sentence splits into one checkable action each."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from functools import cache
from typing import NamedTuple

import regex

from extractors.deadlines import Found, deadline_index, pick
from extractors.hits import Hit, HitIndex
from extractors.parties import org_name, subject_parties
from extractors.rules import Rule, alternation_rule, first_chars, lexicon
from extractors.segment import Span, clauses, first_clause

# A modal this close to a clause start opens a new directive ("同时,要…", "各地要…").
MAX_SUBJECT_PREFIX = 16
SPLIT_MODALS = ("modal.yao", "modal.bixu", "modal.xu", "modal.ying")
ORDINAL_LEAD = regex.compile(
    r"^(?:[一二三四五六七八九十]{1,3}[、是]|[(][一二三四五六七八九十0-9]{1,3}[)]|[0-9]{1,2}[、.](?![0-9])|第[一二三四五六七八九十]{1,3}[,、:])")


@dataclass(slots=True)
class Clause:
    span: Span
    body_offset: int  # where the clause's words start, after ordinals and connectives
    body: str  # the clause from body_offset on
    modal: tuple[Rule, int] | None = None  # rule and position in span.text
    prohibition: tuple[Rule, int] | None = None
    imperative: Rule | None = None
    deadline: Found | None = None
    has_cue: bool = False  # a modal, a prohibition or an imperative opening
    # A modal or prohibition close to the start opens a new directive ("同时,要…", "各地要…").
    opens_with_modal: bool = False
    opens_with_prohibition: bool = False
    _topic: bool | None = None

    @property
    def topic(self) -> bool:
        """A clause that only names a topic ("对院感防控措施不落实的,") and belongs to the next one."""
        if self._topic is None:
            if self.modal or self.prohibition:
                self._topic = False
            else:
                self._topic = topic_pattern().match(self.span.text.rstrip(",:")) is not None
        return self._topic


@dataclass
class Chunk:
    """One would-be item: consecutive clauses of a part."""

    clauses: list[Clause] = field(default_factory=list)
    kind: str = "task"
    cue: str = ""

    @property
    def start(self) -> int:
        return self.clauses[0].span.start

    @property
    def end(self) -> int:
        return self.clauses[-1].span.end

    def deadline(self) -> Found | None:
        found = [c.deadline for c in self.clauses if c.deadline]
        return min(found, key=lambda f: f.rank) if found else None

    def has_cue(self) -> bool:
        return any(c.has_cue for c in self.clauses)


def strip_lead(text: str) -> int:
    """How many leading characters are ordinals and connectives ("一是", "同时,", "特别是")."""
    if text[:1] not in lead_chars():
        return 0
    m = lead_pattern().match(text)
    return m.end() if m else 0


@cache
def lead_chars() -> frozenset[str]:
    connective: set[str] = set()
    for rule in lexicon().connective:
        chars = first_chars(rule.pattern.pattern)
        if chars is None:
            raise ValueError(f"{rule.name}: a connective must start with a word")
        connective |= chars
    return frozenset(connective | set("一二三四五六七八九十(0123456789第"))


@cache
def topic_pattern() -> regex.Pattern[str]:
    """Every topic rule in one pattern: a clause is a topic if any of them matches (one call, not three)."""
    return regex.compile("|".join(f"(?:{r.pattern.pattern})" for r in lexicon().topic_clause))


@cache
def imperative_rules() -> tuple[tuple[Rule, frozenset[str] | None], ...]:
    return tuple((r, first_chars(r.pattern.pattern)) for r in lexicon().imperative_start)


@cache
def lead_pattern() -> regex.Pattern[str]:
    connectives = "|".join(r.pattern.pattern.lstrip("^") for r in lexicon().connective)
    return regex.compile(f"(?:{ORDINAL_LEAD.pattern.lstrip('^')}|{connectives})*")


SUBJECT_DEADLINE = Rule(name="imperative.subject_deadline", pattern=regex.compile(""))


class TextHits:
    """Cue and deadline hits of one text, computed once (see extractors.hits)."""

    def __init__(self, text: str) -> None:
        lex = lexicon()
        self.modal = HitIndex(text, lex.modal)
        self.prohibition = HitIndex(text, lex.prohibition)
        self.deadline = deadline_index(text)
        self.not_directive = HitIndex(text, not_directive_rules()[1])
        # All four groups in one list, so that a part finds its hits with one lookup, not four.
        groups = (self.modal, self.prohibition, self.deadline, self.not_directive)
        merged = sorted(((h.start, h.end, g, h) for g, index in enumerate(groups) for h in index.hits),
                        key=lambda row: row[:3])  # stable: hits at one span keep their group's order
        self._merged = [(end, g, h) for _, end, g, h in merged]
        self._starts = [start for start, _, _, _ in merged]

    def of_part(self, part: Span) -> PartHits:
        """The hits inside one ;-part: clauses then scan these short lists instead of the whole index."""
        found: tuple[list[Hit], ...] = ([], [], [], [])
        lo = bisect.bisect_left(self._starts, part.start)
        hi = bisect.bisect_left(self._starts, part.end, lo)
        merged = self._merged
        for k in range(lo, hi):
            end, group, hit = merged[k]
            if end <= part.end:
                found[group].append(hit)
        return PartHits(*found)


class PartHits(NamedTuple):
    modal: list[Hit]
    prohibition: list[Hit]
    deadline: list[Hit]
    not_directive: list[Hit]


def _first(hits: list[Hit], start: int, end: int) -> Hit | None:
    for h in hits:
        if h.start >= start and h.end <= end:
            return h
    return None


def _inside(hits: list[Hit], start: int, end: int) -> list[Hit]:
    return [h for h in hits if h.start >= start and h.end <= end]


def analyse_clause(span: Span, hits: PartHits) -> Clause:
    # Everything is worked out in locals and the clause is built once: this runs for every clause.
    text = span.text
    offset = strip_lead(text)
    body = text[offset:] if offset else text
    body_start = span.start + offset
    modal = prohibition = None
    if hits.modal and (h := _first(hits.modal, body_start, span.end)) is not None:
        modal = (h.rule, h.start - span.start)
    if hits.prohibition and (h := _first(hits.prohibition, body_start, span.end)) is not None:
        prohibition = (h.rule, h.start - span.start)
    imperative = None
    first = body[:1]
    for rule, chars in imperative_rules():
        if (chars is None or first in chars) and rule.pattern.match(body):
            imperative = rule
    deadline = pick(_inside(hits.deadline, span.start, span.end)) if hits.deadline else None
    if imperative is None and deadline is not None and deadline.rule.kind in ("by", "within", "recurring") \
            and org_name(body):
        # "区疾控中心每月10日前报送上月检测数据": a named unit with a time limit is an assignment (分工方案 style).
        imperative = SUBJECT_DEADLINE
    opens_modal = False
    if modal is not None and modal[0].name in SPLIT_MODALS:
        prefix = text[offset: modal[1]]
        opens_modal = len(prefix) <= MAX_SUBJECT_PREFIX and not prefix.endswith("就")
    opens_prohibition = prohibition is not None and prohibition[1] - offset <= MAX_SUBJECT_PREFIX and (
        modal is None or prohibition[1] < modal[1])
    return Clause(span, offset, body, modal, prohibition, imperative, deadline,
                  bool(modal or prohibition or imperative), opens_modal, opens_prohibition)


@cache
def not_directive_rules() -> tuple[regex.Pattern[str], tuple[Rule, ...], tuple[Rule, ...]]:
    """The narration rules split in two: those anchored at a clause's start ("^一些…"), matched per
    clause in one alternation, and the rest, found by one scan of the whole text (extractors.hits)."""
    rules = lexicon().not_directive
    anchored = tuple(r for r in rules if r.pattern.pattern.startswith("^"))
    floating = tuple(r for r in rules if not r.pattern.pattern.startswith("^"))
    alternation = "|".join(f"(?P<g{n}>{r.pattern.pattern[1:]})" for n, r in enumerate(anchored))
    return regex.compile(alternation), floating, anchored


def blocking_rule(cls: list[Clause], hits: PartHits) -> tuple[str, int] | None:
    """The name of a narration/analysis rule that rules the part out, or None.

    It looks at the clauses up to the first cue: what comes before a directive frames it. A match after
    a modal in the same clause is ignored, since the modal governs it ("要巩固已取得的成果")."""
    anchored_alt, _, anchored = not_directive_rules()
    for i, c in enumerate(cls):
        m = anchored_alt.match(c.body)
        if m:
            return alternation_rule(anchored, m).name, i
        body_start = c.span.start + c.body_offset
        modal_at = c.span.start + c.modal[1] if c.modal else None
        for hit in _inside(hits.not_directive, body_start, c.span.end) if hits.not_directive else ():
            if modal_at is not None and modal_at < hit.start and hit.rule.name.startswith(("past.", "situation.")):
                continue
            return hit.rule.name, i
        if c.modal or c.prohibition or c.imperative:
            break
    return None


def _opens_directive(c: Clause) -> bool:
    if c.opens_with_modal or c.imperative or c.opens_with_prohibition:
        return True
    if not c.modal:
        return False
    prefix = c.span.text[c.body_offset: c.modal[1]]
    return bool(subject_parties(prefix))


def _kind_of(c: Clause) -> str:
    if c.opens_with_prohibition:
        return "prohibition"
    return "task"


def _should_split(cur: Chunk, c: Clause) -> bool:
    if not cur.has_cue():
        return False
    if c.opens_with_modal:
        return True
    if c.opens_with_prohibition != (cur.kind == "prohibition"):
        return c.opens_with_prohibition or bool(c.modal or c.imperative)
    mine, theirs = cur.deadline(), c.deadline
    if mine and theirs:
        a = (mine.rule.kind, mine.rule.name if mine.rule.kind == "recurring" else "")
        b = (theirs.rule.kind, theirs.rule.name if theirs.rule.kind == "recurring" else "")
        if a != b:
            return True
        # "要在上半年完成…改革,年底前实现…互认": a clause that opens with another date is a second step.
        opens_with_date = theirs.match.start() - (c.span.start + c.body_offset) <= 1
        return theirs.rule.kind == "by" and opens_with_date and theirs.match.group(0) != mine.match.group(0)
    return False


def directive_chunks(part: Span, text_hits: TextHits) -> tuple[list[Chunk], str | None]:
    """Split a ;-part into directive chunks. Returns ([], reason) when the part is not a directive."""
    ph = text_hits.of_part(part)
    # Most narration has no cue at all: one look at the hits and the first clause settles it.
    if not ph.modal and not ph.prohibition:
        head = first_clause(part)
        if head is None:
            return [], "empty"
        first = analyse_clause(head, ph)
        if not first.imperative:
            return [], "no_cue"
        cls = [first, *(analyse_clause(s, ph) for s in clauses(part)[1:])]
    else:
        spans = clauses(part)
        if not spans:
            return [], "empty"
        cls = [analyse_clause(s, ph) for s in spans]
    has_modal = any(c.modal or c.prohibition for c in cls)
    if not has_modal and not cls[0].imperative:
        return [], "no_cue"
    while (blocked := blocking_rule(cls, ph)) is not None:
        name, where = blocked
        # "市里建立了…体系,定点救治机构…储备人员要保持待命状态": narration, analysis or a call to
        # "认识到…" comes first, then a directive of its own. The lead-in is dropped, the directive stays.
        restart = None
        if name.startswith(("past.", "situation.", "cognition.", "speech.agenda", "speech.thanks", "speech.said")):
            restart = next((i for i in range(where + 1, len(cls)) if _opens_directive(cls[i])), None)
        if restart is None:
            return [], name
        cls = cls[restart:]
    chunks: list[Chunk] = []
    cur = Chunk(kind=_kind_of(cls[0]))
    for c in cls:
        if cur.clauses and _should_split(cur, c):
            carry = cur.clauses.pop() if cur.clauses[-1].topic and len(cur.clauses) > 1 else None
            chunks.append(cur)
            cur = Chunk(kind="task", clauses=[carry] if carry else [])
        if not cur.clauses or (len(cur.clauses) == 1 and cur.clauses[0].topic):
            cur.kind = _kind_of(c)
        cur.clauses.append(c)
    chunks.append(cur)
    for ch in chunks:
        first = next((c for c in ch.clauses if c.modal or c.prohibition or c.imperative), ch.clauses[0])
        if ch.kind == "prohibition" and first.prohibition:
            ch.cue = first.prohibition[0].name
        elif first.modal:
            ch.cue = first.modal[0].name
        elif first.imperative:
            ch.cue = first.imperative.name
        else:
            ch.cue = "directive.inherited"
    return chunks, None
