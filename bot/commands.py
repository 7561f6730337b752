"""Operator subcommands: the whole checklist lifecycle without Slack, on SQLite or DUBAN_DATABASE__URL."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from checklists.status import Action

Sub = Any  # argparse's private _SubParsersAction


def load_settings() -> Any:
    from bot.settings import load_settings as load  # pydantic-settings is slow to import: only when needed

    return load()


def _container(check_schema: bool = True) -> Any:
    from bot.bootstrap import bootstrap

    return bootstrap(load_settings(), check_schema=check_schema)


def _guard(fn: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Turn domain refusals into one line on stderr and a non-zero exit, never a traceback."""

    def run(args: argparse.Namespace) -> int:
        from checklists.services import ConflictError, NotFound
        from checklists.status import TransitionError
        from checklists.store import NotMigrated
        from extractors.intake import IntakeError

        try:
            return fn(args)
        except (NotFound, ConflictError, TransitionError, NotMigrated) as exc:
            print(f"错误:{exc}", file=sys.stderr)
            return 2
        except IntakeError as exc:
            print(f"错误:{exc.message}", file=sys.stderr)
            return 2

    return run


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    from checklists.store import make_engine, upgrade

    settings = load_settings()
    rev = upgrade(make_engine(settings.database.url))
    print(f"数据库已升级到 {rev} / database at revision {rev}")
    return 0


def cmd_checklist_create(args: argparse.Namespace) -> int:
    from bot.cli import _read_input
    from extractors import extract

    c = _container()
    text = _read_input(args.file, int(c.settings.slack.max_upload_mb * 1024 * 1024))
    ex = extract(text, meeting_date=args.meeting_date)
    if not ex.items:
        print("错误:未识别到督办事项 / no directives found", file=sys.stderr)
        return 3
    view = c.service.create_from_extraction(ex, owner=args.owner, channel=args.channel or "",
                                            supervisors=args.supervisor or [], source_raw=text)
    missing = c.service.unmatched(view.id)
    print(f"已创建《{view.title}》:{len(view.items)} 项" + (f";未关联责任单位 {len(missing)} 个" if missing else ""))
    print(view.id)
    return 0


def cmd_checklist_list(args: argparse.Namespace) -> int:
    c = _container()
    for cid, title, created in c.service.list_checklists():
        print(f"{cid}  {created:%Y-%m-%d}  {title}")
    return 0


def cmd_checklist_show(args: argparse.Namespace) -> int:
    c = _container()
    view = c.service.find(args.id)
    counts = view.counts()
    print(f"📋 {view.title}" + (f"({view.meeting_date})" if view.meeting_date else ""))
    print(f"共 {len(view.items)} 项  ✅ {counts['done']}  ⚪ {counts['normal']}  🔵 {counts['blue']}  "
          f"🟡 {counts['yellow']}  🔴 {counts['red']}")
    for item in view.items:
        parties = "、".join(p.name + ("" if p.slack_ids else "(未关联)") for p in item.parties) or "—"
        print(f"{item.colour.emoji} {item.seq:>3} [{item.status.label}] {item.text}")
        print(f"       责任:{parties} · 时限:{item.deadline_label} · 进度 {item.progress}% · id {item.id}")
    missing = c.service.unmatched(view.id)
    if missing:
        print("未关联的责任单位:" + "、".join(missing))
    return 0


def cmd_item_set_status(args: argparse.Namespace) -> int:
    from checklists.services import Actor, Change

    c = _container()
    item_id = _resolve_item(c, args.item)
    change = Change(percent=args.percent, comment=args.comment or "", reason=args.reason or "",
                    evidence=args.evidence or "", due=args.due,
                    parties=[tuple(p.split(":", 1)) if ":" in p else (p, "owner") for p in args.party]
                    if args.party else None)
    view = c.service.act(item_id, Action(args.action), Actor(args.actor), change)
    print(f"{view.colour.emoji} {view.text} → {view.status.label}(版本 {view.version})")
    return 0


