"""The command palette's entries for the screen it is opened on: that screen's actions, from its active
bindings, so every action a key does is also in Ctrl+P (the app's own keys are Textual's system commands)."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from tui.keys import screen_actions


class ScreenActions(Provider):
    def _commands(self):
        for action in screen_actions(self.screen):
            if action.own and action.enabled:
                yield (action.description, f"{action.keys}",
                       partial(self.app.run_action, action.action, action.node))

    async def discover(self) -> Hits:
        for label, help_text, callback in self._commands():
            yield DiscoveryHit(label, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for label, help_text, callback in self._commands():
            score = matcher.match(label)
            if score > 0:
                yield Hit(score, matcher.highlight(label), callback, help=help_text)
