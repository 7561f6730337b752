"""The measured targets on the seed corpus (same metric as the shared score.py)."""

from __future__ import annotations

import re

from extractors.evaluate import evaluate_corpus
from tests.conftest import DATA


def test_seed_corpus_meets_targets() -> None:
    line = evaluate_corpus(DATA / "gold_seeds.json", DATA / "speeches")
    values = dict(re.findall(r"(\w+) ([0-9.]+)", line))
    assert float(values["task_recall"]) >= 0.95, line
    assert float(values["party_acc"]) >= 0.90, line
    assert float(values["deadline_acc"]) >= 0.95, line
    assert "false_hits 0/" in line and "duplicates 0/" in line, line