def _resolve_item(c: Any, ref: str) -> str:
    """An item id, or CHECKLIST:SEQ as printed by `checklist show`."""
    if ":" in ref:
        cid, seq = ref.split(":", 1)
        view = c.service.find(cid)
        for item in view.items:
            if str(item.seq) == seq:
                return str(item.id)
        from checklists.services import NotFound

        raise NotFound(f"清单中没有第 {seq} 项")
    return ref


def cmd_export(args: argparse.Namespace) -> int:
    from checklists import ledger

    c = _container()
    view = c.service.find(args.id)
    if args.format == "xlsx":
        data = ledger.to_xlsx(view, c.clock().astimezone(c.settings.app.tz))
        out = Path(args.output or f"台账_{view.title[:20]}.xlsx")
        out.write_bytes(data)
        print(f"已导出 {out}")
    else:
        text = ledger.to_csv(view) if args.format == "csv" else ledger.to_markdown(view)
        if args.output:
            Path(args.output).write_text(text, encoding="utf-8")
            print(f"已导出 {args.output}")
        else:
            print(text)
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from checklists import ledger
    from checklists.services import Actor

    c = _container()
    view = c.service.find(args.id)
    report = ledger.import_xlsx(c.service, view.id, Path(args.file), Actor(args.actor))
    print(report.summary())
    return 0 if not report.conflicts else 4


def cmd_directory_import(args: argparse.Namespace) -> int:
    from checklists.services import Actor

    c = _container()
    mapping = json.loads(Path(args.file).read_text(encoding="utf-8"))
    for name, ids in mapping.items():
        c.service.set_directory(name, ids if isinstance(ids, list) else [ids], Actor(args.actor))
    print(f"已导入 {len(mapping)} 个责任单位")
    return 0


def cmd_directory_set(args: argparse.Namespace) -> int:
    from checklists.services import Actor

    c = _container()
    c.service.set_directory(args.name, args.slack_id, Actor(args.actor), aliases=args.alias or [])
    print(f"{args.name} → {' '.join(args.slack_id)}")
    return 0


def cmd_directory_list(args: argparse.Namespace) -> int:
    c = _container()
    for name, ids, aliases in c.service.directory_entries():
        print(f"{name}\t{' '.join(ids)}" + (f"\t(别名:{'、'.join(aliases)})" if aliases else ""))
    return 0


def cmd_tick(args: argparse.Namespace) -> int:
    """One scheduler pass at the given time, against the configured store and Slack."""
    import os
    from datetime import datetime

    from bot.app import build_app
    from bot.bootstrap import bootstrap, system_clock
    from bot.scheduler import Dispatcher
    from bot.settings import Secrets

    settings = load_settings()
    secrets = Secrets.from_env()
    if not secrets.bot_token:
        print("错误:缺少 SLACK_BOT_TOKEN 环境变量 / SLACK_BOT_TOKEN is not set", file=sys.stderr)
        return 2
    now = datetime.fromisoformat(args.now) if args.now else system_clock()
    if now.tzinfo is None:
        now = now.replace(tzinfo=settings.app.tz)
    # The whole pass sees `now`: colours, 序时进度 and "today" are computed at the given time too.
    c = bootstrap(settings, clock=lambda: now)
    _, ctx = build_app(c, secrets)
    dispatcher = Dispatcher(ctx, worker=args.worker or f"tick-{os.getpid()}")
    planned = dispatcher.plan(now)
    sent = dispatcher.dispatch(now)
    print(f"{now.isoformat()}:新计划 {planned} 条,发送/结清 {sent} 条")
    return 0


def cmd_digest(args: argparse.Namespace) -> int:

    from checklists.digest import digest_lines, weekly_digest

    c = _container()
    view = c.service.find(args.id)
    now = c.clock()
    today = now.astimezone(c.settings.app.tz).date()
    digest = weekly_digest(c.service, view, now, today)
    print("\n".join(digest_lines(digest, mention=False)))
    if not args.dry_run:
        print("(仅预览:周报由调度器在频道中发布 / preview only)", file=sys.stderr)
    return 0


