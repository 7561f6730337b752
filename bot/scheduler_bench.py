"""`duban bench scheduler`: on PostgreSQL with 100k open items, what an idle tick costs, and how 10k due
reminders drain through a fake Slack at the configured rate, each beside a plain baseline."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import insert, text

from checklists.bench import pg_schema
from checklists.orm import ChecklistRow, DirectoryRow, ItemRow, PartyRow, SendRow
from checklists.store import Store
from extractors.bench import median_seconds

NOW = datetime(2024, 5, 15, 1, 30, tzinfo=UTC)  # Wednesday 09:30 in Shanghai: working hours


def _median_ms(fn: Callable[[], object], repeats: int) -> float:
    return median_seconds(fn, repeats) * 1000


def _load(store: Store, n_items: int, n_checklists: int, recipients: int) -> None:
    per = n_items // n_checklists
    with store.session() as s:
        s.execute(insert(ChecklistRow), [{"id": f"c{c:04d}", "title": f"清单{c}", "source_hash": "", "created_at": NOW,
                                          "channel": "C1", "header_ts": "1.1", "owner": "UOWNER"}
                                         for c in range(n_checklists)])
        s.execute(insert(DirectoryRow), [{"key": f"单位{u}", "name": f"单位{u}", "slack_ids": [f"U{u:05d}"],
                                          "aliases": [], "updated_at": NOW} for u in range(recipients)])
        s.execute(insert(ItemRow), [{"id": f"i{i:06d}", "checklist_id": f"c{i // per:04d}", "seq": i % per,
                                     "text": f"第{i}项要加强督导检查", "status": "in_progress", "due": date(2024, 6, 30),
                                     "created_at": NOW - timedelta(days=2), "updated_at": NOW,
                                     "reported_at": NOW - timedelta(days=1)} for i in range(n_items)])
        s.execute(insert(PartyRow), [{"item_id": f"i{i:06d}", "name": f"单位{i % recipients}", "role": "lead"}
                                     for i in range(n_items)])
    with store.engine.begin() as conn:
        conn.execute(text("ANALYZE"))


def _enqueue_due(store: Store, count: int, recipients: int) -> None:
    with store.session() as s:
        s.execute(insert(SendRow), [{"key": f"remind:i{i:06d}:2024-06-30:pre3:U{i % recipients:05d}", "kind": "remind",
                                     "checklist_id": f"c{i // 100:04d}", "item_id": f"i{i:06d}",
                                     "recipient": f"U{i % recipients:05d}", "due_at": NOW - timedelta(minutes=5),
                                     "state": "pending", "claimed_by": "", "attempts": 0,
                                     "payload": {"tag": "pre3", "due": "2024-06-30"}, "result": {}}
                                    for i in range(count)])


def run_scheduler_bench(*, pg_url: str | None, repeats: int = 5, rate: float = 100.0, due: int = 10_000,
                        items: int = 100_000) -> str:
    import json
    import os
    import subprocess
    import sys
    import urllib.request

    from bot.app import build_app
    from bot.bootstrap import bootstrap
    from bot.scheduler import Dispatcher
    from bot.settings import DatabaseSettings, SchedulerSettings, Secrets, Settings, SlackSettings

    url = pg_url or os.environ.get("DUBAN_DATABASE__URL", "")
    if not url.startswith("postgresql"):
        return "duban bench scheduler 需要 PostgreSQL:--pg-url postgresql+psycopg://postgres@127.0.0.1:5432/test"
    lines = [f"duban bench scheduler(PostgreSQL,{items:,} 个未办结事项,中位数)"]
    # The fake Slack runs in its own process, as Slack would: it must not share this process's GIL.
    proc = subprocess.Popen([sys.executable, "-m", "bot.fake_slack"], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    api = f"http://127.0.0.1:{proc.stdout.readline().strip()}"
    try:
        with pg_schema(url) as store:
            recipients = due  # every reminder goes to its own person: no batching flatters the rate
            _load(store, items, items // 100, recipients)
            schema_url = str(store.engine.url.render_as_string(hide_password=False))
            settings = Settings(database=DatabaseSettings(url=schema_url),
                                slack=SlackSettings(api_base_url=f"{api}/api/", post_interval_seconds=0),
                                scheduler=SchedulerSettings(enabled=False, max_sends_per_second=rate))
            container = bootstrap(settings, clock=lambda: NOW)
            _, ctx = build_app(container, Secrets(bot_token="xoxb-bench"))  # type: ignore[arg-type]
            dispatcher = Dispatcher(ctx, worker="bench")
            idle = _median_ms(lambda: dispatcher.dispatch(NOW), repeats * 10)

            def baseline() -> None:
                with store.engine.connect() as conn:
                    conn.execute(text("SELECT 1"))

            base = _median_ms(baseline, repeats * 10)
            lines.append(f"空闲 tick(无到期提醒)       {idle:7.2f} ms   基线(SELECT 1 往返){base:6.2f} ms   目标 ≤ 5 ms")
            _enqueue_due(store, due, recipients)
            workers = [Dispatcher(ctx, worker=f"bench{i}") for i in range(4)]
            shared = workers[0].limiter
            for w in workers:
                w.limiter = shared  # one instance, one Slack budget
            t0 = time.perf_counter()
            threads = [threading.Thread(target=w.dispatch, args=(NOW,), kwargs={"limit": 100}) for w in workers]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            took = time.perf_counter() - t0
            with urllib.request.urlopen(f"{api}/_stats") as resp:
                sent = json.loads(resp.read()).get("chat.postMessage", 0)
            ideal = due / rate
            lines.append(f"排空 {due:,} 条到期提醒(限速 {rate:g} 条/秒) {took:7.1f} s   理想(仅受 Slack 限速){ideal:6.1f} s"
                         f"   效率 {ideal / took:.0%}   已发送 {sent:,}")
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    return "\n".join(lines)
