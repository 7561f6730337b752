"""The scheduler: plan sends into the outbox, claim the due ones and deliver them. The database is the
source of truth; APScheduler only triggers passes (its own job store is never shared between instances).

A send is completed in the store only after Slack accepted it. If a worker dies after Slack accepted a
message but before completing, the claim expires and the retry first looks for the message by its
metadata (the send key) in the DM, so it is not posted twice."""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from slack_sdk.errors import SlackApiError

from bot.context import BotContext
from bot.ui import reminders as ui
from bot.ui.limits import cut
from checklists import ledger, outbox
from checklists.digest import weekly_digest
from checklists.models import ChecklistView, ItemView
from checklists.outbox import Send
from checklists.reminders import CHASED, Policy, plan_all
from checklists.services import NotFound

log = logging.getLogger("duban.scheduler")
SEND_META = "duban_send"
LATE = timedelta(minutes=10)
RETRY_BACKOFF = timedelta(seconds=60)


def policy_from(ctx: BotContext) -> Policy:
    s = ctx.settings.scheduler
    return Policy(tz=ctx.settings.app.tz, remind_workdays_before=tuple(s.remind_workdays_before),
                  remind_hour=s.remind_hour, quiet_start=s.quiet_start, quiet_end=s.quiet_end, overdue_cap=s.overdue_cap,
                  feedback_weekday=s.feedback_weekday, feedback_hour=s.feedback_hour,
                  feedback_deadline_weekday=s.feedback_deadline_weekday,
                  feedback_deadline_hour=s.feedback_deadline_hour, digest_weekday=s.digest_weekday,
                  digest_hour=s.digest_hour, supervisor_channel=ctx.settings.slack.supervisor_channel)


class RateLimiter:
    """At most `rate` sends per second across the instance (Slack's rate is then the only bottleneck)."""

    def __init__(self, rate: float, sleep: Callable[[float], None] = time.sleep) -> None:
        self.interval = 1.0 / rate if rate > 0 else 0.0
        self.next = time.monotonic()
        self.sleep = sleep
        self.lock = threading.Lock()

    def wait(self) -> None:
        if not self.interval:
            return
        with self.lock:
            now = time.monotonic()
            if self.next > now:
                self.sleep(self.next - now)
            self.next = max(now, self.next) + self.interval


