"""Plain-data snapshots for the report tests: deterministic, with long names and rare characters."""

from __future__ import annotations

from reports.data import LineData, OrderData, Payment, Stamp

RARE_OWNERS = ("王喆", "李堃", "张镕", "刘䶮")
LONG_OWNER = "北京城建房地产开发有限公司与北京万和置业有限公司联合体（未售房屋）"


def sample_lines(count: int, buildings: int = 3, short_every: int = 7) -> tuple[LineData, ...]:
    """`count` houses over `buildings` buildings of 2 units, 2 rooms a floor; every
    `short_every`-th house is short of balance."""
    lines = []
    per_building = -(-count // buildings)
    for index in range(count):
        building, rest = divmod(index, per_building)
        unit, rest = divmod(rest, -(-per_building // 2))
        floor, room = divmod(rest, 2)
        share = 123_45 + index % 97 * 11
        available = share // 3 if index % short_every == 3 else share + 50_000
        owner = (RARE_OWNERS[index % 4] if index % 5 else LONG_OWNER) if index % 11 else f"业主{index:05d}"
        lines.append(LineData(f"{building + 1}号楼", unit + 1, floor + 1, f"{floor + 1}{room + 1:02d}", owner,
                              8950 + index % 13 * 100, share, available, max(share - available, 0)))
    return tuple(lines)


def sample_order(lines: tuple[LineData, ...] = (), *, city: str = "北京市", payment: bool = True) -> OrderData:
    every = lines or sample_lines(40)
    amount = sum(x.share for x in every)
    short = [x for x in every if x.arrears]
    return OrderData(
        city=city, application_no="WX20260315000042", submitted_on="2026-03-15", district="朝阳区",
        community="泰和名邸", community_address="北京市朝阳区世纪南路237号泰和名邸小区东门物业服务中心旁",
        enterprise="北京泰和物业服务有限责任公司第一分公司（朝阳区世纪南路项目部）",
        enterprise_code="91110105MA01ABCD2X", department="朝阳区住房和城乡建设委员会维修资金管理部",
        project_name="1号楼、2号楼、3号楼屋面防水层整体翻修及雨水管更换工程", repair_category="屋面防水",
        repair_part="屋面及雨水管", repair_content="铲除原有防水层，重做SBS改性沥青防水卷材两道；更换破损雨水管及雨水斗。" * 3,
        emergency="否", contractor="北京建工防水工程有限公司", budget=amount + 1_000_00, amount=amount,
        method="按建筑面积", plan_start="2026-04-01", plan_end="2026-05-30", contact_name="王芳",
        contact_phone="13812345678", households=len(every), area=sum(x.area for x in every), rate="12.35",
        remark="施工期间请业主配合，注意安全。", replaces="",
        total_deducted=sum(x.deducted for x in every), total_arrears=sum(x.arrears for x in every),
        arrears_count=len(short), lines=lines,
        payment=Payment("2026-04-15", "北京泰和物业服务有限责任公司第一分公司", "北京市朝阳区世纪南路237号物业服务中心",
                        "王芳 13812345678") if payment else None,
    )


STAMP = Stamp("DY20260315000007", "2026-03-15 10:20:30")
REPRINT = Stamp("DY20260315000007", "2026-03-20 16:05:09", reprint=True)
