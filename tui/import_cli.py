"""The body of `wxzj import`: templates, checking (--dry-run) and importing a file from the shell."""

from __future__ import annotations

import argparse
import os
import sys

from tui.config import Config

CLI_CHANNEL = "命令行"


def add_parser(sub) -> None:
    from services.transfer.kinds import KINDS
    from services.transfer.reader import ENCODINGS

    kinds = "；".join(f"{k.key} {k.label}" for k in KINDS.values())
    cmd = sub.add_parser("import", help="从 Excel（.xlsx）或 CSV 导入小区、自然幢、房屋（含业主和期初余额）",
                         description=f"导入类型：{kinds}。先逐行检查，有任何错误时不写入（除非 --valid-only）。")
    cmd.add_argument("kind", nargs="?", choices=tuple(KINDS), metavar="KIND", help="导入类型：" + "、".join(KINDS))
    cmd.add_argument("file", nargs="?", metavar="FILE", help="要导入的 .xlsx 或 .csv 文件")
    cmd.add_argument("--dry-run", action="store_true", help="只检查，不写入")
    cmd.add_argument("--valid-only", action="store_true", help="有错误时仍导入正确的行（跳过有错误的行）")
    cmd.add_argument("--encoding", choices=ENCODINGS, default="auto", help="CSV 文件编码（默认自动识别）")
    cmd.add_argument("--user", metavar="USERNAME", help="以该用户（系统管理员或区县管理部）名义导入")
    cmd.add_argument("--report", metavar="FILE.xlsx", help="有错误时把错误报告写入该文件")
    cmd.add_argument("--template", choices=tuple(KINDS), metavar="KIND", help="输出该类型的导入模板（配合 -o）")
    cmd.add_argument("-o", "--output", metavar="FILE.xlsx", help="模板输出文件")


def run(config: Config, args: argparse.Namespace, fail) -> int:
    from services.core.errors import ServiceError
    from services.transfer import importer

    if args.template:
        if not args.output:
            return fail("请用 -o FILE.xlsx 指定模板文件")
        try:
            with open(args.output, "wb") as handle:
                handle.write(importer.template(args.template))
        except OSError as exc:
            return fail(f"无法写入 {args.output}：{exc.strerror or exc}")
        print(f"已生成导入模板：{args.output}")
        for line in importer.describe(args.template):
            print(line)
        return 0
    if not args.kind or not args.file:
        return fail("用法：wxzj import KIND FILE [--dry-run]，或 wxzj import --template KIND -o FILE.xlsx")
    from tui.startup import check_database

    problem = check_database(config.database_url)
    if problem:
        return fail(problem)
    from models.db import Database
    from services.transfer.common import batch_actor

    db = Database(config.database_url)

    def progress(done: int, total: int, what: str) -> None:
        if total and sys.stderr.isatty():
            print(f"\r{what} {done:,} / {total:,}", end="", file=sys.stderr, flush=True)

    try:
        actor = batch_actor(db, args.user)
        if args.dry_run:
            result = importer.check_file(db, actor, args.kind, args.file, args.encoding, progress=progress)
        else:
            result = importer.import_file(db, actor, args.kind, args.file, args.encoding,
                                          valid_only=args.valid_only, progress=progress, channel=CLI_CHANNEL)
        if sys.stderr.isatty():
            print(file=sys.stderr)
        for line in result.lines():
            print(line)
        for issue in result.issues[:50]:
            print(f"  第 {issue.row} 行 {issue.column}：{issue.message}" + (f"（{issue.value}）" if issue.value else ""))
        if result.issue_count > 50:
            print(f"  ……共 {result.issue_count} 处" + ("，完整列表见 --report 文件" if args.report else
                                                    "，用 --report FILE.xlsx 取得完整列表"))
        if args.report and result.issues:
            report = importer.error_report(db, actor, result)
            with open(args.report, "wb") as handle:
                handle.write(report.data)
            print(f"错误报告：{os.path.abspath(args.report)}")
    except ServiceError as exc:
        return fail(exc.message)
    finally:
        db.dispose()
    return 0 if result.ok or (result.written and args.valid_only) else 1
