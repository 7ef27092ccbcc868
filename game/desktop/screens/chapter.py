"""A chapter card between the years: the year large on a poster, "Chapter Two", and where
and when the next scene opens. It closes by itself after a few seconds, or at any key or
click (which does nothing else); with reduced motion it does not slide in.
"""

from __future__ import annotations

import pygame

from game.dates import pretty_date
from game.desktop import art, progress
from game.desktop.actions import Action, Kind
from game.desktop.screens.base import Screen
from game.desktop.widgets import Paragraphs, glyph_text, text

SECONDS = 3.5
SLIDE = 0.45


class ChapterCard(Screen):
    def __init__(self, number: int, of: int, year: int, date: str, place: str, title: str):
        super().__init__()
        self.number, self.of, self.year = number, of, year
        self.date, self.place, self.title = date, place, title
        self.age = 0.0

    @classmethod
    def for_scene(cls, story, view) -> "ChapterCard | None":
        """The card for the chapter ``view``'s scene opens, or None when the story has no years."""
        sp = progress.span(story)
        number = sp.chapter(view.scene.date)
        if number is None or len(sp.years) < 2:
            return None
        return cls(number, len(sp.years), sp.years[number - 1], view.scene.date, view.place, view.scene.title)

    def resize(self, size: tuple[int, int]) -> None:
        super().resize(size)
        t, p = self.theme, self.theme.palette
        w, h = size
        self.poster = art.poster(f"chapter:{self.year}", (w, h), p, "")
        self.panel = pygame.Rect(0, 0, min(w - t.px(80), t.px(760)), 0)
        self.year_font = t.display(170)
        self.kicker_font = t.label(22)
        inner = self.panel.width - t.px(96)
        where = ", ".join(x for x in (pretty_date(self.date), self.place) if x)
        self.where = Paragraphs(where, t.body(weight="italic"), inner, t.line_height, p.muted, 0)
        self.scene_title = Paragraphs(self.title.upper(), t.display(44), inner, round(t.display(44).height * 0.95), p.ink, 0)
        self.panel.height = (t.px(36) + self.kicker_font.height + self.year_font.height - t.px(20) + self.scene_title.height
                             + self.where.height + t.px(64))
        self.panel.center = (w // 2, h // 2)

    @property
    def slide(self) -> float:
        """0 while the panel comes in, 1 when it is in place."""
        if self.app.settings.reduce_motion:
            return 1.0
        return min(1.0, self.age / SLIDE)

    def update(self, dt: float) -> bool:
        """Slide in, then wait (the idle loop still ticks, so the card closes on time without
        redrawing in between)."""
        sliding = self.slide < 1.0
        self.age += dt
        if self.age >= SECONDS:
            self.dismiss()
            return True
        return sliding

    def handle(self, action: Action) -> None:
        if action.kind in (Kind.POINT, Kind.SCROLL, Kind.TEXT, Kind.RESIZE):
            return
        if action.kind in (Kind.VOICE, Kind.HELP):
            return
        self.dismiss()

    def voice_text(self) -> str:
        return f"{progress.chapter_name(self.number, self.of)}: {self.year}. {self.title}. {pretty_date(self.date)}, {self.place}."

    def draw(self, surface: pygame.Surface) -> None:
        t, p = self.theme, self.theme.palette
        w, h = self.size
        surface.blit(self.poster, (0, 0))
        ease = 1 - (1 - self.slide) ** 3
        panel = self.panel.move(0, round((1 - ease) * (h - self.panel.top)))
        pygame.draw.rect(surface, p.paper, panel)
        pygame.draw.rect(surface, p.red, pygame.Rect(panel.left, panel.top, t.px(12), panel.height))
        x = panel.left + t.px(56)
        r = text(surface, self.kicker_font, progress.chapter_name(self.number, self.of).upper(), p.red,
                 (x + t.px(4), panel.top + t.px(30)))
        r = text(surface, self.year_font, str(self.year), p.ink, (x, r.bottom - t.px(10)))
        y = r.bottom - t.px(24)
        self.scene_title.draw(surface, x, y)
        y += self.scene_title.height + t.px(4)
        self.where.draw(surface, x, y)
        hint = "ANY KEY · READ ON"
        glyph_text(surface, t.label(15), hint, p.muted, (panel.right - t.px(24), panel.bottom - t.px(22)), "midright")
