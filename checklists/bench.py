"""`duban bench store`: write, load, claim and export figures, medians, each beside a plain baseline."""

from __future__ import annotations

import csv
import io
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import insert, text

from checklists import ledger, outbox
from checklists.orm import ChecklistRow, ItemRow, SendRow
from checklists.services import ChecklistService
from checklists.store import Store, make_engine, upgrade
from extractors.bench import median_seconds
from extractors.models import Deadline, Extraction, Item, Party

NOW = datetime(2024, 5, 13, 2, tzinfo=UTC)


def _median_ms(fn: Callable[[], object], repeats: int) -> float:
    return median_seconds(fn, repeats) * 1000


def synthetic_extraction(n: int) -> Extraction:
    items = tuple(Item(id=str(i), text=f"第{i}项:要加强疫情防控督导检查", quote=f"要加强疫情防控督导检查{i}",
                       start=0, end=1, section="一、压实责任", responsible=(Party(name=f"区局{i % 7}", role="owner"),),
                       deadline=Deadline(kind="by", text="6月底前", due=date(2024, 6, 30)))
                  for i in range(n))
    return Extraction(title="基准测试会议", meeting_date=date(2024, 5, 13), items=items)


@contextmanager
def pg_schema(url: str) -> Iterator[Store]:
    import psycopg

    raw = url.replace("postgresql+psycopg://", "postgresql://")
    schema = f"duban_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(raw, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    sep = "&" if "?" in url else "?"
    engine = make_engine(f"{url}{sep}options=-csearch_path%3D{schema}")
    try:
        upgrade(engine)
        yield Store(engine)
    finally:
        engine.dispose()
        with psycopg.connect(raw, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


def bench_write(lines: list[str], repeats: int) -> None:
    ex = synthetic_extraction(200)
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'bench.db'}")
        upgrade(engine)
        store = Store(engine)
        service = ChecklistService(store, lambda: NOW, ZoneInfo("Asia/Shanghai"))
        ours = _median_ms(lambda: service.create_from_extraction(ex, owner="U1"), repeats)

        def baseline() -> None:  # one executemany of bare rows: the least any store could do
            cid = uuid.uuid4().hex
            with store.session() as s:
                s.execute(insert(ChecklistRow), [{"id": cid, "title": "t", "source_hash": "", "created_at": NOW}])
                s.execute(insert(ItemRow), [{"id": uuid.uuid4().hex, "checklist_id": cid, "seq": i, "text": "t",
                                             "created_at": NOW, "updated_at": NOW} for i in range(200)])

        base = _median_ms(baseline, repeats)
        engine.dispose()
    lines.append(f"写入  200 项清单(SQLite)        {ours:8.1f} ms   基线(裸插入){base:7.1f} ms   目标 ≤ 100 ms")


def bench_export(lines: list[str], repeats: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'bench.db'}")
        upgrade(engine)
        service = ChecklistService(Store(engine), lambda: NOW, ZoneInfo("Asia/Shanghai"))
        view = service.create_from_extraction(synthetic_extraction(1000), owner="U1")
        ours = _median_ms(lambda: ledger.to_xlsx(view, NOW), repeats)

        def baseline() -> None:
            csv.writer(io.StringIO()).writerows(ledger.rows(view))

        base = _median_ms(baseline, repeats)
        engine.dispose()
    lines.append(f"导出  1,000 项台账 xlsx           {ours:8.1f} ms   基线(CSV)   {base:7.1f} ms   目标 ≤ 2000 ms")


def bench_load(lines: list[str], url: str, repeats: int) -> None:
    with pg_schema(url) as store:
        t0 = time.perf_counter()
        with store.session() as s:
            s.execute(insert(ChecklistRow), [{"id": f"c{c:04d}", "title": "t", "source_hash": "", "created_at": NOW}
                                             for c in range(1000)])
            rows = [{"id": f"i{i:06d}", "checklist_id": f"c{i % 1000:04d}", "seq": i // 1000, "text": "t",
                     "status": "in_progress", "due": date(2024, 5, 1) + timedelta(days=i % 200),
                     "created_at": NOW, "updated_at": NOW} for i in range(100_000)]
            s.execute(insert(ItemRow), rows)
            sends = [{"key": f"i{i:06d}:remind", "kind": "remind", "checklist_id": f"c{i % 1000:04d}",
                      "item_id": f"i{i:06d}", "due_at": NOW + timedelta(minutes=1 + i % 20_000), "state": "pending",
                      "claimed_by": "", "attempts": 0, "payload": {}, "result": {}} for i in range(100_000)]
            s.execute(insert(SendRow), sends)
        with store.engine.begin() as conn:
            conn.execute(text("ANALYZE"))
        loaded = time.perf_counter() - t0
        query = _median_ms(lambda: outbox.pending_due_within(store, NOW, timedelta(hours=1)), repeats * 4)
        with store.engine.connect() as conn:
            plan = " ".join(r[0] for r in conn.execute(text(
                "EXPLAIN SELECT count(*) FROM sends WHERE state = 'pending' AND due_at <= :t"),
                {"t": NOW + timedelta(hours=1)}))
        uses_index = "ix_sends_pending_due" in plan

        def scan() -> None:  # baseline: the same count with the index ignored
            with store.engine.begin() as conn:
                conn.execute(text("SET LOCAL enable_indexscan = off; SET LOCAL enable_bitmapscan = off;"
                                  " SET LOCAL enable_indexonlyscan = off"))
                conn.execute(text("SELECT count(*) FROM sends WHERE state = 'pending' AND due_at <= :t"),
                             {"t": NOW + timedelta(hours=1)})

        base = _median_ms(scan, repeats * 4)
        lines.append(f"装载  10 万项/1,000 份清单(PG)    {loaded:8.1f} s")
        lines.append(f"查询  1 小时内到期(PG,{'走索引' if uses_index else '未走索引'})    {query:8.2f} ms   "
                     f"基线(全表扫描){base:6.2f} ms   目标 ≤ 10 ms")
        bench_claim(lines, store)


def bench_claim(lines: list[str], store: Store) -> None:
    with store.session() as s:
        s.execute(text("UPDATE sends SET due_at = :t WHERE id IN (SELECT id FROM sends ORDER BY id LIMIT 10000)"),
                  {"t": NOW - timedelta(minutes=1)})
    got: list[str] = []
    lock = threading.Lock()

    def work(name: str) -> None:
        while batch := outbox.claim(store, NOW, name, limit=200):
            for send in batch:
                outbox.complete(store, send.id, name, NOW)
            with lock:
                got.extend(s.key for s in batch)

    t0 = time.perf_counter()
    threads = [threading.Thread(target=work, args=(f"w{i}",)) for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    took = time.perf_counter() - t0
    dupes = sum(c > 1 for c in Counter(got).values())
    missing = 10_000 - len(set(got))
    lines.append(f"认领  1 万条到期提醒,3 个并发 worker  {took:6.2f} s({10_000 / took:,.0f} 条/秒,逐条确认)  "
                 f"重复 {dupes} · 遗漏 {missing}")


def run_store_bench(*, pg_url: str | None, repeats: int = 5) -> str:
    lines = [f"duban bench store(中位数,重复 {repeats} 次)"]
    bench_write(lines, repeats)
    bench_export(lines, max(1, repeats // 2))
    if pg_url:
        bench_load(lines, pg_url, repeats)
    else:
        lines.append("PostgreSQL 部分已跳过:未提供 --pg-url / DUBAN_DATABASE__URL 不是 PostgreSQL")
    return "\n".join(lines)
