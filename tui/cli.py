"""The `wxzj` command: start the app, build the demo database, upgrade the schema, check the ledger."""

from __future__ import annotations

import argparse
import os
import sys

from tui.config import Config, ConfigError, load_config


def _parser() -> argparse.ArgumentParser:
    from reports import DOC_TYPES

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

    printing = sub.add_parser("print", help="打印任务单的单据（自动化、批量打印），以 --user 用户的名义、渠道“命令行”记录")
    printing.add_argument("doc_type", choices=DOC_TYPES,
                          help="task-order 维修支取任务单；sign-sheet 分摊明细业主签字确认表；arrears 欠款催缴通知单")
    printing.add_argument("application_no", metavar="APPLICATION_NO", help="任务单申请编号，如 WX20260315000042")
    printing.add_argument("-o", "--output", required=True, metavar="FILE.pdf", help="输出的 PDF 文件")
    printing.add_argument("--user", required=True, metavar="NAME",
                          help="以该用户的身份和权限打印；密码从终端输入，批处理时取环境变量 WXZJ_PASSWORD")

    outbox = sub.add_parser("outbox", help="查看待发送的短信和邮件（演示模式下在此读取验证码）")
    outbox.add_argument("--send", action="store_true", help="按配置发送到期的消息（失败的稍后重试）")
    outbox.add_argument("--limit", type=int, default=20, help="列出的条数（默认 20）")

    otp_code = sub.add_parser("otp-code", help="演示数据库：显示动态口令演示账户当前的6位口令（其它账户和数据库一律拒绝）")
    otp_code.add_argument("user", metavar="USER", help="演示账户的用户名，如 kouling")

    realname = sub.add_parser("realname", help="实名登记（手机二要素校验的数据）")
    realname_sub = realname.add_subparsers(dest="realname_command", required=True)
    realname_import = realname_sub.add_parser("import", help="从 CSV 文件（每行：姓名,手机号码）导入实名登记")
    realname_import.add_argument("file", metavar="FILE.csv")
    backup = sub.add_parser("backup", help="备份整个数据库（使用中也可备份：SQLite 在线备份，PostgreSQL 用 pg_dump）")
    backup.add_argument("file", metavar="FILE", help="备份文件")
    restore = sub.add_parser("restore", help="从备份恢复数据库")
    restore.add_argument("file", metavar="FILE", help="wxzj backup 做出的备份文件")
    restore.add_argument("--force", action="store_true", help="覆盖已有的数据库")
    serve = sub.add_parser("serve", help="在浏览器中使用（textual-serve）；默认只在本机回环地址上提供")
    serve.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1）")
    serve.add_argument("--port", type=int, default=8000, help="端口（默认 8000）")
    serve.add_argument("--public-url", help="经反向代理访问时浏览器看到的地址，如 https://wxzj.example.org")
    sub.add_parser("doctor", help="检查服务器的设置：数据库、数据和日志目录、字体、字符编码、终端类型")

    from tui import import_cli

    import_cli.add_parser(sub)

    sub.add_parser("check", help="核对分户账：余额与账目、冻结与任务单、支取与扣款；有问题时以非零状态退出")
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
    from tui.logs import configure

    configure(config.log_path, config.log_level)
    try:
        return _dispatch(args, config)
    except Exception as exc:  # noqa: BLE001 - storage faults become one line; anything else stays a bug
        from models.faults import storage_fault
        from tui.logs import logger

        fault = storage_fault(exc)
        if fault is None:
            raise
        logger("cli").error("storage fault in %s", args.command or "app", exc_info=exc)
        return _fail(fault, code=1)


def _dispatch(args, config: Config) -> int:
    if args.command == "demo":
        return _run_demo(config, args.houses, args.seed, args.force)
    if args.command == "db":
        return _run_upgrade(config)
    if args.command in ("backup", "restore", "doctor", "serve"):
        from tui import cli_ops

        if args.command == "serve":
            return cli_ops.run_serve(config, args.host, args.port, args.public_url)
        if args.command == "backup":
            return cli_ops.run_backup(config, args.file)
        if args.command == "restore":
            return cli_ops.run_restore(config, args.file, args.force)
        return cli_ops.run_doctor(config)
    if args.command == "check":
        return _run_check(config)
    if args.command == "outbox":
        return _run_outbox(config, args.send, args.limit)
    if args.command == "otp-code":
        return _run_otp_code(config, args.user)
    if args.command == "realname":
        return _run_realname_import(config, args.file)
    if args.command == "import":
        from tui import import_cli

        return import_cli.run(config, args, _fail)
    if args.command == "print":
        return _run_print(config, args.doc_type, args.application_no, args.output, args.user)
    return _run_app(config)


def _run_demo(config: Config, houses: int, seed: int, force: bool) -> int:
    from services.demo.build import DemoError, build_demo

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


def _run_check(config: Config) -> int:
    from tui.startup import check_database, read_only_url

    problem = check_database(config.database_url, writable=False)
    if problem:
        return _fail(problem)
    from models.db import Database
    from services.ops.invariants import check

    db = Database(read_only_url(config.database_url))
    try:
        report = check(db)
    finally:
        db.dispose()
    for line in report.lines():
        print(line)
    return 0 if report.clean else 1


