"""绑定SSH密钥 of 操作员管理 (issue 13): paste an operator's SSH public key, or type its SHA256 fingerprint,
to bind it to that operator's identity; over SSH that key then selects the identity at login."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

from screens.admin.operator_forms import FORM_CSS, _Form, field_row, shown_rows
from services.admin import operators_query as q
from services.admin import ssh_keys
from tui.widgets import CompactInput, LeanFooter, PlainStatic

KEY_MAX = 16384  # an RSA 8192 public key line with a comment still fits


class BindSshKeyDialog(_Form):
    """Returns the bound key, or None when the administrator backed out."""

    DEFAULT_CSS = FORM_CSS.format(name="BindSshKeyDialog") + """
    BindSshKeyDialog .row > #key { width: 1fr; }
    """
    BINDINGS = [
        Binding("f2", "save", "绑定", id="admin.ssh_key_save"),
        Binding("escape", "cancel", "返回", id="admin.ssh_key_back"),
    ]
    FIELDS = ("key",)

    def __init__(self, detail: q.OperatorDetail) -> None:
        super().__init__()
        self.detail = detail

    def compose(self) -> ComposeResult:
        d = self.detail
        with Vertical():
            yield Static("绑定SSH密钥", classes="form-title", markup=False)
            yield from shown_rows((("操作员ID", d.operator_id), ("操作员姓名", d.name), ("部门名称", d.department),
                                   ("角色", d.role_label)))
            yield field_row("公钥或指纹", CompactInput(id="key", max_length=KEY_MAX,
                                                       placeholder="ssh-ed25519 AAAA… 或 SHA256:…"), True)
            yield PlainStatic("", id="form-message")
            yield Static("粘贴公钥（.pub 文件的一行），或其 SHA256 指纹（ssh-keygen -lf 显示）。\n"
                         "绑定后，该操作员用此密钥经 SSH 登录时只需输入密码。", classes="hint", markup=False)
            yield Static("F2 绑定　Esc 返回", classes="keys", markup=False)
        yield LeanFooter()

    def on_mount(self) -> None:
        self.query_one("#key", Input).focus()

    def action_save(self) -> None:
        self.save_with("正在绑定……", ssh_keys.bind_key, self.detail.identity_id, self.query_one("#key", Input).value,
                       done=self.dismiss)
