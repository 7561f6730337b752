"""Lexicon integrity: every pattern compiles, names are unique, and every rule is exercised by the
spec tables or the seed corpus (data and code must not drift apart)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import regex
import yaml

from extractors.clean import clean, normalise_width, strip_pinyin, to_simplified
from extractors.rules import lexicon
from tests.conftest import SPEECHES

SPEC = Path(__file__).parent / "spec"


def _spec_texts() -> list[str]:
    texts: list[str] = []
    for path in SPEC.glob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        cases = data.values() if isinstance(data, dict) else data
        for case in cases:
            if isinstance(case, str):
                texts.append(case)
            else:
                texts += [str(case[k]) for k in ("input", "text") if k in case]
    return texts


def test_names_are_unique() -> None:
    names = Counter(r.name for r in lexicon().all_rules())
    assert [n for n, c in names.items() if c > 1] == []


def test_every_rule_is_exercised() -> None:
    raw = _spec_texts() + [p.read_text(encoding="utf-8") for p in SPEECHES.glob("*.txt")]
    simplified = [to_simplified(strip_pinyin(normalise_width(t))[0])[0] for t in raw]
    cleaned = [clean(t).text for t in raw]
    pieces = [p for t in cleaned for p in regex.split(r"[,;。\n]", t) if p]
    lex = lexicon()
    junk = set(lex.junk_line + lex.junk_span + lex.junk_tail)
    unused = []
    for rule in lex.all_rules():
        pool = simplified if rule in junk else cleaned + pieces
        if not any(rule.pattern.search(t) for t in pool):
            unused.append(rule.name)
    assert unused == []
