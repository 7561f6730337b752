"""Every cue, prohibition and deadline pattern runs once over the whole cleaned text; clauses then look
their hits up by offset. This keeps extraction linear and fast on megabyte inputs."""

from __future__ import annotations

import bisect
from typing import NamedTuple

import regex

from extractors.rules import Rule, split_finditer


class Hit(NamedTuple):
    # A tuple, not a dataclass: megabyte inputs make tens of thousands of these.
    start: int
    end: int
    rule: Rule
    match: regex.Match[str]


def _position(hit: Hit) -> tuple[int, int]:
    return hit.start, hit.end


def _overlaps(taken: list[tuple[int, int]], hit: Hit) -> bool:
    """Whether hit overlaps a span in taken (sorted, non-overlapping)."""
    k = bisect.bisect_left(taken, (hit.start, -1))
    return any(hit.start < b and a < hit.end for a, b in taken[max(0, k - 1): k + 1])


def _scan(text: str, rule: Rule) -> list[Hit]:
    return [Hit(m.start(), m.end(), rule, m) for m in split_finditer(rule.pattern, text)]


class HitIndex:
    """Non-overlapping hits of a rule group, earlier rules shadowing later ones, sorted by start."""

    def __init__(self, text: str, rules: tuple[Rule, ...], *, shadow: bool = False) -> None:
        hits: list[Hit] = []
        taken: list[tuple[int, int]] = []
        for rule in rules:
            found = _scan(text, rule)
            if shadow and taken:
                found = [h for h in found if not _overlaps(taken, h)]
            if shadow:
                taken = sorted(taken + [(h.start, h.end) for h in found])
            hits += found
        hits.sort(key=_position)
        self.hits = hits
        self.starts = [h.start for h in hits]

    def within(self, start: int, end: int) -> list[Hit]:
        # Index arithmetic, not slices: a slice would copy the rest of the list on every call.
        lo = bisect.bisect_left(self.starts, start)
        hi = bisect.bisect_left(self.starts, end, lo)
        hits = self.hits
        return [hits[k] for k in range(lo, hi) if hits[k].end <= end]