def cmd_bot(args: argparse.Namespace) -> int:
    from bot.main import run_bot

    return run_bot(http_port=args.http)


def register_commands(sub: Sub) -> None:
    t = sub.add_parser("tick", help="在指定时间执行一次调度(提醒、反馈、督办、周报)")
    t.add_argument("--now", help="ISO 8601 时间,如 2024-05-20T09:00:00+08:00(默认:当前时间)")
    t.add_argument("--worker", help="实例名称(默认:进程号)")
    t.set_defaults(func=_guard(cmd_tick))
    dg = sub.add_parser("digest", help="预览督办周报")
    dg.add_argument("id")
    dg.add_argument("--dry-run", action="store_true", help="只在终端打印")
    dg.set_defaults(func=_guard(cmd_digest))
    b = sub.add_parser("bot", help="运行 Slack 机器人(默认 Socket Mode)")
    b.add_argument("--http", type=int, metavar="PORT", help="HTTP 模式,监听端口(POST /slack/events)")
    b.set_defaults(func=cmd_bot)

    db = sub.add_parser("db", help="数据库").add_subparsers(dest="db_command", required=True)
    db.add_parser("upgrade", help="创建或升级数据库").set_defaults(func=_guard(cmd_db_upgrade))

    cl = sub.add_parser("checklist", help="督办清单").add_subparsers(dest="checklist_command", required=True)
    create = cl.add_parser("create", help="从讲话创建清单(最后一行输出清单编号)")
    create.add_argument("file")
    create.add_argument("--meeting-date", type=date.fromisoformat)
    create.add_argument("--channel")
    create.add_argument("--owner", default="cli")
    create.add_argument("--supervisor", action="append")
    create.set_defaults(func=_guard(cmd_checklist_create))
    show = cl.add_parser("show", help="查看清单")
    show.add_argument("id")
    show.set_defaults(func=_guard(cmd_checklist_show))
    cl.add_parser("list", help="列出清单").set_defaults(func=_guard(cmd_checklist_list))

    it = sub.add_parser("item", help="督办事项").add_subparsers(dest="item_command", required=True)
    st = it.add_parser("set-status", help="签收/更新进展/完成/受阻/办结/退回/改期/改派/撤销")
    st.add_argument("item", help="事项编号,或 清单编号:序号")
    st.add_argument("action", choices=[a.value for a in Action])
    st.add_argument("--actor", required=True, help="操作人(Slack 用户 ID)")
    st.add_argument("--percent", type=int)
    st.add_argument("--comment")
    st.add_argument("--reason")
    st.add_argument("--evidence")
    st.add_argument("--due", type=date.fromisoformat)
    st.add_argument("--party", action="append", help="改派:名称[:lead|assist|owner]")
    st.set_defaults(func=_guard(cmd_item_set_status))

    ex = sub.add_parser("export", help="导出工作台账")
    ex.add_argument("id")
    ex.add_argument("--format", choices=["xlsx", "csv", "markdown"], default="xlsx")
    ex.add_argument("-o", "--output")
    ex.set_defaults(func=_guard(cmd_export))
    im = sub.add_parser("import", help="导入修改后的台账 xlsx")
    im.add_argument("id")
    im.add_argument("file")
    im.add_argument("--actor", required=True)
    im.set_defaults(func=_guard(cmd_import))

    d = sub.add_parser("directory", help="责任单位通讯录").add_subparsers(dest="directory_command", required=True)
    di = d.add_parser("import", help="从 JSON 导入 {名称: [Slack ID…]}")
    di.add_argument("file")
    di.add_argument("--actor", default="cli")
    di.set_defaults(func=_guard(cmd_directory_import))
    ds = d.add_parser("set", help="设置一个责任单位")
    ds.add_argument("name")
    ds.add_argument("slack_id", nargs="+")
    ds.add_argument("--alias", action="append")
    ds.add_argument("--actor", default="cli")
    ds.set_defaults(func=_guard(cmd_directory_set))
    d.add_parser("list", help="列出").set_defaults(func=_guard(cmd_directory_list))
