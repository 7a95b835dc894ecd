"""The `wxzj` command: start the app, build the demo database, upgrade the schema."""

from __future__ import annotations

import argparse
import os
import sys

from tui.config import Config, ConfigError, load_config


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="wxzj", description="住宅专项维修资金管理系统")
    parser.add_argument("--database-url", help="数据库地址（默认 WXZJ_DATABASE_URL 或数据目录下的 SQLite 文件）")
    parser.add_argument("--profile", choices=("beijing", "shanghai"), help="城市配置")
    parser.add_argument("--demo", action="store_true", default=None,
                        help="演示模式：数据库不存在时先建演示库，登录界面列出演示账户")
    parser.add_argument("--no-mouse", action="store_true", help="不接收鼠标事件（慢速链路）")
    sub = parser.add_subparsers(dest="command")

    demo = sub.add_parser("demo", help="建立演示数据库")
    demo.add_argument("--houses", type=int, default=6000, help="房屋户数（默认 6000）")
    demo.add_argument("--seed", type=int, default=2026, help="随机种子（相同种子得到相同数据）")
    demo.add_argument("--force", action="store_true", help="覆盖已有数据库")

    db = sub.add_parser("db", help="数据库维护")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    db_sub.add_parser("upgrade", help="把数据库结构升级到程序所需的版本")
    return parser


def _fail(message: str, code: int = 2) -> int:
    print(f"wxzj: {message}", file=sys.stderr)
    return code


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        config = load_config().with_overrides(
            database_url=args.database_url,
            profile=args.profile,
            demo=args.demo,
            mouse=False if args.no_mouse else None,
        )
    except ConfigError as exc:
        return _fail(str(exc))

    if args.command == "demo":
        return _run_demo(config, args.houses, args.seed, args.force)
    if args.command == "db":
        return _run_upgrade(config)
    return _run_app(config)


def _run_demo(config: Config, houses: int, seed: int, force: bool) -> int:
    from services.demo import DemoError, build_demo

    try:
        summary = build_demo(config.database_url, config.profile, houses=houses, seed=seed, force=force,
                             progress=lambda text: print(text, file=sys.stderr))
    except DemoError as exc:
        return _fail(str(exc))
    for line in summary.lines():
        print(line)
    return 0


def _run_upgrade(config: Config) -> int:
    from tui.startup import ensure_writable_location

    problem = ensure_writable_location(config.database_url)
    if problem:
        return _fail(problem)
    from models.migrate import upgrade

    upgrade(config.database_url)
    print(f"数据库已升级到最新版本：{config.database_url}")
    return 0


def _run_app(config: Config) -> int:
    from tui.startup import check_database, prepare_terminal_environment

    if config.demo:
        from models.schema import sqlite_path

        path = sqlite_path(config.database_url)
        if path is not None and not path.exists():
            code = _run_demo(config, houses=6000, seed=2026, force=False)
            if code:
                return code
    problem = check_database(config.database_url)
    if problem:
        return _fail(problem)
    prepare_terminal_environment(os.environ)
    from tui.app import WxzjApp

    WxzjApp(config).run(mouse=config.mouse)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
