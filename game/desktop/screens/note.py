"""The historical note of a scene, opened on demand (N), with its sources."""

from __future__ import annotations

import pygame

from game.desktop.actions import Action, Kind
from game.desktop.screens.base import Overlay
from game.desktop.widgets import fade, frame, hint_bar, more_marker, Paragraphs, Scroll, text
from game.engine import Scene


class NoteScreen(Overlay):
    def __init__(self, scene: Scene, text: str):
        super().__init__()
        self.scene = scene
        #: The note as this run reads it (notes can follow the run, like scene text).
        self.text = text
        self.scroll = Scroll()

    def resize(self, size: tuple[int, int]) -> None:
        super().resize(size)
        t, p = self.theme, self.theme.palette
        w, h = size
        pw = min(w - t.px(80), t.px(820))
        inner = pw - t.px(100)
        note = self.scene.note
        self.kicker_font = t.label(17)
        self.title_font = t.display(46)
        self.body = Paragraphs(self.text, t.body(), inner, t.line_height, p.ink)
        src_font = t.small()  # the sources follow the text size too
        self.sources = [Paragraphs(f"{s}", src_font, inner - t.px(20), round(src_font.height * 1.3), p.muted) for s in note.sources]
        self.sources_h = sum(s.height + t.px(6) for s in self.sources)
        head = t.px(36) + self.kicker_font.height + self.title_font.height + t.px(20)
        content = self.body.height + (t.px(24) + self.kicker_font.height + t.px(8) + self.sources_h if self.sources else 0)
        ph = min(h - t.px(60), head + content + t.px(80))
        self.panel = pygame.Rect(0, 0, pw, ph)
        self.panel.center = (w // 2, h // 2)
        self.viewport = pygame.Rect(self.panel.left + t.px(50), self.panel.top + head, inner, ph - head - t.px(60))
        self.scroll.set_size(content, self.viewport.height, t.line_height)

    def handle(self, action: Action) -> None:
        if self.scroll.handle(action):
            return
        if action.kind in (Kind.BACK, Kind.NOTE, Kind.CONFIRM, Kind.CLICK):
            self.dismiss()

    def voice_text(self) -> str:
        from game.desktop.voice import join
        return join(["Historical note", self.scene.title, self.text, *(["Sources"] + list(self.scene.note.sources)
                                                                        if self.scene.note.sources else [])])

    def draw(self, surface: pygame.Surface) -> None:
        super().draw(surface)
        t, p = self.theme, self.theme.palette
        pygame.draw.rect(surface, p.paper, self.panel)
        frame(surface, t, self.panel)
        pygame.draw.rect(surface, p.red, pygame.Rect(self.panel.left, self.panel.top, self.panel.width, t.px(8)))
        x = self.viewport.left
        y = self.panel.top + t.px(30)
        label = "HISTORICAL NOTE" + (" · THIS SCENE DEPARTS FROM WHAT HAPPENED" if self.scene.note.counterfactual else "")
        r = text(surface, self.kicker_font, label, p.red, (x, y))
        text(surface, self.title_font, self.scene.title.upper(), p.ink, (x, r.bottom))
        old = surface.get_clip()
        surface.set_clip(self.viewport)
        y = self.viewport.top - self.scroll.offset
        self.body.draw(surface, x, y, clip=self.viewport)
        y += self.body.height
        if self.sources:
            y += t.px(24)
            r = text(surface, self.kicker_font, "SOURCES", p.red, (x, y))
            y = r.bottom + t.px(8)
            for s in self.sources:
                pygame.draw.rect(surface, p.red, pygame.Rect(x, y + s.line_height // 2 - t.px(4), t.px(8), t.px(8)))
                s.draw(surface, x + t.px(20), y)
                y += s.height + t.px(6)
        if self.scroll.offset > 0:  # text scrolled under the title fades rather than being cut
            surface.blit(fade(self.viewport.width, t.line_height, p.paper, downwards=False), self.viewport.topleft)
        if self.scroll.offset < self.scroll.max_offset:  # and so does text that goes on below
            surface.blit(fade(self.viewport.width, t.line_height, p.paper, downwards=True),
                         (self.viewport.left, self.viewport.bottom - t.line_height))
        surface.set_clip(old)
        if self.scroll.max_offset - self.scroll.offset > t.line_height // 2:
            more_marker(surface, t, (self.viewport.right, self.panel.bottom - t.px(40)))
        hint_bar(surface, t, pygame.Rect(x, self.panel.bottom - t.px(46), self.viewport.width, t.px(30)),
                 [("N / Esc", "close"), ("PgUp/PgDn", "scroll")])
