"""A yes/no question (e.g. before overwriting a save); hands back True or False."""

from __future__ import annotations

import pygame

from game.desktop.actions import Action, Kind
from game.desktop.screens.base import Overlay
from game.desktop.widgets import Menu, Paragraphs, button, dialog_panel


class ConfirmScreen(Overlay):
    #: True for the "Quit the game?" question: asking to quit again while it is open quits.
    quit_question = False

    def __init__(self, question: str, detail: str = "", yes: str = "Yes", no: str = "No"):
        super().__init__()
        self.question, self.detail, self.yes, self.no = question, detail, yes, no
        self.menu = Menu([True, True], numbered=True)
        self.menu.focus = 1  # the safe answer first

    def resize(self, size: tuple[int, int]) -> None:
        super().resize(size)
        t, p = self.theme, self.theme.palette
        w, h = size
        pw = min(w - t.px(80), t.px(640))
        self.title_font = t.display(42)
        self.para = Paragraphs(self.detail, t.body(), pw - t.px(80), t.line_height, p.ink) if self.detail else None
        ph = t.px(40) + self.title_font.height + (self.para.height if self.para else 0) + t.px(110)
        self.panel = pygame.Rect(0, 0, pw, ph)
        self.panel.center = (w // 2, h // 2)
        bw = (pw - t.px(100)) // 2
        y = self.panel.bottom - t.px(70)
        self.menu.rects = [pygame.Rect(self.panel.left + t.px(40), y, bw, t.px(46)),
                           pygame.Rect(self.panel.left + t.px(60) + bw, y, bw, t.px(46))]

    def handle(self, action: Action) -> None:
        if action.kind == Kind.BACK:
            self.dismiss(False)
            return
        chosen = self.menu.handle(action)
        if chosen is not None:
            self.dismiss(chosen == 0)

    def voice_text(self) -> str:
        return f"{self.question} {self.detail}".strip()

    def voice_focus(self) -> str:
        return (self.yes, self.no)[self.menu.focus]

    def draw(self, surface: pygame.Surface) -> None:
        super().draw(surface)
        t = self.theme
        x = self.panel.left + t.px(40)
        r = dialog_panel(surface, t, self.panel, self.title_font, self.question, t.px(26))
        if self.para:
            self.para.draw(surface, x, r.bottom + t.px(4))
        for i, label in enumerate((self.yes, self.no)):
            button(surface, t, self.menu.rects[i], label, focused=i == self.menu.focus, number=i + 1)
