"""`wxzj import`: the template, a dry run, the import, and the error report from the shell."""

from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from models import BusinessLog, House
from tests.transfer_files import BUILDINGS, COMMUNITIES, header, house_rows, write_csv, write_xlsx
from tui.cli import main


@pytest.fixture
def estate_files(build, tmp_path):
    build.district("朝阳区")
    build.user("root", roles=(("sysadmin", None),))
    return (write_xlsx(tmp_path / "c.xlsx", header("communities"), COMMUNITIES),
            write_csv(tmp_path / "b.csv", header("buildings"), BUILDINGS, "gb18030"))


def test_template_then_dry_run_then_import(db, db_url, estate_files, tmp_path, capsys):
    template = tmp_path / "tpl.xlsx"
    assert main(["import", "--template", "houses", "-o", str(template)]) == 0
    assert [c.value for c in load_workbook(template).active[1]] == header("houses")
    communities, buildings = estate_files
    assert main(["--database-url", db_url, "import", "communities", str(communities)]) == 0
    assert main(["--database-url", db_url, "import", "buildings", str(buildings)]) == 0
    out = capsys.readouterr().out
    assert "b.csv（自然幢，GB18030）：共 3 行，全部正确。已导入。" in out

    houses = write_xlsx(tmp_path / "h.xlsx", header("houses"), house_rows(4))
    assert main(["--database-url", db_url, "import", "houses", str(houses), "--dry-run"]) == 0
    assert "检查通过，可以导入" in capsys.readouterr().out
    with db.read() as s:
        assert s.execute(select(func.count()).select_from(House)).scalar_one() == 0
    assert main(["--database-url", db_url, "import", "houses", str(houses)]) == 0
    with db.read() as s:
        assert s.execute(select(func.count()).select_from(House)).scalar_one() == 4
        channel = s.execute(select(BusinessLog.channel).where(BusinessLog.business_type == "数据导入")
                            .order_by(BusinessLog.id.desc())).scalars().first()
        assert channel == "命令行"


def test_errors_are_listed_and_reported_and_the_exit_code_says_so(db, db_url, estate_files, tmp_path, capsys):
    communities, buildings = estate_files
    main(["--database-url", db_url, "import", "communities", str(communities)])
    main(["--database-url", db_url, "import", "buildings", str(buildings)])
    rows = house_rows(3)
    rows[1] = rows[1][:8] + ("-1",) + rows[1][9:]
    report = tmp_path / "errors.xlsx"
    path = write_xlsx(tmp_path / "h.xlsx", header("houses"), rows)
    assert main(["--database-url", db_url, "import", "houses", str(path), "--report", str(report)]) == 1
    out = capsys.readouterr().out
    assert "1 行有问题" in out and "第 3 行 建筑面积(㎡)：建筑面积(㎡)须大于0（-1）" in out
    assert load_workbook(BytesIO(report.read_bytes())).active["D2"].value == "建筑面积(㎡)须大于0"
    with db.read() as s:
        assert s.execute(select(func.count()).select_from(House)).scalar_one() == 0
    assert main(["--database-url", db_url, "import", "houses", str(path), "--valid-only"]) == 0
    with db.read() as s:
        assert s.execute(select(func.count()).select_from(House)).scalar_one() == 2
    assert main(["--database-url", db_url, "import", "houses", str(tmp_path / "none.xlsx")]) == 2
    assert "找不到文件" in capsys.readouterr().err
    assert main(["--database-url", db_url, "import", "houses"]) == 2
