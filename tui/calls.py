"""Calling a service from a screen: in a thread worker, with the result delivered on the UI thread.

    calls.run(self, queries.list_orders, tab, done=self._show)

`service` is called as `service(database, actor, *args, **kwargs)` in a thread worker (compose several
calls with a lambda taking `db, actor`). Then, on the UI thread:
- success: `done(result)`;
- SessionEnded (the user, identity or organisation was disabled meanwhile): the reason is shown and
  the app goes back to the login screen; neither `done` nor `failed` runs;
- a ServiceError: `failed(error)`; by default the screen's `show_error(error)` when it has one (the
  screen puts the message at `error.field`), else a notification. Refusals are logged, one line each.
- anything else: logged with its traceback, the user and the screen under a reference, and shown as a
  Chinese notification naming that reference; `failed` (or else the screen's `show_error`) also hears
  of it as an `UnexpectedError` (a ServiceError with a short message and the reference) so a form can
  leave its busy state and say so where the clerk looks. A storage fault (a database busy past its
  timeout, a full disk) is shown as its one Chinese line instead (models.faults).
With `progress=callback`, the service also gets a `progress` keyword: a function the worker calls
with any arguments (e.g. `progress(done, total)`) and that runs `callback(...)` on the UI thread.
Nothing a worker does touches a widget, and a result for a screen that has gone away is dropped.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable
from typing import Any

from textual.dom import DOMNode
from textual.worker import Worker, get_current_worker

from services.core.errors import ServiceError, SessionEnded
from tui.logs import logger, new_reference

_log = logger("calls")


def unexpected_message(reference: str) -> str:
    return f"系统错误，操作未完成。请重试；如仍不成功，请把参考号 {reference} 告知系统管理员。"


class UnexpectedError(ServiceError):
    """What `failed` hears of an unexpected exception: the reference first, so a one-line message
    field at 80 columns still shows it."""

    def __init__(self, reference: str) -> None:
        super().__init__(f"系统错误（参考号 {reference}），操作未完成")
        self.reference = reference


def run(node: DOMNode, service: Callable[..., Any], *args: Any, done: Callable[[Any], None] | None = None,
        failed: Callable[[ServiceError], None] | None = None, progress: Callable[..., None] | None = None,
        group: str = "service", exclusive: bool = True, **kwargs: Any) -> Worker:
    app = node.app
    screen_name = type(node.screen if hasattr(node, "screen") else node).__name__
    # Callbacks run in the caller's context, not the worker thread's: a screen that `done` opens starts
    # its task in the context it is opened from, and the worker's context holds the worker, which
    # holds this node's screen: the screen that opened it would live as long as the new one.
    caller = contextvars.copy_context()

    def deliver(callback: Callable[..., None] | None, *values: Any) -> None:
        if callback is not None and not get_current_worker().is_cancelled:
            app.call_from_thread(_in_context, caller.copy(), node, callback, *values)

    if progress is not None:
        kwargs["progress"] = lambda *values: deliver(progress, *values)

    def work() -> None:
        actor = getattr(app, "actor", None)
        try:
            result = service(app.database(), actor, *args, **kwargs)
        except SessionEnded as error:
            _log.info("session ended %s user=%s screen=%s: %s", _name(service), _user(actor), screen_name,
                      error.message)
            app.call_from_thread(_end_session, app, error.message)
        except ServiceError as error:
            _log.info("refused %s user=%s screen=%s field=%s: %s", _name(service), _user(actor), screen_name,
                      error.field, error.message)
            deliver(failed or _default_failed(node), error)
        except Exception as error:  # noqa: BLE001 - the boundary where anything unexpected is reported
            reference = new_reference()
            _log.error("unexpected %s ref=%s user=%s screen=%s", _name(service), reference, _user(actor),
                       screen_name, exc_info=error)
            from models.faults import storage_fault

            fault = storage_fault(error)  # 数据库忙，请稍后重试 / 磁盘空间不足…: one line, no reference needed
            app.call_from_thread(app.notify, fault or unexpected_message(reference), title="系统错误",
                                 severity="error", timeout=20)
            deliver(failed or _show_error(node), ServiceError(fault) if fault else UnexpectedError(reference))
        else:
            deliver(done, result)

    return node.run_worker(work, thread=True, group=group, exclusive=exclusive, exit_on_error=False)


def _end_session(app, message: str) -> None:
    """The account or identity was disabled meanwhile: say why, back to the login screen."""
    if getattr(app, "actor", None) is None:
        return
    app.end_session()
    app.notify(message, title="会话已结束", severity="error", timeout=20, markup=False)


def _in_context(context: contextvars.Context, node: DOMNode, callback: Callable[..., None], *values: Any) -> None:
    context.run(_if_open, node, callback, *values)


def _if_open(node: DOMNode, callback: Callable[..., None], *values: Any) -> None:
    """Deliver only to the app or to a screen still on the stack: a screen that has just closed stays
    attached while Textual takes its widgets down, and a callback that looked for one of them raised
    (a draft's building cards arriving as the clerk discarded the draft)."""
    app = node.app
    if node is app or (node.is_attached and node.screen in app.screen_stack):
        callback(*values)


def _show_error(node: DOMNode) -> Callable[[ServiceError], None] | None:
    target = node if hasattr(node, "show_error") else getattr(node, "screen", node)
    return getattr(target, "show_error", None)


def _default_failed(node: DOMNode) -> Callable[[ServiceError], None]:
    return _show_error(node) or (lambda error: node.app.notify(error.message, severity="error", timeout=8))


def _name(service: Callable[..., Any]) -> str:
    return f"{getattr(service, '__module__', '?')}.{getattr(service, '__qualname__', repr(service))}"


def _user(actor: Any) -> str:
    return getattr(actor, "username", "-") or "-"
