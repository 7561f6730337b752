"""extract(text, *, meeting_date) -> Extraction: clean, outline, segment, detect, date, attribute."""

from __future__ import annotations

import bisect
import gc
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import NamedTuple

import regex

from extractors import meta
from extractors.clean import clean
from extractors.deadlines import parse, pick
from extractors.directives import Chunk, Clause, TextHits, analyse_clause, directive_chunks, strip_lead
from extractors.models import CleaningReport, Extraction, Item, Party, Span
from extractors.outline import Outline, parse_outline
from extractors.parties import (
    TRAILING,
    assisting_parties,
    clause_head_parties,
    explicit_parties,
    org_name,
    parse_names,
    subject_parties,
    unit_cell_parties,
)
from extractors.rules import lexicon
from extractors.segment import Span as SegmentSpan
from extractors.segment import parts, sentences
from extractors.tables import Row, find_rows

NORM = regex.compile(r"[\p{P}\p{S}\s]+")
EVENT_WINDOW = 12  # characters before a `within` expression searched for its triggering event
# A directive that ends without punctuation at a paragraph end was cut short by the site.
TRUNCATED_TAIL = 2
MIN_DUP_KEY = 6  # characters of a normalised quote that index it for the duplicate check
CLAUSE_BREAK = regex.compile(r"[,:]")
TABLE_CUE = "table.row"
PRONOUN_SUBJECT = regex.compile(r"^(?:我们|大家|你们|咱们|各位|同志们|我)")


def _norm(text: str) -> str:
    return NORM.sub("", text)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Extraction allocates hundreds of thousands of small objects and frees them all, with no reference
    cycles among them; the cycle collector would walk them over and over for nothing (20% of the time on
    megabyte inputs). It is paused only if it was on, and turned back on by whoever paused it."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def extract(text: str, *, meeting_date: date | None = None) -> Extraction:
    with _collector_paused():
        return _extract(text, meeting_date)


def _extract(text: str, meeting_date: date | None) -> Extraction:
    cleaned = clean(text)
    body = cleaned.text
    title = meta.find_title(body)
    year = meeting_date.year if meeting_date else (
        meta.find_meeting_year(title, body) or meta.find_published_year(text))
    if meeting_date is None:
        meeting_date = meta.find_meeting_date(body, year)
    outline = parse_outline(body)
    items = _items(body, outline, meeting_date, year, cleaned.garbled)
    report = CleaningReport(
        removed=tuple(dict.fromkeys(cleaned.removed)), traditional=cleaned.traditional,
        pinyin_stripped=cleaned.pinyin_stripped, redactions=cleaned.redactions,
        garbled=tuple(Span(start=a, end=b, reason="garbled") for a, b in cleaned.garbled))
    return Extraction(title=title, meeting_date=meeting_date, meeting_year=year, text=body,
                      items=tuple(items), cleaning=report)


def _items(body: str, outline: Outline, meeting: date | None, year: int | None,
           garbled: list[tuple[int, int]]) -> list[Item]:
    raw: list[Raw] = []
    hits = TextHits(body)
    note_pattern = lexicon().assignment_note
    follows_item = False  # whether the sentence just before made an item
    rows = find_rows(body)
    row_starts = [r.start for r in rows]
    for sentence in sentences(body):
        if outline.in_toc(sentence.start) or _in_row(rows, row_starts, sentence.start):
            continue
        if follows_item and note_pattern.match(sentence.text) and \
                outline.path_at(sentence.start) == outline.path_at(raw[-1].chunk.start):
            raw[-1] = _with_note(raw[-1], sentence)
            continue  # "牵头单位:…。完成时限:…。" may come as two sentences: both belong to the item
        follows_item = False
        inherited: list[Party] = []
        pending: list[str] = []  # non-directive parts, read for subjects only if a later part needs one
        for part in parts(sentence):
            chunks, _reason = directive_chunks(part, hits)
            if not chunks:
                pending.append(part.text)
                continue
            trailing = _trailing_note(body, part.end)
            for chunk in chunks:
                words = _chunk_text(chunk)
                parties = explicit_parties(words + trailing) or _subject_of(chunk)
                if not parties and not _speaker_subject(chunk):
                    for text in pending:
                        inherited = _update_inherited(inherited, text) or inherited
                    pending = []
                    parties = list(inherited)
                else:
                    pending = []
                    inherited = [p.model_copy(update={"rule": "party.inherited"}) for p in parties]
                if not parties and not _speaker_subject(chunk):
                    parties = _heading_party(outline, chunk.start)
                raw.append(Raw(chunk, _with_helpers(parties, assisting_parties(words))))
                follows_item = True
                for c in chunk.clauses:
                    heads = clause_head_parties(c.body) if not (c.modal or c.prohibition or c.imperative
                                                                or c.topic) else []
                    if heads:
                        inherited = heads
    raw = _merge_rows(raw, [_table_raw(row, hits) for row in rows])
    # Headings and copies are dropped before items are built: scraped pages repeat whole paragraphs.
    drafts = _dedupe(_drop_covered_headings([_draft(body, r) for r in raw], outline))
    return [_make_item(body, outline, draft, n, meeting, year, garbled, hits) for n, draft in enumerate(drafts, 1)]


