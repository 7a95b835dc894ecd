"""Calling a service from a screen: in a thread worker, with the result delivered on the UI thread.

    calls.run(self, queries.list_orders, tab, done=self._show)

`service` is called as `service(database, actor, *args, **kwargs)` in a thread worker (compose several
calls with a lambda taking `db, actor`). Then, on the UI thread:
- success: `done(result)`;
- a ServiceError: `failed(error)`; by default the screen's `show_error(error)` when it has one (the
  screen puts the message at `error.field`), else a notification. Refusals are logged, one line each.
- anything else: logged with its traceback, the user and the screen under a reference, and shown as a
  short Chinese message naming that reference (a storage fault as its one line: 数据库忙，请稍后重试); `failed`, when given, also hears of it as a ServiceError
  so a form can leave its busy state.
Nothing a worker does touches a widget, and a result for a screen that has gone away is dropped.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.dom import DOMNode
from textual.worker import Worker, get_current_worker

from services.core.errors import ServiceError
from tui.logs import logger, new_reference

_log = logger("calls")


def unexpected_message(reference: str) -> str:
    return f"系统错误，操作未完成。请重试；如仍不成功，请把参考号 {reference} 告知系统管理员。"


def run(node: DOMNode, service: Callable[..., Any], *args: Any, done: Callable[[Any], None] | None = None,
        failed: Callable[[ServiceError], None] | None = None, group: str = "service", exclusive: bool = True,
        **kwargs: Any) -> Worker:
    app = node.app
    screen_name = type(node.screen if hasattr(node, "screen") else node).__name__

    def deliver(callback: Callable[..., None] | None, value: Any) -> None:
        if callback is not None and not get_current_worker().is_cancelled:
            app.call_from_thread(_if_mounted, node, callback, value)

    def work() -> None:
        actor = getattr(app, "actor", None)
        try:
            result = service(app.database(), actor, *args, **kwargs)
        except ServiceError as error:
            _log.info("refused %s user=%s screen=%s field=%s: %s", _name(service), _user(actor), screen_name,
                      error.field, error.message)
            deliver(failed or _default_failed(node), error)
        except Exception as error:  # noqa: BLE001 - the boundary where anything unexpected is reported
            reference = new_reference()
            _log.error("unexpected %s ref=%s user=%s screen=%s", _name(service), reference, _user(actor),
                       screen_name, exc_info=error)
            from models.faults import storage_fault

            message = storage_fault(error) or unexpected_message(reference)  # 数据库忙… needs no reference
            app.call_from_thread(app.notify, message, title="系统错误", severity="error", timeout=20)
            if failed is not None:
                deliver(failed, ServiceError(message))
        else:
            deliver(done, result)

    return node.run_worker(work, thread=True, group=group, exclusive=exclusive, exit_on_error=False)


def _if_mounted(node: DOMNode, callback: Callable[[Any], None], value: Any) -> None:
    if node.is_attached:
        callback(value)


def _default_failed(node: DOMNode) -> Callable[[ServiceError], None]:
    target = node if hasattr(node, "show_error") else getattr(node, "screen", node)
    show = getattr(target, "show_error", None)
    if show is not None:
        return show
    return lambda error: node.app.notify(error.message, severity="error", timeout=8)


def _name(service: Callable[..., Any]) -> str:
    return f"{getattr(service, '__module__', '?')}.{getattr(service, '__qualname__', repr(service))}"


def _user(actor: Any) -> str:
    return getattr(actor, "username", "-") or "-"
