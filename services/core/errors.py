"""Errors a service raises for the screen to show. Messages are Chinese and meant for the clerk."""

from __future__ import annotations


class ServiceError(Exception):
    """A business rule said no. `field` names the form field at fault, when there is one."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class PermissionDenied(ServiceError):
    def __init__(self, message: str = "您没有办理此业务的权限") -> None:
        super().__init__(message)


class NotFound(ServiceError):
    pass


class ValidationError(ServiceError):
    pass


class StaleRecord(ServiceError):
    """Someone else changed the record since it was read (the version column moved on)."""

    def __init__(self, message: str = "该记录已被他人修改，请刷新后重试") -> None:
        super().__init__(message)


class SessionEnded(ServiceError):
    """The acting user, identity or organisation is no longer active: the session must end now, not at
    the next login. The screen shows why and goes back to the login screen."""

    def __init__(self, message: str = "您的账户已停用或已无此身份，请重新登录") -> None:
        super().__init__(message)