def _heading_party(outline: Outline, pos: int) -> list[Party]:
    """A 职责分工 section headed by a unit ("(一)市卫生健康委。") gives its tasks that unit when they name none."""
    for heading in reversed(outline.path_at(pos)):
        text = heading.text.rstrip("。:;,")
        if text and org_name(text) == text:
            return [Party(name=text, role="owner", rule="party.heading")]
    return []


def _with_helpers(parties: list[Party], helpers: list[Party]) -> list[Party]:
    """"A会同B…": B helps and A leads, even when a subject list named both ("请A会同B于…")."""
    helping = {p.name for p in helpers}
    own = [p for p in parties if not (p.name in helping and p.role == "owner")]
    named = {p.name for p in own}
    helpers = [p for p in helpers if p.name not in named]
    if helpers and own and all(p.role == "owner" for p in own):
        own = [p.model_copy(update={"role": "lead"}) for p in own]  # one who leads, one who helps
    return own + helpers


def _in_row(rows: list[Row], starts: list[int], pos: int) -> bool:
    k = bisect.bisect_right(starts, pos) - 1
    return k >= 0 and pos < rows[k].end


def _table_raw(row: Row, hits: TextHits) -> Raw:
    """A task-table row: the task cell is the item, the unit columns its parties, the time column its deadline."""
    task = row.cells["task"]
    span = SegmentSpan(task.start, task.end, task.text)
    clause = analyse_clause(span, hits.of_part(span))  # the row is a task whatever its words; its kind is read
    kind = "prohibition" if clause.opens_with_prohibition else "task"
    parties: list[Party] = []
    for role in ("lead", "owner", "assist"):
        if (cell := row.cells.get(role)) is not None:
            parties += unit_cell_parties(cell.text) if role == "owner" else parse_names(cell.text, role, "party.table")
    deadline = row.cells.get("deadline")
    return Raw(Chunk(clauses=[clause], kind=kind, cue=TABLE_CUE), _unique(parties),
               (deadline.start, deadline.end) if deadline else None)


def _unique(parties: list[Party]) -> list[Party]:
    """The first mention of each unit: a lead column and a unit column may name the same one."""
    seen: set[str] = set()
    out = []
    for p in parties:
        if p.name not in seen:
            seen.add(p.name)
            out.append(p)
    return out


def _merge_rows(raw: list[Raw], rows: list[Raw]) -> list[Raw]:
    """Table items take their place in text order among the sentence items."""
    return sorted(raw + rows, key=lambda r: r.chunk.start) if rows else raw


class Raw(NamedTuple):
    """A directive chunk with its parties and, in 分工方案 style, the note that assigns it."""

    chunk: Chunk
    parties: list[Party]
    note: tuple[int, int] | None = None


def _with_note(raw: Raw, note: SegmentSpan) -> Raw:
    """The note's labelled units replace the subject: 牵头单位/配合单位 is the formal assignment."""
    named = explicit_parties(note.text)
    start = raw.note[0] if raw.note else note.start
    return Raw(raw.chunk, named or raw.parties, (start, note.end))


class Draft(NamedTuple):
    """An item before its deadline, section and warnings are worked out."""

    start: int
    end: int
    quote: str
    chunk: Chunk
    parties: list[Party]
    note: tuple[int, int] | None


def _draft(body: str, raw: Raw) -> Draft:
    start, end = raw.chunk.start, raw.chunk.end
    while end > start and body[end - 1] in ",;。!?:":
        end -= 1
    return Draft(start, end, body[start:end], raw.chunk, raw.parties, raw.note)


def _chunk_text(chunk: Chunk) -> str:
    """The chunk's words without a leading ordinal ("(一)市卫健委牵头…" names 市卫健委, not "(一)市卫健委")."""
    first, *rest = chunk.clauses
    return first.body + "".join(c.span.text for c in rest)


def _trailing_note(body: str, pos: int) -> str:
    """A "(A、B负责)" note right after the part, or one character after it (past its 。)."""
    for at in (pos, pos + 1):
        if body[at: at + 1] == "(" and (m := TRAILING.match(body, at)):
            return m.group(0)
    return ""


