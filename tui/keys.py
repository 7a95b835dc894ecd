"""The keys a clerk can find and change: the `[keymap]` config table checked, and a screen's actions listed
from its active bindings (for F1 and the command palette)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

BINDING_ID = re.compile(r"[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*")
MODIFIERS = ("ctrl", "shift", "alt", "meta", "super", "hyper")
NAMED_KEYS = frozenset({
    "escape", "enter", "tab", "space", "backspace", "delete", "insert", "home", "end", "pageup", "pagedown",
    "up", "down", "left", "right", *(f"f{n}" for n in range(1, 25)),
})


_SHOWN = {"escape": "Esc", "enter": "Enter", "space": "Space", "tab": "Tab", "backspace": "Backspace",
          "delete": "Del", "insert": "Ins", "home": "Home", "end": "End", "pageup": "PageUp", "pagedown": "PageDown",
          "up": "↑", "down": "↓", "left": "←", "right": "→"}


def key_label(key: str) -> str:
    """A key as the README and the manuals write it: F2, Ctrl+N, Esc, PageDown, ↑."""
    *modifiers, base = key.split("+") if len(key) > 1 else [key]
    if base in _SHOWN:
        base = _SHOWN[base]
    elif len(base) > 1 and base[0] == "f" and base[1:].isdigit():
        base = base.upper()
    elif len(base) > 1:
        try:
            base = unicodedata.lookup(base.replace("_", " "))
        except KeyError:
            pass
    elif modifiers:
        base = base.upper()
    return "+".join([*(m.capitalize() for m in modifiers), base])


class KeymapError(ValueError):
    """A `[keymap]` entry that cannot be used; the message is in Chinese (tui.config turns it into ConfigError)."""


def _valid_key(key: str) -> bool:
    *modifiers, base = key.split("+") if len(key) > 1 else [key]
    if any(modifier not in MODIFIERS for modifier in modifiers) or len(set(modifiers)) != len(modifiers):
        return False
    if len(base) == 1:
        return base.isprintable() and not base.isspace()
    if base in NAMED_KEYS:
        return True
    try:  # Textual's long names for punctuation, e.g. question_mark, full_stop
        unicodedata.lookup(base.replace("_", " "))
    except KeyError:
        return False
    return base == base.lower()


def parse_keymap(table: object) -> dict[str, str]:
    """The `[keymap]` table as Textual wants it: binding id -> "key,key". Raises KeymapError."""
    if not isinstance(table, dict):
        raise KeymapError("配置项 keymap 应为一个表，例如 [keymap] 下一行 \"task_orders.new_order\" = \"f2,ctrl+n\"")
    keymap: dict[str, str] = {}
    for binding_id, keys in table.items():
        if not BINDING_ID.fullmatch(str(binding_id)):
            raise KeymapError(f"按键设置 {binding_id} 的名称格式不对，应为“区域.动作”，例如 task_orders.new_order")
        if not isinstance(keys, str) or not keys.strip():
            raise KeymapError(f"按键设置 {binding_id} 应为用逗号分隔的按键，例如 \"f2,ctrl+n\"，实际为：{keys!r}")
        parts = [part.strip() for part in keys.split(",")]
        bad = [part for part in parts if not part or not _valid_key(part)]
        if bad:
            raise KeymapError(f"按键设置 {binding_id} 中的按键无法识别：{'、'.join(bad) or '（空）'}"
                              "（可用如 f2、ctrl+n、escape、enter、space、a）")
        keymap[str(binding_id)] = ",".join(parts)
    unknown = sorted(set(keymap) - known_binding_ids()) if keymap else []
    if unknown:
        raise KeymapError(f"按键设置中有不存在的按键名称：{'、'.join(unknown)}（按 F1 可查看各界面的按键）")
    return keymap


def known_binding_ids() -> set[str]:
    """Every binding id of the app's screens and widgets (imports them all: only when a keymap is set)."""
    import importlib
    import inspect
    import pkgutil

    import screens
    import tui
    from textual.binding import Binding

    names = [module.name for module in pkgutil.walk_packages(screens.__path__, "screens.")]
    names += [f"tui.{module.name}" for module in pkgutil.iter_modules(tui.__path__)
              if module.name not in ("__main__", "cli")]
    ids: set[str] = set()
    for name in names:
        for _name, cls in inspect.getmembers(importlib.import_module(name), inspect.isclass):
            for binding in cls.__dict__.get("BINDINGS", ()):
                if isinstance(binding, Binding) and binding.id:
                    ids.add(binding.id)
    return ids


@dataclass(frozen=True)
class KeyAction:
    keys: str         # as shown, e.g. "F7 / Esc"
    description: str  # the binding's Chinese description
    action: str
    node: object      # the DOM node the action runs on
    own: bool         # the screen's (or its widgets') rather than the app's
    enabled: bool
    binding_id: str


def screen_actions(screen) -> list[KeyAction]:
    """The screen's own actions (its widgets' included), then the app's, each once with all its keys.

    Only the project's bindings (they have ids); Textual's own (`Cursor up`, `Copy selected text`) are
    the widgets' editing keys, not the clerk's actions."""
    app = screen.app
    grouped: dict[tuple[int, str], list] = {}
    active = list(screen.active_bindings.items())
    if screen.is_modal:
        # A modal's chain stops at the modal; the app's priority keys (Ctrl+Q, F1, Ctrl+P) still work there.
        base = next((s for s in reversed(app.screen_stack) if not s.is_modal), None)
        if base is not None:
            active += [(key, entry) for key, entry in base.active_bindings.items()
                       if entry[0] is app and entry[1].priority]
    for key, (node, binding, enabled, _tooltip) in active:
        if not binding.id or not binding.description or binding.action in ("command_palette", "app.command_palette"):
            continue
        entry = grouped.setdefault((id(node), binding.id), [node, binding, enabled, []])
        display = binding.key_display or key_label(key)
        if display not in entry[3]:
            entry[3].append(display)
    actions = [KeyAction(" / ".join(keys), binding.description, binding.action, node, node is not app, enabled,
                         binding.id)
               for node, binding, enabled, keys in grouped.values()]

    def rank(action: KeyAction) -> tuple[int, int]:
        # The screen's, its widgets', then the app's; each in the order its class declares them.
        group = 0 if action.node is screen else 1 if action.own else 2
        declared = _declared_ids(type(action.node))
        return group, declared.index(action.binding_id) if action.binding_id in declared else len(declared)

    return sorted(actions, key=rank)


def _declared_ids(cls) -> list[str]:
    ids: list[str] = []
    for klass in cls.__mro__:
        for binding in klass.__dict__.get("BINDINGS", ()):
            if getattr(binding, "id", None) and binding.id not in ids:
                ids.append(binding.id)
    return ids
