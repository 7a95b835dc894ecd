"""The operator's commands: `wxzj backup`, `wxzj restore` and `wxzj doctor` (a server's set-up checked)."""

from __future__ import annotations

import locale
import os
import sys
from pathlib import Path

from tui.config import Config


def _say(message: str, *, error: bool = False) -> None:
    print(f"wxzj: {message}" if error else message, file=sys.stderr if error else sys.stdout)


def run_backup(config: Config, target: str) -> int:
    from services.ops.backup import BackupError, backup

    try:
        result = backup(config.database_url, Path(target))
    except BackupError as exc:
        _say(str(exc), error=True)
        return 1
    _say(f"已备份到 {result.path}（{result.size:,} 字节）")
    return 0


def run_restore(config: Config, source: str, force: bool) -> int:
    from services.ops.backup import BackupError, restore

    try:
        restore(config.database_url, Path(source), force=force)
    except BackupError as exc:
        _say(str(exc), error=True)
        return 1
    _say(f"已从 {source} 恢复数据库；请运行 wxzj check 核对，如版本落后再运行 wxzj db upgrade")
    return 0


def terminal_refusal(env, stdin, stdout) -> str | None:
    """Why the app will not start here: under sshd's ForceCommand a remote command (`ssh host id`) is
    refused rather than run, and without a terminal there is nothing to draw on (except when `wxzj serve`
    runs it for a browser, through textual-serve's web driver)."""
    if env.get("TEXTUAL_DRIVER", "").endswith(":WebDriver"):
        return None
    if env.get("SSH_ORIGINAL_COMMAND"):
        return "本服务器只提供维修资金系统界面，不执行命令；请用 ssh -t 登录"
    if not (stdin.isatty() and stdout.isatty()):
        return "wxzj 需要一个终端；通过 SSH 登录时请用 ssh -t"
    return None


def run_doctor(config: Config, env: dict[str, str] | None = None) -> int:
    """Each check prints 正常 or what to fix; the exit code is the number of problems (0: ready)."""
    env = dict(os.environ if env is None else env)
    problems = 0
    for title, problem in doctor_checks(config, env):
        if problem is None:
            print(f"  正常  {title}")
        else:
            problems += 1
            print(f"  问题  {title}：{problem}")
    print("检查通过，可以使用。" if not problems else f"共 {problems} 个问题，请按提示处理后再运行 wxzj doctor。")
    return 1 if problems else 0


def doctor_checks(config: Config, env: dict[str, str]):
    from tui.startup import check_database

    database = check_database(config.database_url)
    yield "数据库可连接且结构为最新", database
    from services.ops.keys import key_file, key_file_problem

    # the audit seal and the 动态口令 secrets: one file, the same on every front-end server (docs/deploy.md)
    yield (f"审计与动态口令密钥文件（{key_file(config.database_url)}）",
           key_file_problem(config.database_url, database_ok=database is None))
    yield f"数据目录可写（{config.data_dir}）", _writable_dir(config.data_dir)
    yield f"日志目录可写（{config.log_path.parent}）", _writable_dir(config.log_path.parent)
    yield "打印所需的中文字体", _font_problem()
    yield "生僻字字体（CJK 扩展 B 区）", _extension_b_problem()
    yield "字符编码为 UTF-8", _locale_problem(env)
    yield f"终端类型已知（TERM={env.get('TERM', '')}）", _term_problem(env)
    from services.ops.bytecode import lean_bytecode_problem

    yield "会话精简运行（PYTHONOPTIMIZE=2，字节码已预编译）", lean_bytecode_problem(env)


def _writable_dir(path: Path) -> str | None:
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        return f"无法创建 {path}：{exc.strerror}；请建立该目录并授予运行 wxzj 的账户写权限"
    if not os.access(path, os.W_OK):
        return f"{path} 不可写；请授予运行 wxzj 的账户写权限"
    return None


