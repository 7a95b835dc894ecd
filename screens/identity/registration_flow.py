"""The registration wizards started from the login screen; this module alone knows their steps.

Beijing (BJ-01..03): form → activation → 未认证用户名. `done(username or None)` is called at the end, on the
login screen's behalf, which then fills in the user name.
"""

from __future__ import annotations

from collections.abc import Callable


def start(app, done: Callable[[str | None], None]) -> None:
    if app.profile.key == "shanghai":
        from screens.identity.enterprise_flow import start_enterprise

        start_enterprise(app, done)
        return
    start_beijing(app, done)


def start_beijing(app, done: Callable[[str | None], None]) -> None:
    from screens.identity.register_activate import ActivationScreen
    from screens.identity.register_done import RegisterDoneScreen
    from screens.identity.register_form import RegisterFormScreen
    from services.identity.registration import as_values

    def form_step(values: dict[str, str] | None = None) -> None:
        app.push_screen(RegisterFormScreen(values), after_form)

    def after_form(result) -> None:
        kind, form = result
        if kind != "next":
            done(None)
            return

        def after_activation(username: str | None) -> None:
            if username is None:  # 上一步: the form again, as it was typed
                form_step(as_values(form))
                return
            app.push_screen(RegisterDoneScreen(username), done)

        app.push_screen(ActivationScreen(form), after_activation)

    form_step()
