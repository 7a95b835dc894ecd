"""Which screen opens each function of services.core.functions."""

from __future__ import annotations

from collections.abc import Callable

from textual.screen import Screen


def _business_log() -> Screen:
    from screens.records.business_log import BusinessLogScreen

    return BusinessLogScreen(open_business=business_screen)


def _association() -> Screen:
    from screens.estate.association import AssociationScreen

    return AssociationScreen()


def _association_review() -> Screen:
    from screens.review.associations import AssociationQueueScreen

    return AssociationQueueScreen()


def _unit_info() -> Screen:
    from screens.admin.unit_info import UnitInfoScreen

    return UnitInfoScreen()


def business_screen(kind: str, target_id: int, role: str) -> Screen | None:
    """The screen that opens one business of the business log (业务流水查询's Enter), for this role."""
    if kind == "task_order":
        if role == "reviewer":
            from screens.review.task_orders import ReviewOrderScreen

            return ReviewOrderScreen(target_id)
        from screens.task_orders.view import OrderInfoDialog

        return OrderInfoDialog(target_id)
    if kind == "association":
        if role == "reviewer":
            from screens.review.associations import AssociationReviewScreen

            return AssociationReviewScreen(target_id)
        from screens.estate.association import ApplicationDialog

        return ApplicationDialog(target_id)
    return None


def _change_password() -> Screen:
    from screens.identity.change_password import ChangePasswordScreen

    return ChangePasswordScreen()


def _otp() -> Screen:
    from screens.identity.otp_account import OtpAccountScreen

    return OtpAccountScreen()


def _task_orders() -> Screen:
    from screens.task_orders.home import TaskOrderHomeScreen

    return TaskOrderHomeScreen()


def _reprint() -> Screen:
    from screens.records.reprint import ReprintScreen

    return ReprintScreen()


def _review() -> Screen:
    from screens.review.task_orders import ReviewQueueScreen

    return ReviewQueueScreen()


def _unit_application() -> Screen:
    from screens.identity.unit_application_open import UnitApplicationOpener

    return UnitApplicationOpener()


def _unit_review() -> Screen:
    from screens.review.unit_applications import UnitReviewQueueScreen

    return UnitReviewQueueScreen()


def _operators() -> Screen:
    from screens.admin.operators import OperatorListScreen

    return OperatorListScreen()


def _user_review() -> Screen:
    from screens.admin.user_review import UserReviewScreen

    return UserReviewScreen()


def _real_name() -> Screen:
    from screens.admin.real_name import RealNameScreen

    return RealNameScreen()


def _data_import() -> Screen:
    from screens.transfer.import_screen import ImportScreen

    return ImportScreen()


SCREENS: dict[str, Callable[[], Screen]] = {
    "data_import": _data_import,
    "unit_application": _unit_application,
    "unit_review": _unit_review,
    "task_orders": _task_orders,
    "review": _review,
    "reprint": _reprint,
    "business_log": _business_log,
    "change_password": _change_password,
    "otp": _otp,
    "operators": _operators,
    "user_review": _user_review,
    "real_name": _real_name,
    "association": _association,
    "association_review": _association_review,
    "unit_info": _unit_info,
}

# The module of each function's screen: imported by `warm` once Home's cursor is on the function, so the
# first Enter on it does not wait for its imports (0.3-0.8 s for 商品房维修支取申请 on a busy server).
MODULES: dict[str, str] = {
    "data_import": "screens.transfer.import_screen",
    "unit_application": "screens.identity.unit_application_open",
    "unit_review": "screens.review.unit_applications",
    "task_orders": "screens.task_orders.home",
    "review": "screens.review.task_orders",
    "reprint": "screens.records.reprint",
    "business_log": "screens.records.business_log",
    "change_password": "screens.identity.change_password",
    "otp": "screens.identity.otp_account",
    "operators": "screens.admin.operators",
    "user_review": "screens.admin.user_review",
    "real_name": "screens.admin.real_name",
    "association": "screens.estate.association",
    "association_review": "screens.review.associations",
    "unit_info": "screens.admin.unit_info",
}


def warm(keys) -> None:
    """Import the screens of these functions (in a worker thread: imports are thread-safe, and the
    workers of every screen already import services lazily). A module that fails to import here fails
    again, with its error shown as usual, when the clerk opens it."""
    import importlib

    for key in keys:
        try:
            if key in MODULES:
                importlib.import_module(MODULES[key])
        except Exception:  # noqa: BLE001 - reported when the screen is opened
            pass

