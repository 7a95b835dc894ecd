"""The functions each role may use. Menus and the command palette read this; the services check it
again on every call, so hiding a menu entry is never the only protection."""

from __future__ import annotations

from dataclasses import dataclass

from services.core.actor import Actor
from services.core.errors import PermissionDenied

ALL_ROLES = frozenset(
    {"enterprise_admin", "enterprise_operator", "office_operator", "reviewer", "sysadmin", "registrant"}
)


@dataclass(frozen=True)
class Function:
    key: str
    label: str
    help: str
    roles: frozenset[str]


ORDER_ROLES = frozenset({"enterprise_admin", "enterprise_operator", "office_operator"})
ADMIN_ROLES = frozenset({"enterprise_admin"})
SUBORDINATE_ROLES = frozenset({"enterprise_operator", "office_operator"})

FUNCTIONS: tuple[Function, ...] = (
    Function("task_orders", "商品房维修支取申请", "新建、查看、撤销维修支取任务单", ORDER_ROLES),
    Function("review", "审核业务", "审核本辖区提交的维修支取任务单：审核通过、审批退回、撤销", frozenset({"reviewer"})),
    Function("unit_application", "物业单位注册申请", "录入单位信息提交区县管理部审核，打印物业单位注册申请单",
             frozenset({"registrant"})),
    Function("unit_review", "单位注册审核", "审核物业单位注册申请：审核通过并发放密钥、审批退回",
             frozenset({"reviewer"})),
    Function("business_log", "业务流水查询", "按时间段、业务类型、交易渠道、申请编号查询业务流水", ALL_ROLES),
    Function("change_password", "修改密码", "修改本人的登录密码", ALL_ROLES),
    Function("otp", "动态口令", "启用或停用本人的动态口令（OTP），重新生成恢复码", ALL_ROLES - {"registrant"}),
    Function("real_name", "实名认证", "向本企业管理员提交本人的实名认证申请，查看审核结果", SUBORDINATE_ROLES),
    Function("association", "物业区域关联", "查询开发企业名下的小区，勾选后提交物业区域关联申请并添加附件",
             frozenset({"enterprise_admin", "enterprise_operator"})),
    Function("association_review", "物业区域关联审核", "审核本辖区物业服务企业的物业区域关联申请，查看附件",
             frozenset({"reviewer"})),
    Function("unit_info", "单位信息管理", "查看单位核心信息，变更单位辅助信息（变更单位名称须质监校验）",
             frozenset({"enterprise_admin"})),
    Function("reprint", "补打", "按单据流水号、单据类型查找本单位打印过的单据并重新打印",
             ORDER_ROLES | {"registrant"}),
    Function("operators", "操作员管理", "新增、查询、修改、删除本企业及其小区管理处的操作员", ADMIN_ROLES),
    Function("user_review", "用户审核", "审核下属人员提交的实名认证申请：通过、驳回", ADMIN_ROLES),
    Function("data_import", "数据导入", "从 Excel 或 CSV 导入小区、自然幢、房屋、业主和期初余额",
             frozenset({"sysadmin", "reviewer"})),
)


def functions_for(actor: Actor) -> list[Function]:
    return [f for f in FUNCTIONS if actor.role in f.roles]


def require(actor: Actor, key: str) -> None:
    function = next(f for f in FUNCTIONS if f.key == key)
    if actor.role not in function.roles:
        raise PermissionDenied(f"您的角色不能使用“{function.label}”功能")
