"""Every cue, prohibition and deadline pattern runs once over the whole cleaned text; clauses then look
their hits up by offset. This keeps extraction linear and fast on megabyte inputs."""

from __future__ import annotations

import bisect
from typing import NamedTuple

import regex

from extractors.rules import Rule, budget


class Hit(NamedTuple):
    # A tuple, not a dataclass: megabyte inputs make tens of thousands of these.
    start: int
    end: int
    rule: Rule
    match: regex.Match[str]


class HitIndex:
    """Non-overlapping hits of a rule group, earlier rules shadowing later ones, sorted by start."""

    def __init__(self, text: str, rules: tuple[Rule, ...], *, shadow: bool = False) -> None:
        hits: list[Hit] = []
        taken: list[tuple[int, int]] = []
        for rule in rules:
            for m in rule.pattern.finditer(text, timeout=budget(text)):
                if m.end() == m.start():
                    continue
                if shadow:
                    k = bisect.bisect_left(taken, (m.start(), -1))
                    near = taken[max(0, k - 1): k + 1]
                    if any(m.start() < b and a < m.end() for a, b in near):
                        continue
                    bisect.insort(taken, (m.start(), m.end()))
                hits.append(Hit(m.start(), m.end(), rule, m))
        hits.sort(key=lambda h: (h.start, h.end))
        self.hits = hits
        self.starts = [h.start for h in hits]

    def within(self, start: int, end: int) -> list[Hit]:
        # Index arithmetic, not slices: a slice would copy the rest of the list on every call.
        lo = bisect.bisect_left(self.starts, start)
        hi = bisect.bisect_left(self.starts, end, lo)
        hits = self.hits
        return [hits[k] for k in range(lo, hi) if hits[k].end <= end]

    def first(self, start: int, end: int) -> Hit | None:
        lo = bisect.bisect_left(self.starts, start)
        hi = bisect.bisect_left(self.starts, end, lo)
        for k in range(lo, hi):
            if self.hits[k].end <= end:
                return self.hits[k]
        return None
