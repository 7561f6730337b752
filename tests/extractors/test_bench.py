"""`duban bench`: the figures are produced end to end (their size is measured, not asserted)."""

from __future__ import annotations

from extractors.bench import build_input, naive_extract, paired_medians, run_bench


def test_bench_reports_each_size_against_the_baseline() -> None:
    out = run_bench(repeats=1, max_mb=0.2)
    lines = out.splitlines()
    assert lines[0].startswith("duban bench")
    assert any(line.startswith("10k 字讲话") and line.endswith("x") for line in lines)
    assert any(line.startswith("100 kB") for line in lines)
    assert any(line.startswith("线性度") for line in lines)
    assert lines[-1].startswith("冷启动")


def test_inputs_have_the_asked_size_and_the_baseline_finds_directives() -> None:
    text = build_input(10_000)
    assert len(text) == 10_000
    found = naive_extract(text)
    assert found and all(sentence for sentence, _, _ in found)


def test_paired_medians_times_both_functions() -> None:
    calls: list[str] = []
    ours, base = paired_medians(lambda: calls.append("a"), lambda: calls.append("b"), 3)
    assert calls == ["a", "b"] * 3
    assert ours >= 0 and base >= 0
