"""Which screen opens each function of services.core.functions."""

from __future__ import annotations

from collections.abc import Callable

from textual.screen import Screen


def _business_log() -> Screen:
    from screens.records.business_log import BusinessLogScreen

    return BusinessLogScreen()


def _change_password() -> Screen:
    from screens.identity.change_password import ChangePasswordScreen

    return ChangePasswordScreen()


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
    "operators": _operators,
    "user_review": _user_review,
    "real_name": _real_name,
}
