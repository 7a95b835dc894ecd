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
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path

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
    )
