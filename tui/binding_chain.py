"""Which bindings of a key a widget class declares itself, remapped by the keymap as Textual remaps them
(it reads Textual's private binding chain: kept apart from the hooks, which replace behaviour)."""

from __future__ import annotations


def own_bindings(widget, key: str, declared_by: type) -> tuple:
    """The bindings of `key` that the class `declared_by` itself declares (not those it inherits, such
    as ScrollView's scrolling keys), remapped by the app's keymap as Textual's binding chain remaps
    them (`Screen._binding_chain` copies each node's `_bindings` and applies `App._keymap`)."""
    from textual.binding import Binding

    actions = {b.action for b in declared_by.__dict__.get("BINDINGS", ()) if isinstance(b, Binding)}
    bindings = widget._bindings.copy()
    keymap = getattr(widget.app, "_keymap", None)
    if keymap:
        bindings.apply_keymap(keymap)
    return tuple(b for b in bindings.key_to_bindings.get(key, ()) if b.action in actions)