def _run_outbox(config: Config, send: bool, limit: int) -> int:
    from tui.startup import check_database

    problem = check_database(config.database_url)
    if problem:
        return _fail(problem)
    from models.db import Database
    from services.core.clock import local_text
    from services.notify import outbox, sender

    db = Database(config.database_url)
    try:
        if send:
            report = sender.deliver_due(db, config.notify)
            print(f"已发送 {report.sent} 条，稍后重试 {report.retry} 条，放弃 {report.failed} 条")
        rows = outbox.list_messages(db, limit=limit)
    finally:
        db.dispose()
    if not rows:
        print("发件箱中没有消息")
    for row in rows:
        channel = "短信" if row.channel == "sms" else "邮件"
        status = outbox.STATUS_LABELS[row.status]
        print(f"{row.id:>6}  {local_text(row.created_at, '%m-%d %H:%M:%S')}  {channel}  {row.recipient}  "
              f"{status}（{row.attempts}次）")
        for line in row.text.splitlines():
            if line.strip():
                print(f"        {line}")
    return 0


def _password(user: str) -> str | None:
    """WXZJ_PASSWORD for batch jobs, else a prompt when there is a terminal to ask at."""
    if "WXZJ_PASSWORD" in os.environ:
        return os.environ["WXZJ_PASSWORD"]
    if not sys.stdin.isatty():
        return None
    import getpass

    return getpass.getpass(f"用户 {user} 的密码：")


def _otp_code(user: str) -> str | None:
    if "WXZJ_OTP" in os.environ:
        return os.environ["WXZJ_OTP"]
    if not sys.stdin.isatty():
        return None
    import getpass

    return getpass.getpass(f"用户 {user} 的动态口令（或恢复码）：")


def _run_otp_code(config: Config, user: str) -> int:
    from tui.startup import check_database

    problem = check_database(config.database_url)
    if problem:
        return _fail(problem)
    from models.db import Database
    from services.core.errors import ServiceError
    from services.demo.otp_demo import current_code

    db = Database(config.database_url)
    try:
        code, left = current_code(db, user)
    except ServiceError as error:
        return _fail(error.message)
    finally:
        db.dispose()
    print(f"{code}（还有 {left} 秒有效）")
    return 0


def _run_realname_import(config: Config, file: str) -> int:
    from pathlib import Path

    from tui.startup import check_database

    problem = check_database(config.database_url)
    if problem:
        return _fail(problem)
    from models.db import Database
    from services.admin.register import import_register, read_csv
    from services.core.errors import ServiceError

    try:
        rows = read_csv(Path(file))
    except (OSError, UnicodeDecodeError) as exc:
        return _fail(f"无法读取 {file}：{exc}")
    db = Database(config.database_url)
    try:
        result = import_register(db, rows)
    except ServiceError as exc:
        return _fail(exc.message, 1)
    finally:
        db.dispose()
    print(f"实名登记已导入：新增 {result.added} 人，更新 {result.updated} 人")
    return 0


def _run_print(config: Config, doc_type: str, application_no: str, output: str, user: str) -> int:
    from tui.startup import check_database

    problem = check_database(config.database_url)
    if problem:
        return _fail(problem)
    password = _password(user)
    if password is None:
        return _fail("没有终端可输入密码：批处理时请在环境变量 WXZJ_PASSWORD 中提供 --user 用户的密码")
    import tempfile

    from models.db import Database
    from services.core.errors import ServiceError
    from services.identity import auth
    from services.printing import documents as printing

    # The file is written inside the transaction that records the print and renamed into place
    # after it commits: no print is recorded without its file, and an existing FILE is replaced
    # only by a finished document.
    folder = os.path.dirname(os.path.abspath(output))
    try:
        handle, partial = tempfile.mkstemp(suffix=".pdf", dir=folder)
    except OSError as exc:
        return _fail(f"无法写入 {output}：{exc.strerror or exc}")
    db = Database(config.database_url)
    try:
        with os.fdopen(handle, "wb") as file:
            def deliver(pdf: bytes) -> None:
                file.write(pdf)
                file.flush()
                os.fsync(file.fileno())

            login = auth.authenticate(db, user, password)
            if login.otp_pending:  # BY-08: the authenticator's code, as at the login screen
                code = _otp_code(user)
                if code is None:
                    return _fail(f"用户 {user} 已启用动态口令：请在终端输入，或在环境变量 WXZJ_OTP 中提供当前口令")
                from services.identity import otp

                login = otp.verify_login_code(db, login, code)
            actor, order_id = printing.command_line_actor(db, login, application_no)
            try:
                result = printing.print_document(db, actor, doc_type, order_id, channel=printing.CLI_CHANNEL,
                                                 deliver=deliver)
            finally:
                auth.logout(db, actor, reason="命令行打印结束")
        os.replace(partial, output)
    except ServiceError as exc:
        return _fail(exc.message)
    except OSError as exc:
        from models.faults import storage_fault

        return _fail(storage_fault(exc) or f"无法写入 {output}：{exc.strerror or exc}", code=1)
    finally:
        db.dispose()
        if os.path.exists(partial):
            os.remove(partial)
    print(f"已打印{result.label}，单据流水号 {result.serial_no}：{output}")
    return 0


def _run_app(config: Config) -> int:
    from tui.startup import check_database, mark_monochrome, prepare_terminal_environment

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
    from tui.cli_ops import terminal_refusal

    refusal = terminal_refusal(os.environ, sys.stdin, sys.stdout)
    if refusal:
        return _fail(refusal, 1)
    prepare_terminal_environment(os.environ)
    mark_monochrome(os.environ)
    from tui.app import WxzjApp

    WxzjApp(config).run(mouse=config.mouse)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
