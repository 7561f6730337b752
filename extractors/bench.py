"""`duban bench`: extraction throughput against a naive baseline, medians over repeated runs."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from functools import partial
from importlib import resources

import regex

from extractors.clean import _t2s, strip_pinyin
from extractors.pipeline import extract

NAIVE_SENTENCE = regex.compile(r"[^。!?;\n]+")
NAIVE_MODAL = regex.compile(r"要|必须|务必|确保|不得|严禁")
NAIVE_PARTY = regex.compile(r"[\p{Han}]{2,10}?(?:部门|单位|机构|局|委|办|中心)")
NAIVE_DEADLINE = regex.compile(r"\d+(?:小时|天|日|个?月)内|年底前|立即|尽快|每(?:日|天|周|月)")


def naive_extract(text: str) -> list[tuple[str, str | None, str | None]]:
    """The cheapest thing that could work: OpenCC, a pinyin strip, a sentence split and one modal,
    one party and one deadline regex per candidate sentence."""
    text, _ = strip_pinyin(text)
    text = _t2s().convert(text)
    out = []
    for m in NAIVE_SENTENCE.finditer(text):
        s = m.group(0)
        if NAIVE_MODAL.search(s):
            party, due = NAIVE_PARTY.search(s), NAIVE_DEADLINE.search(s)
            out.append((s, party.group(0) if party else None, due.group(0) if due else None))
    return out


def seconds(fn: Callable[[], object]) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def median_seconds(fn: Callable[[], object], repeats: int) -> float:
    """The median wall time of `repeats` runs (every `duban bench` figure is a median)."""
    return statistics.median(seconds(fn) for _ in range(repeats))


def paired_medians(ours: Callable[[], object], baseline: Callable[[], object], repeats: int) -> tuple[float, float]:
    """Median wall times of two functions run in turns, so that both see the same machine: on a shared
    virtual machine speed drifts by half from one minute to the next, and the ratio must not."""
    pairs = [(seconds(ours), seconds(baseline)) for _ in range(repeats)]
    return statistics.median(a for a, _ in pairs), statistics.median(b for _, b in pairs)


def sample_speech() -> str:
    return resources.files("extractors").joinpath("examples", "epidemic_meeting_2022.txt").read_text("utf-8")


def build_input(n_chars: int) -> str:
    # Concatenate the cleaned speech so that site junk (a "推荐访问" tail) does not cut the input short.
    unit = extract(sample_speech()).text + "\n"
    return (unit * (n_chars // len(unit) + 1))[:n_chars]


def cold_start_seconds(repeats: int = 3) -> float:
    cmd = [sys.executable, "-c", "import sys; from bot.cli import main; sys.exit(main(sys.argv[1:]))",
           "extract", "-", "--format", "json"]
    data = sample_speech().encode()
    return median_seconds(lambda: subprocess.run(cmd, input=data, capture_output=True, check=False), repeats)


def run_bench(*, repeats: int = 5, max_mb: float = 5.0) -> str:
    sizes = [("10k 字讲话", 10_000), ("100 kB", 100_000 // 3), ("1 MB", 1_000_000 // 3),
             ("5 MB", 5_000_000 // 3)]
    sizes = [(label, n) for label, n in sizes if n * 3 <= max_mb * 1_000_000 + 1]
    extract(sample_speech())  # warm the lexicon and OpenCC: the targets are "after import"
    lines = [f"duban bench · 提取性能(中位数,重复 {repeats} 次,10k 字为 {repeats * 4} 次;与基线交替运行)",
             f"{'输入':<10}{'字符数':>10}{'提取 ms':>11}{'字符/秒':>13}{'基线 ms':>10}{'基线 字符/秒':>14}{'倍数':>7}"]
    raw = sample_speech()  # the bundled scraped page as it is: junk, pinyin-free Simplified, 8k characters of speech
    real = median_seconds(partial(extract, raw), repeats * 3)
    lines.append(f"{'实际讲话':<8}{len(raw):>10,}{real * 1000:>11.1f}{len(raw) / real:>13,.0f}"
                 f"{median_seconds(partial(naive_extract, raw), repeats * 3) * 1000:>10.1f}"
                 f"{'':>14}{'':>7}  (抓取原文,含网页杂质)")
    rates = []
    for label, n in sizes:
        text = build_input(n)
        reps = repeats * 4 if n <= 20_000 else repeats if n <= 400_000 else max(1, repeats // 2)
        ours, base = paired_medians(partial(extract, text), partial(naive_extract, text), reps)
        rates.append(len(text) / ours)
        lines.append(f"{label:<10}{len(text):>10,}{ours * 1000:>11.1f}{len(text) / ours:>13,.0f}"
                     f"{base * 1000:>10.1f}{len(text) / base:>14,.0f}{ours / base:>7.1f}x")
    if len(rates) > 1:
        lines.append(f"线性度:最大输入与最小输入的吞吐之比 {rates[-1] / rates[0]:.2f}(接近 1 即线性)")
    lines.append(f"冷启动 `duban extract`:{cold_start_seconds():.2f} s(中位数)")
    return "\n".join(lines)
