import pytest

from tui.config import ConfigError, load_config


def test_defaults_put_the_database_under_the_data_dir(tmp_path):
    config = load_config({"HOME": str(tmp_path), "WXZJ_DATA_DIR": str(tmp_path / "d")})
    assert config.database_url == f"sqlite:///{tmp_path / 'd' / 'wxzj.db'}"
    assert (config.profile, config.idle_lock_minutes, config.mouse) == ("beijing", 15, True)


def test_environment_wins_over_the_file(tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text('profile = "shanghai"\nidle_lock_minutes = 5\nmouse = false\n', encoding="utf-8")
    config = load_config({"HOME": str(tmp_path), "WXZJ_CONFIG": str(cfg), "WXZJ_IDLE_LOCK_MINUTES": "7"})
    assert (config.profile, config.idle_lock_minutes, config.mouse) == ("shanghai", 7, False)


@pytest.mark.parametrize("env,message", [
    ({"WXZJ_PROFILE": "guangzhou"}, "未知的城市配置"),
    ({"WXZJ_IDLE_LOCK_MINUTES": "abc"}, "应为整数分钟"),
    ({"WXZJ_IDLE_LOCK_MINUTES": "-1"}, "应在 0 到 1440 之间"),
    ({"WXZJ_NO_MOUSE": "maybe"}, "应为 true 或 false"),
])
def test_bad_values_say_what_is_wrong(tmp_path, env, message):
    with pytest.raises(ConfigError, match=message):
        load_config({"HOME": str(tmp_path), **env})


def test_broken_config_file(tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text("profile = \n", encoding="utf-8")
    with pytest.raises(ConfigError, match="格式错误"):
        load_config({"HOME": str(tmp_path), "WXZJ_CONFIG": str(cfg)})
