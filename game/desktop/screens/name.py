"""Typing a name for a save; hands back the name, or None when cancelled."""

from __future__ import annotations

import pygame

from game.desktop.actions import Action, Kind
from game.desktop.screens.base import Overlay
from game.desktop.widgets import button, frame, hint_bar, text

MAX_NAME = 40


class NameScreen(Overlay):
    takes_text = True

    def voice_text(self) -> str:
        return f"{self.title}. Type a name, then press Enter; Escape cancels."

    def voice_focus(self) -> str:
        return self.name

    def __init__(self, title: str, default: str):
        super().__init__()
        self.title = title
        self.name = default[:MAX_NAME]
        # The key that opened this screen also arrives as typed text: ignore text until a
        # key has been pressed here.
        self.armed = False

    def resize(self, size: tuple[int, int]) -> None:
        super().resize(size)
        t = self.theme
        w, h = size
        pw = min(w - t.px(80), t.px(680))
        self.panel = pygame.Rect(0, 0, pw, t.px(260))
        self.panel.center = (w // 2, h // 2)
        self.field = pygame.Rect(self.panel.left + t.px(40), self.panel.top + t.px(100), pw - t.px(80), t.px(52))
        self.ok = pygame.Rect(self.panel.left + t.px(40), self.panel.bottom - t.px(74), t.px(200), t.px(46))
        self.title_font = t.display(42)
        self.font = t.body(22)

    def handle(self, action: Action) -> None:
        k = action.kind
        if k == Kind.TEXT and not self.armed:
            return
        if k not in (Kind.TEXT, Kind.POINT, Kind.SCROLL):
            self.armed = True
        if k == Kind.BACK:
            self.dismiss(None)
        elif k == Kind.CONFIRM and action.text == "" or (k == Kind.CLICK and self.ok.collidepoint(action.pos)):
            self.dismiss(self.name.strip() or "Saved game")
        elif k == Kind.UNDO:  # Backspace deletes a letter here
            self.name = self.name[:-1]
        elif k == Kind.TEXT:
            self.name = (self.name + action.text.replace("\n", ""))[:MAX_NAME]

    def draw(self, surface: pygame.Surface) -> None:
        super().draw(surface)
        t, p = self.theme, self.theme.palette
        pygame.draw.rect(surface, p.paper, self.panel)
        frame(surface, t, self.panel)
        pygame.draw.rect(surface, p.red, pygame.Rect(self.panel.left, self.panel.top, t.px(10), self.panel.height))
        text(surface, self.title_font, self.title.upper(), p.ink, (self.field.left, self.panel.top + t.px(28)))
        pygame.draw.rect(surface, p.highlight, self.field)
        pygame.draw.rect(surface, p.red, self.field, max(2, t.px(3)))
        r = text(surface, self.font, self.name, p.ink, (self.field.left + t.px(14), self.field.centery), "midleft")
        pygame.draw.rect(surface, p.red, pygame.Rect(r.right + t.px(3), self.field.top + t.px(10), max(2, t.px(3)), self.field.height - t.px(20)))
        button(surface, t, self.ok, "Save", focused=True)
        hint_bar(surface, t, pygame.Rect(self.ok.right + t.px(24), self.ok.top, self.panel.right - self.ok.right - t.px(40), self.ok.height),
                 [("Enter", "save"), ("Esc", "cancel")])
