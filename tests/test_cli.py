from tui.cli import main
from models.schema import current_revision, HEAD_REVISION


def test_missing_database_is_refused_with_the_fix(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'none.db'}"
    assert main(["--database-url", url]) == 2
    err = capsys.readouterr().err
    assert "数据库文件不存在" in err and "wxzj db upgrade" in err and "Traceback" not in err


def test_db_upgrade_creates_the_schema(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'sub' / 'new.db'}"
    assert main(["--database-url", url, "db", "upgrade"]) == 0
    assert current_revision(url) == HEAD_REVISION
    assert "已升级" in capsys.readouterr().out


def test_bad_configuration_is_reported(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("WXZJ_IDLE_LOCK_MINUTES", "soon")
    assert main(["db", "upgrade"]) == 2
    assert "应为整数分钟" in capsys.readouterr().err
