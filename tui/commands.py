"""The command palette's entries for the screen it is opened on: that screen's actions, from its active
bindings, then the app's (按键说明, 退出程序), so every action a key does is also in Ctrl+P."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from tui.keys import screen_actions


class ScreenActions(Provider):
    """A provider of the screen's that lists some actions itself says so in its `ACTIONS`."""

    def _commands(self):
        claimed = set().union(*(getattr(provider, "ACTIONS", ()) for provider in self.screen.COMMANDS))
        for action in screen_actions(self.screen):  # the screen's own first
            if action.enabled and action.action not in claimed:
                yield (action.description, f"{action.keys}",
                       partial(self.app.run_action, action.action, action.node))

    async def discover(self) -> Hits:
        for label, help_text, callback in self._commands():
            yield DiscoveryHit(label, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for label, help_text, callback in self._commands():
            score = max(matcher.match(label), matcher.match(help_text))  # by name or by key
            if score > 0:
                yield Hit(score, matcher.highlight(label), callback, help=help_text)
