"""What makes an acceptable new password."""

from __future__ import annotations

from services.core.errors import ValidationError

MIN_LENGTH = 8
MAX_LENGTH = 128


def check_new_password(new: str, confirm: str, *, old: str | None = None) -> None:
    if not new:
        raise ValidationError("请输入新密码", field="new")
    if len(new) < MIN_LENGTH or len(new) > MAX_LENGTH:
        raise ValidationError(f"密码长度应为{MIN_LENGTH}到{MAX_LENGTH}个字符", field="new")
    if not (any(c.isalpha() for c in new) and any(c.isdigit() for c in new)):
        raise ValidationError("密码须同时包含字母和数字", field="new")
    if old is not None and new == old:
        raise ValidationError("新密码不能与原密码相同", field="new")
    if confirm != new:
        raise ValidationError("两次输入的密码不一致", field="confirm")
