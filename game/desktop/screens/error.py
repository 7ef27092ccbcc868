"""The error screen: a broken story or save in words, with file:line:col, never a traceback."""

from __future__ import annotations

import re

import pygame

from game.desktop.actions import Action, Kind
from game.desktop.chrome import kicker_at
from game.desktop.screens.base import Screen
from game.desktop.widgets import Paragraphs, Scroll, hint_bar, text


class ErrorScreen(Screen):
    """Lists every problem; Escape goes back when there is something to go back to, else quits."""

    def __init__(self, title: str, problems: list[str], advice: str = "", can_go_back: bool = False):
        super().__init__()
        self.title = title
        self.problems = problems or ["(no details)"]
        self.advice = advice
        self.can_go_back = can_go_back
        self.scroll = Scroll()

    def resize(self, size: tuple[int, int]) -> None:
        super().resize(size)
        t, p = self.theme, self.theme.palette
        w, h = size
        m = t.px(64)
        self.band = t.px(150)
        self.column = pygame.Rect(m + t.px(40), self.band + t.px(40), min(w - 2 * m - t.px(40), t.px(1000)), h - self.band - t.px(120))
        font = t.body(19)
        lh = round(font.height * 1.35)
        # Each problem as its place (file:line:col, in bold) over its message.
        self.blocks = []
        y = 0
        for problem in self.problems:
            match = re.match(r"^(.+?:\d+:\d+): (.*)$", problem, re.S)
            where, message = (match.group(1), match.group(2)) if match else ("", problem)
            place = Paragraphs(where, t.body(17, "bold"), self.column.width, round(t.px(17) * 1.35), p.on_dark) if where else None
            text_p = Paragraphs(message, font, self.column.width, lh, p.on_dark)
            self.blocks.append((y, place, text_p))
            y += (place.height if place else 0) + text_p.height + lh // 2
        self.lines_h = y
        self.advice_p = Paragraphs(self.advice, t.body(19, "italic"), self.column.width, lh, p.on_dark) if self.advice else None
        extra = (self.advice_p.height + lh) if self.advice_p else 0
        self.scroll.set_size(self.lines_h + extra, self.column.height, lh)
        self.lh = lh
        self.title_font = t.display(64)
        self.kicker = t.label(18)

    def handle(self, action: Action) -> None:
        if self.scroll.handle(action):
            return
        if action.kind in (Kind.BACK, Kind.CONFIRM):
            if self.can_go_back and len(self.app.stack) > 1:
                self.dismiss()
            else:
                self.app.quit()

    def voice_text(self) -> str:
        from game.desktop.voice import join
        return join([f"Error: {self.title}", *self.problems, self.advice])

    def draw(self, surface: pygame.Surface) -> None:
        t, p = self.theme, self.theme.palette
        w, h = self.size
        surface.fill(p.dark)
        pygame.draw.rect(surface, p.red, pygame.Rect(0, 0, w, self.band))
        pygame.draw.polygon(surface, p.dark, [(w * 0.62, self.band), (w, self.band * 0.15), (w, self.band)])
        kicker_at(surface, t, "ERROR", p.on_red, (self.column.left, t.px(28)), 18)
        text(surface, self.title_font, self.title.upper(), p.on_red, (self.column.left, t.px(52)))
        clip = self.column
        old = surface.get_clip()
        surface.set_clip(clip)
        y = clip.top - self.scroll.offset
        for y0, place, message in self.blocks:
            top = y + y0
            if place is not None:
                place.draw(surface, clip.left, top, clip=clip)
                top += place.height
            message.draw(surface, clip.left, top, clip=clip)
        if self.advice_p:
            self.advice_p.draw(surface, clip.left, y + self.lines_h + self.lh // 2, clip=clip)
        surface.set_clip(old)
        pygame.draw.rect(surface, p.red, pygame.Rect(self.column.left - t.px(40), self.column.top, t.px(8), t.px(120)))
        back = "back" if self.can_go_back and len(self.app.stack) > 1 else "quit"
        hint_bar(surface, t, pygame.Rect(self.column.left, h - t.px(50), w - 2 * self.column.left, t.px(34)),
                 [("Esc", back), ("PgUp/PgDn", "scroll")], dark=True)
