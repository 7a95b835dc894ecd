"""Configuration: defaults, then a TOML file, then the environment (which wins), then the command line.

File: $WXZJ_CONFIG, else ~/.config/wxzj/config.toml, e.g.

    database_url = "sqlite:////srv/wxzj/wxzj.db"
    profile = "shanghai"
    idle_lock_minutes = 10
    mouse = false
    log_file = "/var/log/wxzj/wxzj.log"   # default: <data dir>/logs/wxzj.log
    log_level = "INFO"                    # or WXZJ_LOG_LEVEL
    identity_verify_url = "https://…/verify"  # 手机二要素校验 over HTTP (WXZJ_IDENTITY_VERIFY_URL);
    identity_verify_key = "…"                 # default: the real-name register table

    [smtp]                                # e-mail; without it e-mails wait in the outbox (`wxzj outbox`)
    host = "smtp.example.com"
    port = 587
    security = "starttls"                 # none | starttls | tls
    user = "wxzj@example.com"             # password: WXZJ_SMTP_PASSWORD (or password = "...")
    sender = "wxzj@example.com"

    [sms]                                 # SMS gateway; without it SMS wait in the outbox
    url = "https://sms.example.com/send"  # POSTed JSON {key, template, mobile, text}
    key = "..."                           # or WXZJ_SMS_KEY
    template = "SMS_0001"

    [keymap]                              # binding id (F1 lists them) = keys, comma-separated
    "task_orders.new_order" = "f2,ctrl+n"
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path

from services.notify.settings import NOT_CONFIGURED, SECURITY_MODES, NotifySettings, SmsSettings, SmtpSettings

PROFILE_KEYS = ("beijing", "shanghai")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


class ConfigError(Exception):
    """A configuration value that cannot be used; the message is for the operator, in Chinese."""


@dataclass(frozen=True)
class Config:
    database_url: str
    profile: str = "beijing"
    idle_lock_minutes: int = 15
    mouse: bool = True
    demo: bool = False
    data_dir: Path = Path(".")
    log_file: Path | None = None  # default: <data dir>/logs/wxzj.log
    log_level: str = "INFO"
    identity_verify_url: str | None = None
    identity_verify_key: str | None = None
    keymap: dict[str, str] = field(default_factory=dict)  # binding id -> "key,key" (App.set_keymap)
    notify: NotifySettings = NOT_CONFIGURED

    @property
    def log_path(self) -> Path:
        return self.log_file or self.data_dir / "logs" / "wxzj.log"

    def with_overrides(self, **changes) -> "Config":
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


def default_data_dir(env: dict[str, str]) -> Path:
    if env.get("WXZJ_DATA_DIR"):
        return Path(env["WXZJ_DATA_DIR"]).expanduser()
    base = Path(env.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "wxzj"


def _config_file(env: dict[str, str]) -> Path:
    if env.get("WXZJ_CONFIG"):
        return Path(env["WXZJ_CONFIG"]).expanduser()
    base = Path(env.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return base / "wxzj" / "config.toml"


def _as_bool(name: str, value: object) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off", ""):
        return False
    raise ConfigError(f"配置项 {name} 应为 true 或 false，实际为：{value}")


def _as_minutes(name: str, value: object) -> int:
    try:
        minutes = int(value)
    except (TypeError, ValueError):
        raise ConfigError(f"配置项 {name} 应为整数分钟，实际为：{value}") from None
    if not 0 <= minutes <= 24 * 60:
        raise ConfigError(f"配置项 {name} 应在 0 到 1440 之间（0 表示不锁屏），实际为：{minutes}")
    return minutes


def _as_port(name: str, value: object) -> int:
    try:
        port = int(value)
    except (TypeError, ValueError):
        port = 0
    if not 0 < port < 65536:
        raise ConfigError(f"配置项 {name} 应为 1 到 65535 之间的端口号，实际为：{value}")
    return port


def _notify_settings(values: dict[str, object], env: dict[str, str]) -> NotifySettings:
    smtp = values.get("smtp") or {}
    sms = values.get("sms") or {}
    if not isinstance(smtp, dict) or not isinstance(sms, dict):
        raise ConfigError("配置项 smtp 和 sms 应为表（[smtp]、[sms]）")
    smtp_settings = sms_settings = None
    if smtp.get("host"):
        security = str(smtp.get("security", "starttls")).lower()
        if security not in SECURITY_MODES:
            raise ConfigError(f"配置项 smtp.security 应为 {'、'.join(SECURITY_MODES)} 之一，实际为：{security}")
        default_port = {"none": 25, "starttls": 587, "tls": 465}[security]
        smtp_settings = SmtpSettings(
            host=str(smtp["host"]), port=_as_port("smtp.port", smtp.get("port", default_port)), security=security,
            user=str(smtp["user"]) if smtp.get("user") else None,
            password=env.get("WXZJ_SMTP_PASSWORD") or (str(smtp["password"]) if smtp.get("password") else None),
            sender=str(smtp.get("sender") or smtp.get("user") or "wxzj@localhost"),
        )
    if sms.get("url"):
        url = str(sms["url"])
        if not url.startswith(("http://", "https://")):
            raise ConfigError(f"配置项 sms.url 应以 http:// 或 https:// 开头，实际为：{url}")
        sms_settings = SmsSettings(url=url, key=env.get("WXZJ_SMS_KEY") or str(sms.get("key", "")),
                                   template=str(sms.get("template", "")))
    return NotifySettings(smtp=smtp_settings, sms=sms_settings)


def load_config(env: dict[str, str] | None = None) -> Config:
    env = dict(os.environ if env is None else env)
    values: dict[str, object] = {}
    path = _config_file(env)
    if path.is_file():
        try:
            values.update(tomllib.loads(path.read_text(encoding="utf-8")))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"配置文件 {path} 格式错误：{exc}") from None
    for key, name in (
        ("database_url", "WXZJ_DATABASE_URL"),
        ("profile", "WXZJ_PROFILE"),
        ("idle_lock_minutes", "WXZJ_IDLE_LOCK_MINUTES"),
        ("demo", "WXZJ_DEMO"),
        ("log_file", "WXZJ_LOG_FILE"),
        ("log_level", "WXZJ_LOG_LEVEL"),
        ("identity_verify_url", "WXZJ_IDENTITY_VERIFY_URL"),
        ("identity_verify_key", "WXZJ_IDENTITY_VERIFY_KEY"),
    ):
        if env.get(name):
            values[key] = env[name]
    if env.get("WXZJ_NO_MOUSE"):
        values["mouse"] = not _as_bool("WXZJ_NO_MOUSE", env["WXZJ_NO_MOUSE"])

    data_dir = default_data_dir(env)
    profile = str(values.get("profile", "beijing"))
    if profile not in PROFILE_KEYS:
        raise ConfigError(f"未知的城市配置 WXZJ_PROFILE={profile}（可选：beijing、shanghai）")
    url = str(values.get("database_url") or f"sqlite:///{data_dir / 'wxzj.db'}")
    level = str(values.get("log_level", "INFO")).upper()
    if level not in LOG_LEVELS:
        raise ConfigError(f"配置项 log_level 应为 {'、'.join(LOG_LEVELS)} 之一，实际为：{level}")
    keymap: dict[str, str] = {}
    if "keymap" in values:
        from tui.keys import KeymapError, parse_keymap

        try:
            keymap = parse_keymap(values["keymap"])
        except KeymapError as exc:
            raise ConfigError(f"配置文件 {path} 的 [keymap] 有误：{exc}") from None
    return Config(
        database_url=url,
        profile=profile,
        idle_lock_minutes=_as_minutes("idle_lock_minutes", values.get("idle_lock_minutes", 15)),
        mouse=_as_bool("mouse", values.get("mouse", True)),
        demo=_as_bool("demo", values.get("demo", False)),
        data_dir=data_dir,
        log_file=Path(str(values["log_file"])).expanduser() if values.get("log_file") else None,
        log_level=level,
        identity_verify_url=str(values["identity_verify_url"]) if values.get("identity_verify_url") else None,
        identity_verify_key=str(values["identity_verify_key"]) if values.get("identity_verify_key") else None,
        keymap=keymap,
        notify=_notify_settings(values, env),
    )
