"""Shanghai's 企业注册 from the login screen (SH-01..04): the question, then binding (是) or registration (否),
then the manual's message. This module alone knows the steps."""

from __future__ import annotations

from collections.abc import Callable


def start_enterprise(app, done: Callable[[str | None], None]) -> None:
    from screens.common.dialogs import NoticeDialog
    from screens.identity.enterprise_question import AccountQuestion
    from screens.identity.enterprise_bind import EnterpriseBindScreen
    from screens.identity.enterprise_form import EnterpriseFormScreen
    from services.identity.enterprise_registration import QUESTION

    def registered(result) -> None:
        if result is None:
            done(None)
            return
        body = (f"{result.message}\n\n管理员用户名：{result.username}（统一社会信用代码），初始密码已通过短信发送至"
                "企业联系人手机，首次登录须修改密码。")
        app.push_screen(NoticeDialog("提示", body), lambda _: done(result.username))

    def bound(name: str | None) -> None:
        if name is None:
            done(None)
            return
        app.push_screen(NoticeDialog("提示", f"{name}已与维修资金系统账号绑定，可使用原账号登录。"), lambda _: done(None))

    def answered(has_account: bool | None) -> None:
        if has_account is None:
            done(None)
        elif has_account:
            app.push_screen(EnterpriseBindScreen(), bound)
        else:
            app.push_screen(EnterpriseFormScreen(), registered)

    app.push_screen(AccountQuestion(QUESTION), answered)