def _font_problem() -> str | None:
    from reports.frame import font_path

    try:
        path = font_path()
    except Exception as exc:  # noqa: BLE001 - any failure to locate the font is the finding itself
        return f"找不到字体：{exc}；请重新安装 wxzj（pip install -e .）"
    if not Path(path).is_file():
        return f"字体文件不存在：{path}；请重新安装 wxzj，或用 WXZJ_PDF_FONT 指向一个中文字体文件"
    return None


def _extension_b_problem() -> str | None:
    from reports.fonts import EXTENSION_B, extension_b_missing, font_chain
    from reports.frame import font_path

    try:
        missing = extension_b_missing(font_chain(font_path()))
    except Exception as exc:  # noqa: BLE001 - an unreadable font file is the finding itself
        return f"无法读取字体：{exc}"
    if missing:
        return (f"扩展 B 区 {len(EXTENSION_B)} 个字中有 {missing} 个没有字体，含这些字的姓名将无法打印；"
                "请安装 HanaMinB：apt-get install fonts-hanazono（或用 WXZJ_PDF_FALLBACK_FONTS 指向一个覆盖扩展 B 区的字体文件）")
    return None


def _locale_problem(env: dict[str, str]) -> str | None:
    wanted = env.get("LC_ALL") or env.get("LC_CTYPE") or env.get("LANG") or ""
    encoding = (wanted.rsplit(".", 1)[-1] if "." in wanted else locale.getpreferredencoding(False)).lower()
    if encoding.replace("-", "") != "utf8":
        return f"当前为 {wanted or '未设置'}；请设 LANG=C.UTF-8（sshd_config 中 AcceptEnv LANG LC_*，或在 ForceCommand 前导出）"
    return None


TERMINFO_DIRS = ("/etc/terminfo", "/lib/terminfo", "/usr/share/terminfo", "/usr/lib/terminfo")


def _term_problem(env: dict[str, str]) -> str | None:
    term = env.get("TERM", "")
    if not term or term == "dumb":
        return "未设置终端类型；SSH 登录时请用 ssh -t，并让客户端传递 TERM（如 xterm-256color）"
    dirs = [env["TERMINFO"]] if env.get("TERMINFO") else []
    dirs += [str(Path.home() / ".terminfo"), *TERMINFO_DIRS]
    for folder in dirs:
        for sub in (term[0], f"{ord(term[0]):x}"):
            if Path(folder, sub, term).is_file():
                return None
    return f"系统没有 {term} 的 terminfo；请安装 ncurses-term，或让客户端使用 xterm-256color"


LOOPBACK = ("127.0.0.1", "localhost", "::1")


def run_serve(config: Config, host: str, port: int, public_url: str | None) -> int:
    """The same app in a browser (textual-serve). It has no authentication or TLS of its own: the app's
    login is the authentication, it listens on loopback unless told otherwise, and anything wider belongs
    behind a TLS reverse proxy (docs/deploy.md)."""
    import shlex

    from textual_serve.server import Server

    from tui.startup import check_database

    problem = check_database(config.database_url)
    if problem:
        _say(problem, error=True)
        return 2
    if host not in LOOPBACK:
        _say(f"注意：正在 {host} 上提供未加密的服务；请只在 TLS 反向代理之后这样做（见 docs/deploy.md）", error=True)
    # Each browser tab runs its own app process; the settings reach it through the environment, so the
    # database URL (and any password in it) never shows in a process list.
    os.environ.update(WXZJ_DATABASE_URL=config.database_url, WXZJ_PROFILE=config.profile,
                      WXZJ_DEMO="1" if config.demo else "0", WXZJ_LOG_LEVEL=config.log_level,
                      WXZJ_LOG_FILE=str(config.log_path))
    # A browser tab is not the SSH session this may run in: its key must not log anyone in.
    os.environ.pop("SSH_USER_AUTH", None)
    # The tabs are one account's processes: one host print worker serves them all (print_server.enabled).
    os.environ.setdefault("WXZJ_PRINT_SERVER", "on")
    command = shlex.join([sys.executable, "-m", "tui"] + ([] if config.mouse else ["--no-mouse"]))
    Server(command, host=host, port=port, title="住宅专项维修资金管理系统", public_url=public_url).serve()
    return 0
