"""Load the data files under lexicon/ and compile every pattern once with `regex`.

Patterns are data that a policy officer can review; this module only validates and compiles them.
Every rule carries a name so that an item can say which rules made it (``--explain``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import regex
import yaml

# Every whole-text scan runs with a timeout so that no pattern can hang on hostile input. The budget grows
# with the text: a linear scan of 5 MB on a slow machine must never trip it, a catastrophic one must.
MATCH_TIMEOUT_S = 1.0
TIMEOUT_CHARS_PER_SECOND = 100_000


# libyaml's safe loader reads the lexicon six times faster than the pure-Python one (cold start counts).
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# Line-start patterns (headings, a table-of-contents marker) look at a line's first characters only.
# The bound keeps each match short without the timeout, which costs more than the match itself.
LINE_HEAD = 80


def match_line_start(pattern: regex.Pattern[str], line: str) -> regex.Match[str] | None:
    return pattern.match(line[:LINE_HEAD])


@cache
def heading_marker(lex: Lexicon) -> regex.Pattern[str]:
    """Any heading marker (一、 (一) 1. (1)) in one pattern: line joining and the table of contents ask
    this of every line."""
    return regex.compile("|".join(f"(?:{r.pattern.pattern})" for r in lex.headings))


def budget(text: str) -> float:
    """The regex timeout for one scan over `text`."""
    return MATCH_TIMEOUT_S + len(text) / TIMEOUT_CHARS_PER_SECOND


@dataclass(frozen=True)
class Rule:
    name: str
    pattern: regex.Pattern[str]
    level: int = 0
    kind: str = ""
    # A bare period ("下半年", "年内") is often a modifier, not a deadline: it ranks last unless it ends in 前/内.
    bare: bool = False


def _load(name: str) -> dict[str, Any]:
    text = resources.files("extractors").joinpath("lexicon", name).read_text(encoding="utf-8")
    data = yaml.load(text, Loader=SAFE_LOADER)
    if not isinstance(data, dict):
        raise ValueError(f"lexicon {name}: expected a mapping")
    return data


def _compile(raw: str, macros: dict[str, str] | None = None, flags: int = 0) -> regex.Pattern[str]:
    for key, value in (macros or {}).items():
        raw = raw.replace("{" + key + "}", value)
    return regex.compile(raw, flags | regex.V0)


def _rules(entries: list[dict[str, Any]], *, kind: str = "", macros: dict[str, str] | None = None,
           flags: int = 0) -> tuple[Rule, ...]:
    return tuple(
        Rule(name=e["name"], pattern=_compile(e["pattern"], macros, flags), level=int(e.get("level", 0)),
             kind=kind, bare=bool(e.get("bare", False)))
        for e in entries
    )


@dataclass(frozen=True, eq=False)
class Lexicon:
    junk_line: tuple[Rule, ...]
    junk_span: tuple[Rule, ...]
    junk_tail: tuple[Rule, ...]
    modal: tuple[Rule, ...]
    prohibition: tuple[Rule, ...]
    imperative_start: tuple[Rule, ...]
    not_directive: tuple[Rule, ...]
    connective: tuple[Rule, ...]
    topic_clause: tuple[Rule, ...]
    event_trigger: tuple[Rule, ...]
    deadline: tuple[Rule, ...]  # ordered: within, by, recurring, immediate, asap
    headings: tuple[Rule, ...]
    ordinals: tuple[Rule, ...]
    toc_marker: regex.Pattern[str]
    org_suffixes: tuple[str, ...]
    org_roles: tuple[str, ...]
    non_party: frozenset[str]
    non_party_endings: tuple[str, ...]
    plural_prefix: str
    trim_lead: regex.Pattern[str]
    separators: regex.Pattern[str]
    assignment_note: regex.Pattern[str]
    org_suffix_set: frozenset[str]
    table_columns: tuple[Rule, ...]  # kind is the column's role

    def all_rules(self) -> list[Rule]:
        groups = (self.junk_line, self.junk_span, self.junk_tail, self.modal, self.prohibition,
                  self.imperative_start, self.not_directive, self.connective, self.topic_clause,
                  self.event_trigger, self.deadline, self.headings, self.ordinals, self.table_columns)
        return [rule for group in groups for rule in group]


DEADLINE_KINDS = ("within", "by", "recurring", "immediate", "asap")


@cache
def lexicon() -> Lexicon:
    junk, cues, time, orgs, outline, tables = (
        _load(f"{n}.yaml") for n in ("junk", "cues", "time", "orgs", "outline", "tables"))
    macros = time.get("macros", {})
    deadline: list[Rule] = []
    for kind in DEADLINE_KINDS:
        deadline.extend(_rules(time[kind], kind=kind, macros=macros))
    multiline = regex.MULTILINE
    return Lexicon(
        junk_line=_rules(junk["line"], flags=multiline),
        junk_span=_rules(junk["span"], flags=multiline),
        junk_tail=_rules(junk["tail"], flags=multiline),
        modal=_rules(cues["modal"]),
        prohibition=_rules(cues["prohibition"]),
        imperative_start=_rules(cues["imperative_start"]),
        not_directive=_rules(cues["not_directive"]),
        connective=_rules(cues["connective"]),
        topic_clause=_rules(cues["topic_clause"]),
        event_trigger=_rules(cues["event_trigger"]),
        deadline=tuple(deadline),
        headings=_rules(outline["headings"]),
        ordinals=_rules(outline["ordinals"]),
        toc_marker=_compile(outline["toc_marker"]),
        org_suffixes=tuple(sorted(orgs["suffixes"], key=len, reverse=True)),
        org_roles=tuple(sorted(orgs["roles"], key=len, reverse=True)),
        non_party=frozenset(orgs["non_party"]),
        non_party_endings=tuple(orgs.get("non_party_endings", [])),
        plural_prefix=orgs["plural_prefix"],
        trim_lead=_compile(orgs["trim_lead"]),
        separators=_compile(orgs["separators"]),
        assignment_note=_compile(orgs["assignment_note"]),
        org_suffix_set=frozenset(orgs["suffixes"]),
        table_columns=tuple(Rule(name=e["name"], pattern=_compile(e["pattern"]), kind=e["role"])
                            for e in tables["columns"]),
    )


def alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of a pattern ("a|b(c|d)" -> ["a", "b(c|d)"]); [pattern] if it has none."""
    out, current, depth, in_class, i = [], [], 0, False, 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            current.append(pattern[i: i + 2])
            i += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            out.append("".join(current))
            current = []
            i += 1
            continue
        current.append(char)
        i += 1
    out.append("".join(current))
    return out


