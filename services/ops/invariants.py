"""`wxzj check`: the fund's invariants, verified over the whole database.

Each rule is one set-based query that returns the rows breaking it, so a million accounts take
seconds rather than a million round trips. The rules:

- an account's balance is the sum of its ledger entries, and each entry's balance_after is the
  previous entry's (in posting order) plus its amount;
- no account has a negative balance, frozen amount or available amount;
- an account's frozen amount is the sum of its active freezes;
- every active freeze belongs to a submitted order and matches that order's deduction for the house;
- an approved order's withdrawals equal its deductions, house by house and in total, and only
  approved orders have withdrawals;
- each line's deduction and arrears add up to its share, and an order's shares to its amount;
- the audit trail's hash chain is whole and ends where its sealed head (outside the table) says.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import text

from services.core.audit_seal import head_problems
from services.core.business_log import verify_audit_chain
from services.core.money import format_fen
from services.task_orders.queries import STATUS_LABELS

SAMPLES = 20  # rows shown per broken rule


@dataclass(frozen=True)
class Rule:
    title: str
    sql: str
    describe: Callable[..., str]


def _status(code: str) -> str:
    return STATUS_LABELS.get(code, code)


# `freeze` is a reserved word in PostgreSQL: every raw mention of the table is quoted.
RULES: tuple[Rule, ...] = (
    Rule("余额与账目合计不符", """
        SELECT account_no, balance, total FROM (
          SELECT a.account_no, a.balance,
                 COALESCE((SELECT SUM(e.amount) FROM ledger_entry e WHERE e.account_id = a.id), 0) AS total
          FROM fund_account a) s
        WHERE balance <> total""",
         lambda no, balance, total: f"分户账 {no}：余额 {format_fen(balance)} 元，账目合计 {format_fen(total)} 元"),
    Rule("记账后余额不连续", """
        SELECT (SELECT account_no FROM fund_account WHERE id = e.account_id), e.id, e.balance_after,
               e.prev + e.amount FROM (
          SELECT id, account_id, amount, balance_after,
                 LAG(balance_after, 1, 0) OVER (PARTITION BY account_id ORDER BY id) AS prev
          FROM ledger_entry) e
        WHERE e.balance_after <> e.prev + e.amount""",
         lambda no, entry, after, expected: f"分户账 {no} 第 {entry} 号账目：记账后余额 {format_fen(after)} 元，"
                                            f"按上一笔应为 {format_fen(expected)} 元"),
    Rule("余额、冻结额或可用余额为负", """
        SELECT account_no, balance, frozen FROM fund_account WHERE balance < 0 OR frozen < 0 OR frozen > balance""",
         lambda no, balance, frozen: f"分户账 {no}：余额 {format_fen(balance)} 元，冻结 {format_fen(frozen)} 元，"
                                     f"可用 {format_fen(balance - frozen)} 元"),
    Rule("冻结额与有效冻结合计不符", """
        SELECT a.account_no, a.frozen, COALESCE(f.total, 0) FROM fund_account a
        LEFT JOIN (SELECT account_id, SUM(amount) AS total FROM "freeze" WHERE status = 'active' GROUP BY account_id) f
          ON f.account_id = a.id
        WHERE a.frozen <> COALESCE(f.total, 0)""",
         lambda no, frozen, total: f"分户账 {no}：冻结额 {format_fen(frozen)} 元，有效冻结合计 {format_fen(total)} 元"),
    Rule("冻结不属于待审核任务单", """
        SELECT COALESCE(o.application_no, CAST(o.id AS VARCHAR(24))), o.status, a.account_no, f.amount FROM "freeze" f
        JOIN task_order o ON o.id = f.task_order_id JOIN fund_account a ON a.id = f.account_id
        WHERE f.status = 'active' AND o.status <> 'submitted'""",
         lambda no, status, account, amount: f"任务单 {no}（{_status(status)}）仍冻结分户账 {account} "
                                             f"{format_fen(amount)} 元"),
    Rule("待审核任务单的冻结与扣款不符", """
        SELECT o.application_no, a.account_no, l.deducted, COALESCE(f.amount, 0) FROM task_order_line l
        JOIN task_order o ON o.id = l.task_order_id JOIN fund_account a ON a.house_id = l.house_id
        LEFT JOIN "freeze" f ON f.task_order_id = l.task_order_id AND f.account_id = a.id AND f.status = 'active'
        WHERE o.status = 'submitted' AND COALESCE(f.amount, 0) <> l.deducted""",
         lambda no, account, deducted, frozen: f"任务单 {no} 分户账 {account}：扣款 {format_fen(deducted)} 元，"
                                               f"冻结 {format_fen(frozen)} 元"),
    Rule("冻结没有对应的分摊明细", """
        SELECT COALESCE(o.application_no, CAST(o.id AS VARCHAR(24))), a.account_no, f.amount FROM "freeze" f
        JOIN task_order o ON o.id = f.task_order_id JOIN fund_account a ON a.id = f.account_id
        LEFT JOIN task_order_line l ON l.task_order_id = f.task_order_id AND l.house_id = a.house_id
        WHERE f.status = 'active' AND l.id IS NULL""",
         lambda no, account, amount: f"任务单 {no} 冻结分户账 {account} {format_fen(amount)} 元，但分摊明细中没有该房屋"),
    Rule("审核通过任务单的支取与扣款不符（逐户）", """
        SELECT o.application_no, a.account_no, l.deducted, COALESCE(-e.amount, 0) FROM task_order_line l
        JOIN task_order o ON o.id = l.task_order_id JOIN fund_account a ON a.house_id = l.house_id
        LEFT JOIN ledger_entry e ON e.task_order_id = l.task_order_id AND e.account_id = a.id AND e.kind = 'withdrawal'
        WHERE o.status = 'approved' AND COALESCE(-e.amount, 0) <> l.deducted""",
         lambda no, account, deducted, withdrawn: f"任务单 {no} 分户账 {account}：扣款 {format_fen(deducted)} 元，"
                                                  f"支取 {format_fen(withdrawn)} 元"),
    Rule("审核通过任务单的支取与扣款不符（合计）", """
        SELECT o.application_no, d.total, COALESCE(w.total, 0) FROM task_order o
        JOIN (SELECT task_order_id, SUM(deducted) AS total FROM task_order_line GROUP BY task_order_id) d
          ON d.task_order_id = o.id
        LEFT JOIN (SELECT task_order_id, -SUM(amount) AS total FROM ledger_entry
                   WHERE kind = 'withdrawal' AND task_order_id IS NOT NULL GROUP BY task_order_id) w
          ON w.task_order_id = o.id
        WHERE o.status = 'approved' AND d.total <> COALESCE(w.total, 0)""",
         lambda no, deducted, withdrawn: f"任务单 {no}：扣款合计 {format_fen(deducted)} 元，"
                                         f"支取合计 {format_fen(withdrawn)} 元"),
    Rule("支取不属于审核通过的任务单", """
        SELECT COALESCE(o.application_no, CAST(o.id AS VARCHAR(24))), o.status, a.account_no, e.amount
        FROM ledger_entry e JOIN task_order o ON o.id = e.task_order_id JOIN fund_account a ON a.id = e.account_id
        LEFT JOIN task_order_line l ON l.task_order_id = e.task_order_id AND l.house_id = a.house_id
        WHERE e.kind = 'withdrawal' AND (o.status <> 'approved' OR l.id IS NULL)""",
         lambda no, status, account, amount: f"任务单 {no}（{_status(status)}）在分户账 {account} "
                                             f"支取 {format_fen(-amount)} 元，但该任务单未审核通过或不含该房屋"),
)

RULES += (
    Rule("分摊明细的扣款与欠款之和不等于分摊金额", """
        SELECT o.application_no, l.room_no, l.share, l.deducted, l.arrears FROM task_order_line l
        JOIN task_order o ON o.id = l.task_order_id WHERE l.deducted + l.arrears <> l.share""",
         lambda no, room, share, deducted, arrears: f"任务单 {no} 房屋 {room}：分摊 {format_fen(share)} 元，"
                                                    f"扣款 {format_fen(deducted)} 元 + 欠款 {format_fen(arrears)} 元"),
    Rule("任务单申请支取金额与分摊明细合计不符", """
        SELECT o.application_no, o.amount_fen, s.total FROM task_order o
        JOIN (SELECT task_order_id, SUM(share) AS total FROM task_order_line GROUP BY task_order_id) s
          ON s.task_order_id = o.id
        WHERE o.amount_fen <> s.total""",
         lambda no, amount, total: f"任务单 {no}：申请支取金额 {format_fen(amount)} 元，分摊合计 {format_fen(total)} 元"),
)

COUNTS = {
    "accounts": "SELECT count(*) FROM fund_account",
    "entries": "SELECT count(*) FROM ledger_entry",
    "freezes": 'SELECT count(*) FROM "freeze" WHERE status = \'active\'',
    "orders": "SELECT count(*) FROM task_order WHERE application_no IS NOT NULL",
}


@dataclass
class CheckReport:
    counts: dict[str, int]
    problems: list[tuple[str, list[str], bool]] = field(default_factory=list)  # (rule, samples, more than shown)

    @property
    def clean(self) -> bool:
        return not self.problems

    def lines(self) -> list[str]:
        c = self.counts
        head = (f"分户账 {c['accounts']:,} 户，账目 {c['entries']:,} 笔，有效冻结 {c['freezes']:,} 笔，"
                f"已提交任务单 {c['orders']:,} 张")
        if self.clean:
            return [f"检查通过：{head}，未发现问题"]
        lines = [f"检查发现问题：{head}"]
        for title, samples, more in self.problems:
            lines.append(f"【{title}】")
            lines += [f"  {s}" for s in samples]
            if more:
                lines.append(f"  ……（仅列出前 {SAMPLES} 处）")
        lines.append(f"共 {len(self.problems)} 类问题")
        return lines


def check(db) -> CheckReport:
    """Run every rule in one read transaction, so all of them see the same moment."""
    with db.read() as session:
        report = CheckReport({key: session.execute(text(sql)).scalar_one() for key, sql in COUNTS.items()})
        for rule in RULES:
            rows = session.execute(text(f"{rule.sql} LIMIT {SAMPLES + 1}")).all()
            if rows:
                report.problems.append((rule.title, [rule.describe(*r) for r in rows[:SAMPLES]], len(rows) > SAMPLES))
        broken = verify_audit_chain(session)
        if broken:
            report.problems.append(("审计记录链断裂（记录被改写或删除）",
                                    [f"第 {i} 号审计记录的哈希与前一条不衔接" for i in broken[:SAMPLES]],
                                    len(broken) > SAMPLES))
        head = head_problems(session)
        if head:
            report.problems.append(("审计链头与审计记录不符", head, False))
        return report
