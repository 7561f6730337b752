"""Whole-text scans run one top-level alternative at a time (extractors.rules.scanners). The merged matches
must be what the undivided pattern's finditer gives, for every rule that is scanned that way."""

from __future__ import annotations

import regex
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractors.directives import not_directive_rules
from extractors.rules import alternatives, lexicon, scanners, split_finditer
from tests.conftest import SPEECHES


def _scanned_rules() -> list[regex.Pattern[str]]:
    lex = lexicon()
    rules = lex.modal + lex.prohibition + lex.deadline + not_directive_rules()[1] + lex.junk_line + lex.junk_span
    return [r.pattern for r in rules]


# Characters the rules are made of, so that random texts hit them often.
ALPHABET = "".join(sorted({c for p in _scanned_rules() for c in p.pattern if "\u4e00" <= c <= "\u9fff"}))
ALPHABET += "0123456789X,;:。\n 要的了"


def test_alternatives_split_only_at_the_top_level() -> None:
    assert alternatives("a|b(c|d)|[|]|e\\|f") == ["a", "b(c|d)", "[|]", "e\\|f"]
    assert alternatives("(?P<x>a|b)c") == ["(?P<x>a|b)c"]


def test_a_pattern_with_flags_or_uneven_groups_is_not_split() -> None:
    assert len(scanners(regex.compile("(?m)^a|b"))) == 1
    assert len(scanners(regex.compile("(?P<n>a)|b"))) == 1
    assert len(scanners(regex.compile("立即|马上"))) == 2


def test_every_rule_scans_the_seed_speeches_as_finditer_does() -> None:
    for path in sorted(SPEECHES.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        for pattern in _scanned_rules():
            want = [m.span() for m in pattern.finditer(text) if m.end() > m.start()]
            assert [m.span() for m in split_finditer(pattern, text)] == want, pattern.pattern


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=ALPHABET, max_size=300))
def test_every_rule_scans_random_text_as_finditer_does(text: str) -> None:
    for pattern in _scanned_rules():
        want = [m.span() for m in pattern.finditer(text) if m.end() > m.start()]
        assert [m.span() for m in split_finditer(pattern, text)] == want, pattern.pattern
