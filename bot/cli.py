"""The `duban` command line. Each subcommand is a thin shell over a service."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

Handler = Callable[[argparse.Namespace], int]


def _read_input(path: str, max_bytes: int) -> str:
    from extractors.intake import read_document

    if path == "-":
        data = sys.stdin.buffer.read()
        name = ""
    else:
        p = Path(path)
        if not p.is_file():
            raise SystemExit(f"错误:找不到文件 {path} / file not found")
        if p.stat().st_size > max_bytes:
            from extractors.intake import IntakeError

            raise IntakeError("too_large", f"文件过大({p.stat().st_size / 1048576:.1f} MB,上限 "
                              f"{max_bytes / 1048576:.0f} MB) / file too large")
        data, name = p.read_bytes(), p.name
    return read_document(data, filename=name, max_bytes=max_bytes).text


def cmd_extract(args: argparse.Namespace) -> int:
    from extractors import extract
    from extractors.intake import IntakeError
    from extractors.render import as_json, as_markdown, as_table

    try:
        text = _read_input(args.file, args.max_bytes)
    except IntakeError as exc:
        print(f"错误:{exc.message}", file=sys.stderr)
        return 2
    ex = extract(text, meeting_date=args.meeting_date)
    if args.format == "json":
        print(as_json(ex, explain=args.explain))
    elif args.format == "markdown":
        print(as_markdown(ex))
    else:
        print(as_table(ex, explain=args.explain))
    if not ex.items:
        print("提示:未识别到督办事项 / no directives found", file=sys.stderr)
        return 3 if args.format != "json" else 0
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from extractors.evaluate import evaluate_corpus

    print(evaluate_corpus(Path(args.gold), Path(args.texts), verbose=args.verbose))
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    if args.target in ("extract", "all"):
        from extractors.bench import run_bench

        print(run_bench(repeats=args.repeats, max_mb=args.max_mb))
    if args.target in ("store", "all"):
        import os

        from checklists.bench import run_store_bench

        url = args.pg_url or os.environ.get("DUBAN_DATABASE__URL", "")
        print(run_store_bench(pg_url=url if url.startswith("postgresql") else None, repeats=args.repeats))
    if args.target in ("scheduler", "all"):
        from bot.scheduler_bench import run_scheduler_bench

        print(run_scheduler_bench(pg_url=args.pg_url, repeats=args.repeats))
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    """`make run`: the bot when Slack tokens are present, else extraction on the bundled speech."""
    import os

    if os.environ.get("SLACK_BOT_TOKEN") and (os.environ.get("SLACK_APP_TOKEN") or os.environ.get(
            "SLACK_SIGNING_SECRET")):
        from bot.main import run_bot
        from bot.settings import load_settings
        from checklists.store import make_engine, upgrade

        settings = load_settings()
        if settings.database.url.startswith("sqlite"):  # the embedded default sets itself up
            upgrade(make_engine(settings.database.url))
        http = None if os.environ.get("SLACK_APP_TOKEN") else settings.slack.http_port
        return run_bot(http_port=http)
    from importlib import resources

    from extractors import extract
    from extractors.render import as_table

    print("未配置 Slack 令牌(SLACK_BOT_TOKEN / SLACK_APP_TOKEN),演示:解析内置讲话样例。\n")
    text = resources.files("extractors").joinpath("examples", "epidemic_meeting_2022.txt").read_text("utf-8")
    print(as_table(extract(text)))
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="duban", description="督办:讲话 → 督办清单")
    sub = p.add_subparsers(dest="command", required=True)
    e = sub.add_parser("extract", help="从讲话中提取督办事项")
    e.add_argument("file", help="文件路径,或 - 表示标准输入")
    e.add_argument("--meeting-date", type=date.fromisoformat, default=None)
    e.add_argument("--format", choices=["table", "json", "markdown"], default="table")
    e.add_argument("--explain", action="store_true", help="显示命中的规则")
    e.add_argument("--max-bytes", type=int, default=5 * 1024 * 1024)
    e.set_defaults(func=cmd_extract)
    ev = sub.add_parser("eval", help="按金标准评估提取效果")
    ev.add_argument("--gold", required=True)
    ev.add_argument("--texts", required=True)
    ev.add_argument("-v", "--verbose", action="store_true")
    ev.set_defaults(func=cmd_eval)
    b = sub.add_parser("bench", help="性能基准")
    b.add_argument("target", nargs="?", choices=["extract", "store", "scheduler", "all"], default="extract")
    b.add_argument("--pg-url", default=None, help="PostgreSQL 基准使用的数据库(会新建并删除临时 schema)")
    b.add_argument("--repeats", type=int, default=5)
    b.add_argument("--max-mb", type=float, default=5.0)
    b.set_defaults(func=cmd_bench)
    r = sub.add_parser("run", help="主程序:有令牌时运行机器人,否则演示提取")
    r.set_defaults(func=cmd_run)
    try:
        from bot.commands import register_commands
    except ImportError:  # the store/bot layers are optional for the extraction-only commands
        pass
    else:
        register_commands(sub)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    import signal

    if hasattr(signal, "SIGPIPE"):  # `duban … | head` ends quietly, like any Unix tool
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    args = build_parser().parse_args(argv)
    handler: Handler = args.func
    return handler(args)


if __name__ == "__main__":
    sys.exit(main())