class Dispatcher:
    def __init__(self, ctx: BotContext, *, worker: str | None = None, rate: float | None = None) -> None:
        self.ctx = ctx
        self.policy = policy_from(ctx)
        self.worker = worker or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self.limiter = RateLimiter(ctx.settings.scheduler.max_sends_per_second if rate is None else rate)
        self.fold_after = timedelta(hours=ctx.settings.scheduler.fold_after_hours)
        self._items: dict[str, tuple[ItemView, ChecklistView]] = {}  # per delivery pass
        self._checklists: dict[str, ChecklistView] = {}

    # ---- planning ----------------------------------------------------------------------------------------
    def plan(self, now: datetime) -> int:
        service = self.ctx.service
        views = []
        for cid, _, _ in service.list_checklists():
            try:
                views.append(service.get(cid))
            except NotFound:
                continue
        return outbox.enqueue(self.ctx.container.store, plan_all(views, now, self.policy))

    # ---- delivery ----------------------------------------------------------------------------------------
    def dispatch(self, now: datetime, *, limit: int = 200) -> int:
        """Claim what is due and deliver it. Returns how many sends were closed (sent, folded or skipped)."""
        if not self.policy.allowed(now):
            return 0  # quiet hours and 休息日: everything waits for the next working morning
        closed = 0
        while batch := outbox.claim(self.ctx.container.store, now, self.worker, limit=limit):
            closed += self._deliver(batch, now)
            if len(batch) < limit:
                break
        return closed

    def tick(self, now: datetime) -> int:
        self.plan(now)
        return self.dispatch(now)

    def _deliver(self, batch: list[Send], now: datetime) -> int:
        self._items, self._checklists = {}, {}
        folded = [s for s in batch if s.kind in ("remind", "escalate") and now - s.due_at > self.fold_after]
        live = [s for s in batch if s not in folded]
        groups: dict[tuple[str, str], list[Send]] = defaultdict(list)
        for send in live:
            # One DM per person for reminders and escalations, one 督办单 per checklist: never a flood.
            if send.kind in ("remind", "escalate"):
                key = (send.kind, send.recipient)
            elif send.kind == "dubandan":
                key = (f"dubandan:{send.checklist_id}", send.recipient)
            else:
                key = (send.key, send.recipient)
            groups[key].append(send)
        done = 0
        if folded:
            done += self._guard(folded, now, lambda: self._fold(folded))
        for sends in groups.values():
            done += self._guard(sends, now, lambda s=sends: self._send_group(s, now))  # type: ignore[misc]
        return done

    def _guard(self, sends: list[Send], now: datetime, work: Callable[[], dict[str, Any]]) -> int:
        store = self.ctx.container.store
        try:
            result = work()
        except SlackApiError as exc:
            status = getattr(exc.response, "status_code", 0)
            retry_after = int((exc.response.headers or {}).get("Retry-After", 0) or 0) if status == 429 else 0
            wait = timedelta(seconds=retry_after) if retry_after else RETRY_BACKOFF
            for s in sends:
                outbox.release(store, s.id, self.worker, retry_at=now + wait, error=str(exc.response.get("error")))
            log.warning("send failed (%s), retry in %ss", exc.response.get("error"), int(wait.total_seconds()))
            return 0
        for s in sends:
            outbox.complete(store, s.id, self.worker, now, result)
        return len(sends)

    # ---- kinds -------------------------------------------------------------------------------------------
    def _send_group(self, sends: list[Send], now: datetime) -> dict[str, Any]:
        kind = sends[0].kind
        handler = {"remind": self._remind, "escalate": self._escalate, "dubandan": self._dubandan,
                   "unassigned": self._unassigned, "feedback": self._feedback, "feedback_due": self._feedback_due,
                   "digest": self._digest, "digest_all": self._digest_all}[kind]
        return handler(sends, now)

    def _post_dm(self, sends: list[Send], user: str, blocks: list[dict[str, Any]], text: str) -> dict[str, Any]:
        """A DM posted to the user id (Slack delivers it in the app's DM); on a retry, first look there."""
        keys = [s.key for s in sends]
        if any(s.attempts > 1 for s in sends):
            channel = self.ctx.client.conversations_open(users=[user])["channel"]["id"]
            if self._already_posted(channel, keys[0]):
                return {"deduplicated": True}
        self.limiter.wait()
        resp = self.ctx.notifier.post(user, blocks, text,
                                      metadata={"event_type": SEND_META, "event_payload": {"key": keys[0]}})
        return {"channel": resp.get("channel"), "ts": resp.get("ts"), "keys": len(keys)}

    def _already_posted(self, channel: str, key: str) -> bool:
        try:
            resp = self.ctx.client.conversations_history(channel=channel, limit=30, include_all_metadata=True)
        except SlackApiError:
            return False
        messages: list[dict[str, Any]] = resp.get("messages", []) or []
        return any((m.get("metadata") or {}).get("event_payload", {}).get("key") == key for m in messages)

    def _item(self, item_id: str | None) -> tuple[ItemView, ChecklistView] | None:
        """The item and its checklist, read once per delivery pass (a checklist may hold thousands)."""
        if not item_id:
            return None
        if item_id not in self._items:
            try:
                checklist_id = self.ctx.service.item(item_id).checklist_id
                if checklist_id not in self._checklists:
                    self._checklists[checklist_id] = self.ctx.service.get(checklist_id)
                cl = self._checklists[checklist_id]
                self._items.update({i.id: (i, cl) for i in cl.items})
            except NotFound:
                return None
        return self._items.get(item_id)

    def _still_due(self, send: Send, item: ItemView) -> date | bool | None:
        """The due date a reminder is about, or False when it no longer applies."""
        if item.status not in CHASED:
            return False
        due = date.fromisoformat(send.payload["due"]) if send.payload.get("due") else None
        if send.payload.get("tag") == "occurrence":
            return False if due in {o.due for o in item.occurrences} else due
        return due if due == item.due else False

    def _remind(self, sends: list[Send], now: datetime) -> dict[str, Any]:
        rows = []
        for s in sends:
            found = self._item(s.item_id)
            due = self._still_due(s, found[0]) if found else False
            if found and due is not False:
                rows.append((found[0], found[1], due if isinstance(due, date) else None))
        if not rows:
            return {"skipped": "no longer due"}
        rows = list({r[0].id: r for r in rows}.values())  # an item once, however many of its sends are due
        blocks, text = ui.reminder_blocks(rows, self._today(now), late=now - min(s.due_at for s in sends) > LATE)
        return self._post_dm(sends, sends[0].recipient, blocks, text)

    def _escalate(self, sends: list[Send], now: datetime) -> dict[str, Any]:
        rows = [f for s in sends if (f := self._item(s.item_id)) and f[0].status in CHASED
                and f[0].colour.value == s.payload.get("colour")]
        if not rows:
            return {"skipped": "colour changed back"}
        blocks, text = ui.escalation_blocks(rows, sends[0].payload.get("colour", "yellow"), self._today(now))
        return self._post_dm(sends, sends[0].recipient, blocks, text)

    def _dubandan(self, sends: list[Send], now: datetime) -> dict[str, Any]:
        rows = [f for s in sends if (f := self._item(s.item_id)) and f[0].colour.value == "red"
                and f[0].status in CHASED]
        if not rows:
            return {"skipped": "no longer overdue"}
        if len(rows) == 1:
            item, cl = rows[0]
            blocks, text = ui.dubandan_blocks(item, cl, self.ctx.service.history(item.id), self._today(now))
        else:
            blocks, text = ui.dubandan_summary_blocks([r[0] for r in rows], rows[0][1], self._today(now))
        target = sends[0].recipient
        if target.startswith(("U", "W")):
            return self._post_dm(sends, target, blocks, text)
        self.limiter.wait()
        resp = self.ctx.notifier.post(target, blocks, text, metadata={"event_type": SEND_META,
                                                                      "event_payload": {"key": sends[0].key}})
        return {"channel": target, "ts": resp.get("ts")}

    def _unassigned(self, sends: list[Send], now: datetime) -> dict[str, Any]:
        if sends[0].due_at.astimezone(self.policy.tz).date() < self._today(now):
            return {"skipped": "a past day's list (today's replaces it)"}
        cl = self.ctx.service.get(sends[0].checklist_id)
        items = [i for i in cl.items if i.status in CHASED and not i.lead_assignees]
        if not items:
            return {"skipped": "all assigned"}
        blocks, text = ui.unassigned_blocks(cl, items)
        return self._post_dm(sends, sends[0].recipient, blocks, text)

    def _feedback(self, sends: list[Send], now: datetime) -> dict[str, Any]:
        s = sends[0]
        rows = [f for i in s.payload.get("items", []) if (f := self._item(i)) and f[0].status in CHASED]
        if not rows:
            return {"skipped": "nothing open"}
        deadline = datetime.fromisoformat(s.payload["deadline"])
        local = deadline.astimezone(self.policy.tz)
        label = f"周{'一二三四五六日'[local.weekday()]} {local:%H:%M}"
        blocks, text = ui.feedback_blocks(rows, label, late=now - s.due_at > LATE)
        result = self._post_dm(sends, s.recipient, blocks, text)
        self.ctx.service.request_reports([r[0].id for r in rows], due_at=deadline)
        return result

    def _feedback_due(self, sends: list[Send], now: datetime) -> dict[str, Any]:
        cl = self.ctx.service.get(sends[0].checklist_id)
        missing = [i for i in cl.items if i.report_missing and i.status in CHASED]
        if not missing:
            return {"skipped": "all reported"}
        self.ctx.notifier.refresh_checklist(cl.id, self._today(now))  # the late items turn 🟡 in place
        blocks, text = ui.missing_reports_blocks(cl, missing)
        target = self.policy.supervisor_channel or (cl.supervisors[0] if cl.supervisors else cl.owner)
        if target.startswith(("U", "W")):
            return self._post_dm(sends, target, blocks, text)
        self.limiter.wait()
        return {"ts": self.ctx.notifier.post(target, blocks, text).get("ts")}

    def _digest(self, sends: list[Send], now: datetime) -> dict[str, Any]:
        cl = self.ctx.service.get(sends[0].checklist_id)
        today = self._today(now)
        digest = weekly_digest(self.ctx.service, cl, now, today)
        name = f"台账_{cut(cl.title, 20)}_{today:%m%d}.xlsx"
        blocks, text = ui.digest_blocks(digest, name)
        self.limiter.wait()
        resp = self.ctx.notifier.post(cl.channel, blocks, text, thread_ts=cl.header_ts,
                                      metadata={"event_type": SEND_META, "event_payload": {"key": sends[0].key}})
        self.ctx.notifier.upload_file(cl.channel, ledger.to_xlsx(cl, now.astimezone(self.policy.tz)), name,
                                      ledger.title_of(cl), thread_ts=cl.header_ts)
        return {"ts": resp.get("ts")}

    def _digest_all(self, sends: list[Send], now: datetime) -> dict[str, Any]:
        """One line per checklist for the 督办 channel: the week at a glance across all of them."""
        today = self._today(now)
        rows = []
        for cid, _, _ in self.ctx.service.list_checklists():
            cl = self.ctx.service.get(cid)
            d = weekly_digest(self.ctx.service, cl, now, today)
            rows.append((cl, d))
        if not rows:
            return {"skipped": "no checklists"}
        blocks, text = ui.cross_digest_blocks(rows, rows[0][1].period)
        self.limiter.wait()
        resp = self.ctx.notifier.post(sends[0].recipient, blocks, text,
                                      metadata={"event_type": SEND_META, "event_payload": {"key": sends[0].key}})
        return {"ts": resp.get("ts")}

    def _fold(self, sends: list[Send]) -> dict[str, Any]:
        """After a long outage: one summary per person instead of a flood of stale reminders."""
        by_user: dict[str, list[Send]] = defaultdict(list)
        for s in sends:
            by_user[s.recipient].append(s)
        for user, mine in by_user.items():
            texts = [f[0].text for s in mine if (f := self._item(s.item_id)) and f[0].status in CHASED]
            if texts:
                blocks, text = ui.folded_blocks(len(texts), list(dict.fromkeys(texts)))  # count sends, list items
                self._post_dm(mine, user, blocks, text)
        return {"folded": len(sends)}

    def _today(self, now: datetime) -> date:
        return now.astimezone(self.policy.tz).date()


def start_scheduler(ctx: BotContext) -> BackgroundScheduler:
    """In-process triggers: a short interval for delivery, a cron for planning, in the configured zone."""
    dispatcher = Dispatcher(ctx)
    tz = ctx.settings.app.tz
    scheduler = BackgroundScheduler(timezone=tz, job_defaults={"coalesce": True, "max_instances": 1})

    def plan() -> None:
        try:
            dispatcher.plan(ctx.container.clock())
        except Exception:
            log.exception("planning pass failed")

    def deliver() -> None:
        try:
            dispatcher.dispatch(ctx.container.clock())
        except Exception:
            log.exception("delivery pass failed")

    scheduler.add_job(plan, CronTrigger(minute="*/15", timezone=tz), id="plan", next_run_time=datetime.now(tz))
    scheduler.add_job(deliver, IntervalTrigger(seconds=ctx.settings.scheduler.tick_seconds, timezone=tz), id="deliver")
    scheduler.start()
    return scheduler


__all__ = ["Dispatcher", "start_scheduler"]
