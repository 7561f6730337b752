"""Hostile input: no crash, no catastrophic backtracking (every whole-text pattern runs with the regex
module's timeout, every per-clause pattern on a length-capped clause), offsets always exact."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractors import extract

ALPHABET = st.sampled_from(list(
    "要必须确保不得严禁各部门局委办中心立即每日周月底前内XＸ×*小时天年,。;:、()“”\n 的了已是"
    "一二三四五六七八九十是1234567890abcXYZ?lián"))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(ALPHABET, max_size=400))
def test_random_text_never_breaks(text: str) -> None:
    ex = extract(text)
    for item in ex.items:
        assert ex.text[item.start: item.end] == item.quote
        assert item.quote.strip()


@settings(max_examples=30, deadline=None)
@given(st.sampled_from(["要", "各", "(", "X", "每", ",", "的", "了"]), st.integers(1000, 20000))
def test_long_runs_of_one_character(ch: str, n: int) -> None:
    extract("各部门要" + ch * n + "。")
