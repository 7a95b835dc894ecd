"""What makes an acceptable new password: the strength rules of `validators.password_strength`, then the
confirmation typed a second time."""

from __future__ import annotations

from services.core.errors import ValidationError
from services.identity.validators import PASSWORD_MAX as MAX_LENGTH  # noqa: F401  (kept for callers)
from services.identity.validators import PASSWORD_MIN as MIN_LENGTH  # noqa: F401
from services.identity.validators import password_strength


def check_new_password(new: str, confirm: str, *, old: str | None = None, username: str | None = None,
                       field: str = "new", confirm_field: str = "confirm") -> None:
    if not new:
        raise ValidationError("请输入新密码", field=field)
    password_strength(new, username=username, old=old, field=field)
    if confirm != new:
        raise ValidationError("两次输入的密码不一致", field=confirm_field)
