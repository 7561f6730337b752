"""Directive detection at clause level: which parts of a sentence are tasks or prohibitions, and where
a multi-directive sentence splits into one checkable action each."""

from __future__ import annotations

from dataclasses import dataclass, field

import regex

from extractors.deadlines import Found, pick
from extractors.parties import subject_parties
from extractors.rules import MATCH_TIMEOUT_S, Rule, lexicon
from extractors.segment import Span, clauses

# A modal this close to a clause start opens a new directive ("同时,要…", "各地要…").
MAX_SUBJECT_PREFIX = 16
SPLIT_MODALS = ("modal.yao", "modal.bixu", "modal.xu", "modal.ying")
ORDINAL_LEAD = regex.compile(
    r"^(?:[一二三四五六七八九十]{1,3}[、是]|[(][一二三四五六七八九十0-9]{1,3}[)]|[0-9]{1,2}[、.](?![0-9])|第[一二三四五六七八九十]{1,3}[,、:])")


@dataclass
class Clause:
    span: Span
    body_offset: int  # where the clause's words start, after ordinals and connectives
    modal: tuple[Rule, int] | None = None  # rule and position in span.text
    prohibition: tuple[Rule, int] | None = None
    imperative: Rule | None = None
    deadline: Found | None = None
    topic: bool = False

    @property
    def body(self) -> str:
        return self.span.text[self.body_offset:]

    def opens_with_modal(self) -> bool:
        if not self.modal or self.modal[0].name not in SPLIT_MODALS:
            return False
        prefix = self.span.text[self.body_offset: self.modal[1]]
        return len(prefix) <= MAX_SUBJECT_PREFIX and not prefix.endswith("就")

    def opens_with_prohibition(self) -> bool:
        if not self.prohibition:
            return False
        return self.prohibition[1] - self.body_offset <= MAX_SUBJECT_PREFIX and (
            not self.modal or self.prohibition[1] < self.modal[1])


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
        return any(c.modal or c.prohibition or c.imperative for c in self.clauses)


def strip_lead(text: str) -> int:
    """How many leading characters are ordinals and connectives ("一是", "同时,", "特别是")."""
    lex = lexicon()
    pos, changed = 0, True
    while changed:
        changed = False
        m = ORDINAL_LEAD.match(text, pos, timeout=MATCH_TIMEOUT_S)
        if m and m.end() > pos:
            pos, changed = m.end(), True
        for rule in lex.connective:
            m = rule.pattern.match(text[pos:], timeout=MATCH_TIMEOUT_S)
            if m and m.end() > 0:
                pos, changed = pos + m.end(), True
    return pos


def analyse_clause(span: Span) -> Clause:
    lex = lexicon()
    c = Clause(span=span, body_offset=strip_lead(span.text))
    text = span.text
    hits = [(m.start(), r) for r in lex.modal if (m := r.pattern.search(text, c.body_offset,
                                                                       timeout=MATCH_TIMEOUT_S))]
    if hits:
        pos, rule = min(hits, key=lambda h: h[0])
        c.modal = (rule, pos)
    hits = [(m.start(), r) for r in lex.prohibition if (m := r.pattern.search(text, c.body_offset,
                                                                             timeout=MATCH_TIMEOUT_S))]
    if hits:
        pos, rule = min(hits, key=lambda h: h[0])
        c.prohibition = (rule, pos)
    for rule in lex.imperative_start:
        if rule.pattern.match(c.body, timeout=MATCH_TIMEOUT_S):
            c.imperative = rule
    c.deadline = pick(text)
    c.topic = bool(not c.modal and not c.prohibition and any(
        r.pattern.match(text.rstrip(",:"), timeout=MATCH_TIMEOUT_S) for r in lex.topic_clause))
    return c


def blocking_rule(cls: list[Clause]) -> tuple[str, int] | None:
    """The name of a narration/analysis rule that rules the part out, or None.

    It looks at the clauses up to the first cue: what comes before a directive frames it. A match after
    a modal in the same clause is ignored, since the modal governs it ("要巩固已取得的成果")."""
    lex = lexicon()
    for i, c in enumerate(cls):
        for rule in lex.not_directive:
            m = rule.pattern.search(c.body, timeout=MATCH_TIMEOUT_S)
            if not m:
                continue
            modal_pos = c.modal[1] - c.body_offset if c.modal else None
            if modal_pos is not None and modal_pos < m.start() and rule.name.startswith(("past.", "situation.")):
                continue
            return rule.name, i
        if c.modal or c.prohibition or c.imperative:
            break
    return None


def _opens_directive(c: Clause) -> bool:
    if c.opens_with_modal() or c.imperative or c.opens_with_prohibition():
        return True
    if not c.modal:
        return False
    prefix = c.span.text[c.body_offset: c.modal[1]]
    return bool(subject_parties(prefix))


def _kind_of(c: Clause) -> str:
    if c.opens_with_prohibition():
        return "prohibition"
    return "task"


def _should_split(cur: Chunk, c: Clause) -> bool:
    if not cur.has_cue():
        return False
    if c.opens_with_modal():
        return True
    if c.opens_with_prohibition() != (cur.kind == "prohibition"):
        return c.opens_with_prohibition() or bool(c.modal or c.imperative)
    mine, theirs = cur.deadline(), c.deadline
    if mine and theirs:
        a = (mine.rule.kind, mine.rule.name if mine.rule.kind == "recurring" else "")
        b = (theirs.rule.kind, theirs.rule.name if theirs.rule.kind == "recurring" else "")
        return a != b
    return False


def directive_chunks(part: Span, *, first_in_sentence: bool) -> tuple[list[Chunk], str | None]:
    """Split a ;-part into directive chunks. Returns ([], reason) when the part is not a directive."""
    cls = [analyse_clause(s) for s in clauses(part)]
    if not cls:
        return [], "empty"
    has_modal = any(c.modal or c.prohibition for c in cls)
    if not has_modal and not cls[0].imperative:
        return [], "no_cue"
    while (blocked := blocking_rule(cls)) is not None:
        name, where = blocked
        # "市里建立了…体系,定点救治机构…储备人员要保持待命状态": narration, analysis or a call to
        # "认识到…" comes first, then a directive of its own. The lead-in is dropped, the directive stays.
        restart = None
        if name.startswith(("past.", "situation.", "cognition.")):
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
