"""The texts of the messages the system sends, worded for the clerk who receives them."""

from __future__ import annotations

SIGNATURE = "【住宅专项维修资金管理系统】"
CODE_MINUTES = 5

# template → (e-mail subject, text); {code} is replaced by a verification code and masked after use.
TEMPLATES: dict[str, tuple[str, str]] = {
    "verify_code": (
        "验证码",
        SIGNATURE + "您的验证码为{code}，{minutes}分钟内有效，请勿泄露给他人。",
    ),
    "login_code": (
        "登录验证码",
        SIGNATURE + "您正在登录维修资金系统，验证码为{code}，{minutes}分钟内有效，请勿泄露给他人。",
    ),
    "activate_email": (
        "未认证用户注册邮箱校验",
        "您好，{name}：\n\n您正在注册住宅专项维修资金管理系统未认证用户。邮箱校验码为 {code}，"
        "{minutes}分钟内有效。请在注册界面的“电子邮箱校验”中输入此校验码完成激活。\n\n"
        "如非本人操作，请忽略本邮件。\n" + SIGNATURE,
    ),
    "initial_password": (
        "初始密码",
        SIGNATURE + "{name}，您的账户已开通，登录名{login}，初始密码{password}，首次登录须修改密码。",
    ),
    "application_returned": (
        "申请被退回",
        SIGNATURE + "您的{business}（申请编号{application_no}）已被退回，原因：{reason}。请登录系统修改后重新提交。",
    ),
    "realname_approved": (
        "实名认证审核通过",
        SIGNATURE + "{name}，您提交的实名认证申请已审核通过。",
    ),
    "realname_rejected": (
        "实名认证申请被驳回",
        SIGNATURE + "{name}，您提交的实名认证申请已被驳回，原因：{reason}。请登录系统修改后重新提交。",
    ),
    "application_approved": (
        "申请审核通过",
        SIGNATURE + "您的{business}（申请编号{application_no}）已审核通过。",
    ),
}


def render(template: str, **values) -> tuple[str, str]:
    subject, text = TEMPLATES[template]
    return subject, text.format(minutes=CODE_MINUTES, **values)