INLINE_FLAGS = regex.compile(r"\(\?[a-zA-Z0-9]+\)")  # "(?m)…": would stay with the first alternative only


@cache
def scanners(pattern: regex.Pattern[str]) -> tuple[regex.Pattern[str], ...]:
    """The patterns that scan a text for `pattern`: one per top-level alternative. The regex module finds a
    literal that every match must contain with a fast string search, but it has none for "立即|马上|…" and
    then tries the pattern at every character; each alternative alone has one, and scans 3-6x faster."""
    parts = alternatives(pattern.pattern)
    if len(parts) == 1 or INLINE_FLAGS.match(pattern.pattern):
        return (pattern,)  # nothing to split, or inline flags that would stay with the first part
    compiled = tuple(regex.compile(part, pattern.flags) for part in parts)
    if any(set(c.groupindex) != set(pattern.groupindex) for c in compiled):
        return (pattern,)  # a caller may ask a match for a named group that one alternative lacks
    return compiled


def split_finditer(pattern: regex.Pattern[str], text: str, pos: int = 0) -> list[regex.Match[str]]:
    """What pattern.finditer(text, pos) finds, found one top-level alternative at a time (see scanners)
    and merged the way finditer would: leftmost first, the earlier alternative first at one position,
    no overlaps, no empty matches. Runs under the whole-text timeout."""
    parts = scanners(pattern)
    timeout = budget(text)
    if len(parts) == 1:
        return [m for m in pattern.finditer(text, pos, timeout=timeout) if m.end() > m.start()]
    candidates = sorted(((m.start(), k, m) for k, part in enumerate(parts)
                         for m in part.finditer(text, pos, timeout=timeout) if m.end() > m.start()),
                        key=lambda row: row[:2])
    found: list[regex.Match[str]] = []
    reached = -1
    for start, _, m in candidates:
        if start >= reached:
            found.append(m)
            reached = m.end()
    return found


FIRST_LITERAL = regex.compile(r"(?:^\^?+|\((?:\?:)?+|\|)(\p{Han})")
OPAQUE_START = regex.compile(r"(?:^\^?+|\((?:\?:)?+|\|)(?![\p{Han}(])")


def first_chars(pattern: str) -> frozenset[str] | None:
    """The characters a match of an alternation-of-words pattern can start with, or None when the
    pattern may start otherwise. Lets a caller skip the regex call for most clauses."""
    if OPAQUE_START.search(pattern):
        return None
    return frozenset(FIRST_LITERAL.findall(pattern))


def alternation_rule(rules: tuple[Rule, ...], m: regex.Match[str]) -> Rule:
    index = int(str(m.lastgroup)[1:])
    return rules[index]
