"""A short message over the current screen (e.g. why an old save stopped early)."""

from __future__ import annotations

import pygame

from game.desktop.actions import Action, Kind
from game.desktop.screens.base import Overlay
from game.desktop.widgets import Paragraphs, button, dialog_panel


class MessageScreen(Overlay):
    def __init__(self, title: str, body: str, ok: str = "Continue"):
        super().__init__()
        self.title, self.body, self.ok = title, body, ok

    def resize(self, size: tuple[int, int]) -> None:
        super().resize(size)
        t, p = self.theme, self.theme.palette
        w, h = size
        pw = min(w - t.px(80), t.px(720))
        self.para = Paragraphs(self.body, t.body(), pw - t.px(80), t.line_height, p.ink)
        self.title_font = t.display(44)
        ph = t.px(40) + self.title_font.height + t.px(20) + self.para.height + t.px(100)
        self.panel = pygame.Rect(0, 0, pw, min(h - t.px(40), ph))
        self.panel.center = (w // 2, h // 2)
        self.ok_rect = pygame.Rect(self.panel.left + t.px(40), self.panel.bottom - t.px(70), t.px(220), t.px(46))

    def handle(self, action: Action) -> None:
        if action.kind in (Kind.CONFIRM, Kind.BACK) or (action.kind == Kind.CLICK and self.ok_rect.collidepoint(action.pos)):
            self.dismiss()

    def voice_text(self) -> str:
        return f"{self.title}. {self.body}"

    def draw(self, surface: pygame.Surface) -> None:
        super().draw(surface)
        t = self.theme
        x = self.panel.left + t.px(40)
        r = dialog_panel(surface, t, self.panel, self.title_font, self.title, t.px(28))
        self.para.draw(surface, x, r.bottom + t.px(16))
        button(surface, t, self.ok_rect, self.ok, focused=True)
