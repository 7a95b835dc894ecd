"""How operators' roles, department kinds and statuses are named on the operator screens (Shanghai 1.3)."""

from __future__ import annotations

OPERATOR_ID_BASE = 100_000  # 操作员ID = this + the user's id: a number, as the manual shows them

ROLE_LABELS = {
    "enterprise_admin": "企业管理员",
    "enterprise_operator": "物业管理企业",
    "office_operator": "小区管理处",
}
CATEGORY_LABELS = {"enterprise": "物业管理企业", "office": "小区管理处"}
STATUS_LABELS = {"active": "正常使用", "disabled": "停用"}
# The roles a department of each kind may hold; the administrator role is the enterprise's own.
ROLES_FOR_KIND = {"enterprise": ("enterprise_operator", "enterprise_admin"), "office": ("office_operator",)}


def mask_mobile(mobile: str | None) -> str:
    """138****1234: the list never shows a whole number, only the detail does."""
    if not mobile:
        return ""
    if len(mobile) < 7:
        return "*" * len(mobile)
    return f"{mobile[:3]}****{mobile[-4:]}"


def mask_id_no(id_no: str | None) -> str:
    if not id_no:
        return ""
    if len(id_no) <= 8:
        return "*" * len(id_no)
    return f"{id_no[:4]}{'*' * (len(id_no) - 8)}{id_no[-4:]}"
