"""Two people ticking the same item at once, and workers claiming the same reminders, on PostgreSQL
for real (and SQLite for the single-process contract)."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from checklists import outbox
from checklists.services import Change, ChecklistService, ConflictError
from checklists.status import Action
from checklists.store import Store
from tests.checklists.helpers import TOWN, by_text, make_checklist


def test_concurrent_updates_lose_nothing(service: ChecklistService) -> None:
    item = by_text(make_checklist(service), "摸底排查")
    service.act(item.id, Action.ACKNOWLEDGE, TOWN)
    barrier = threading.Barrier(2)
    results: list[str] = []

    def report(percent: int) -> None:
        barrier.wait()
        try:
            service.act(item.id, Action.PROGRESS, TOWN, Change(percent=percent))
            results.append(f"ok{percent}")
        except ConflictError:
            results.append("conflict")

    threads = [threading.Thread(target=report, args=(p,)) for p in (30, 70)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    final = service.item(item.id)
    events = [e for e in service.history(item.id) if e.action == "progress"]
    # Either both went through one after the other, or one lost and was told: never a silent overwrite.
    assert len(events) == sum(r.startswith("ok") for r in results)
    assert final.progress == events[-1].data["percent"]["to"]
    assert final.version == 2 + len(events)


def _planned(n: int, now: datetime) -> list[outbox.Planned]:
    return [outbox.Planned(key=f"item{i}:2024-05-13:remind", kind="remind", checklist_id="c1", item_id=f"item{i}",
                           due_at=now - timedelta(seconds=i)) for i in range(n)]


def test_enqueue_is_idempotent(store: Store) -> None:
    now = datetime(2024, 5, 13, 1, tzinfo=UTC)
    assert outbox.enqueue(store, _planned(50, now)) == 50
    assert outbox.enqueue(store, _planned(60, now)) == 10
    assert outbox.counts(store) == {"pending": 60}


def test_claims_expire_and_retry(store: Store) -> None:
    now = datetime(2024, 5, 13, 1, tzinfo=UTC)
    outbox.enqueue(store, _planned(3, now))
    first = outbox.claim(store, now, "w1")
    assert len(first) == 3 and outbox.claim(store, now, "w2") == []
    outbox.release(store, first[0].id, "w1", retry_at=now + timedelta(seconds=30), error="ratelimited")
    assert outbox.complete(store, first[1].id, "w1", now)
    assert outbox.claim(store, now + timedelta(seconds=31), "w2")[0].key == first[0].key
    # w1 died holding first[2]: after the TTL another worker gets it; w1's late completion is refused
    later = outbox.claim(store, now + outbox.CLAIM_TTL + timedelta(seconds=1), "w3")
    assert [s.key for s in later] == [first[2].key]
    assert not outbox.complete(store, first[2].id, "w1", now)
    assert outbox.complete(store, first[2].id, "w3", now)


@pytest.mark.parametrize("workers", [3])
def test_workers_claim_each_send_exactly_once(store: Store, workers: int) -> None:
    now = datetime(2024, 5, 13, 1, tzinfo=UTC)
    total = 1500
    outbox.enqueue(store, _planned(total, now))
    got: list[str] = []
    lock = threading.Lock()

    def work(name: str) -> None:
        while batch := outbox.claim(store, now, name, limit=50):
            for send in batch:
                assert outbox.complete(store, send.id, name, now)
            with lock:
                got.extend(s.key for s in batch)

    threads = [threading.Thread(target=work, args=(f"w{i}",)) for i in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    dupes = [k for k, c in Counter(got).items() if c > 1]
    assert dupes == [] and len(got) == total
    assert outbox.counts(store) == {"sent": total}