def _subject_of(chunk: Chunk) -> list[Party]:
    """The subject before the chunk's cue; failing that, a party opening an earlier clause of the chunk
    ("各级卫生健康部门、医疗卫生机构人事变动比较大,要根据…")."""
    for k, c in enumerate(chunk.clauses):
        cue = c.modal if chunk.kind == "task" or not c.prohibition else c.prohibition
        if cue:
            found = subject_parties(c.span.text[c.body_offset: cue[1]])
            return found or _look_back(chunk.clauses[:k])
        if c.imperative is not None:
            # "区疾控中心每月10日前报送…", "请各区卫健局…": the units opening the clause; after a verb, none.
            return clause_head_parties(c.body)
        if c.modal or c.prohibition:
            return []
    return []


def _speaker_subject(chunk: Chunk) -> bool:
    """True when the directive's own subject is the speaker or the audience (我们/大家要…): such a
    clause names nobody, and must not inherit a party either."""
    first = chunk.clauses[0]
    return bool(PRONOUN_SUBJECT.match(first.body))


def _look_back(earlier: list[Clause]) -> list[Party]:
    for c in reversed(earlier):
        if c.imperative:
            continue
        heads = clause_head_parties(c.body.rstrip(",:"))
        if heads:
            return heads
    return []


def _update_inherited(current: list[Party], text: str) -> list[Party]:
    found: list[Party] = []
    for clause in CLAUSE_BREAK.split(text):
        heads = clause_head_parties(clause[strip_lead(clause):])
        if heads:
            found = heads
    return found or current


def _make_item(body: str, outline: Outline, draft: Draft, number: int, meeting: date | None,
               year: int | None, garbled: list[tuple[int, int]], hits: TextHits) -> Item:
    start, end, quote, chunk, parties, note = draft
    text = quote[strip_lead(quote):] or quote
    # A note's 完成时限 is the formal deadline; the directive's own time words come second.
    found = (pick(hits.deadline.within(*note)) if note else None) or pick(hits.deadline.within(start, end))
    deadline = None
    if found:
        before = body[max(start, found.match.start() - EVENT_WINDOW): found.match.start()]
        event = any(r.pattern.search(before) for r in lexicon().event_trigger)
        deadline = parse(found, meeting_date=meeting, meeting_year=year, event_relative=event)
    warnings: list[str] = []
    confidence = 0.9 if chunk.cue.startswith(("modal", "prohibit", TABLE_CUE)) else 0.75
    if any(a < end and start < b for a, b in garbled):
        warnings.append("原文有乱码")
        confidence = min(confidence, 0.4)
    after = body[end: end + TRUNCATED_TAIL]
    line_start = body.rfind("\n", 0, start) + 1
    if (after[:1] == "\n" or not after) and quote[-1:] not in "。!?;\")”" and end - line_start >= 30 \
            and not _is_heading_item(start, outline) and chunk.cue != TABLE_CUE:
        warnings.append("原文截断")
        confidence = min(confidence, 0.5)
    if deadline and deadline.placeholder:
        warnings.append("时限待明确")
    rules = [chunk.cue]
    item_id = f"{number:03d}-{hashlib.sha1(quote.encode()).hexdigest()[:6]}"
    return Item(id=item_id, text=text, quote=quote, start=start, end=end, section=outline.section_at(start),
                kind="prohibition" if chunk.kind == "prohibition" else "task", responsible=tuple(parties),
                deadline=deadline, confidence=confidence, warnings=tuple(warnings), rules=tuple(rules))


def _is_heading_item(start: int, outline: Outline) -> bool:
    heading = outline.by_start.get(start)
    return heading is not None and heading.level <= 4


def _drop_covered_headings(items: list[Draft], outline: Outline) -> list[Draft]:
    """A section title (一、 / (一)) is an item only when nothing below it is: no double counting."""
    starts = [it.start for it in items]
    keep: list[Draft] = []
    for it in items:
        heading = outline.by_start.get(it.start)
        if heading is not None and heading.level <= 4:
            limit = outline.section_end.get(heading.start, 10**12)
            k = bisect.bisect_right(starts, it.end)
            if k < len(starts) and starts[k] < limit:
                continue
        keep.append(it)
    return keep


def _dedupe(items: list[Draft]) -> list[Draft]:
    """Scraped pages repeat paragraphs, sometimes cut short: keep the first copy of each directive.

    A later item whose text is contained in an earlier one is a copy. Candidates are looked up by the
    first and last characters of the key, so the check stays linear on megabyte inputs."""
    keep: list[Draft] = []
    by_head: dict[str, list[str]] = {}
    by_tail: dict[str, list[str]] = {}
    for it in items:
        key = _norm(it.quote)
        if len(key) >= MIN_DUP_KEY:
            head, tail = key[:MIN_DUP_KEY], key[-MIN_DUP_KEY:]
            if any(key in s for s in by_head.get(head, ())) or any(key in s for s in by_tail.get(tail, ())):
                continue
            by_head.setdefault(head, []).append(key)
            by_tail.setdefault(tail, []).append(key)
        keep.append(it)
    return keep
