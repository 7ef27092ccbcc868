"""The endings gallery: every ending of the story, the ones reached named, the rest hidden."""

from __future__ import annotations

import pygame

from game.desktop import gallery
from game.desktop.actions import Action, Kind
from game.desktop.screens.base import Screen
from game.desktop.widgets import Menu, Paragraphs, Scroll, hint_bar, text


class GalleryScreen(Screen):
    def __init__(self) -> None:
        super().__init__()
        self.scroll = Scroll()

    def enter(self) -> None:
        story = self.app.story
        self.endings = list(story.endings)
        self.reached = gallery.reached(story.id)
        self.menu = Menu([True] * len(self.endings))

    def resize(self, size: tuple[int, int]) -> None:
        super().resize(size)
        t = self.theme
        w, h = size
        m = t.px(56)
        top = t.px(150)
        self.list_w = min(t.px(460), int(w * 0.4))
        row_h = t.px(44)
        self.list_view = pygame.Rect(m, top, self.list_w, h - top - t.px(64))
        self.row_h = row_h
        self.place_rows()
        self.detail = pygame.Rect(m + self.list_w + t.px(40), top, w - 2 * m - self.list_w - t.px(40), h - top - t.px(64))
        self.title_font = t.display(64)
        self.row_font = t.body(18, "bold")
        self.detail_title = t.display(46)
        self.build_detail()

    def place_rows(self) -> None:
        t = self.theme
        total = len(self.endings) * (self.row_h + t.px(6))
        self.scroll.set_size(total, self.list_view.height, self.row_h)
        self.scroll.reveal(self.menu.focus * (self.row_h + t.px(6)), self.menu.focus * (self.row_h + t.px(6)) + self.row_h)
        self.menu.rects = [pygame.Rect(self.list_view.left, self.list_view.top + i * (self.row_h + t.px(6)) - self.scroll.offset,
                                       self.list_w, self.row_h).clip(self.list_view) for i in range(len(self.endings))]

    def build_detail(self) -> None:
        t, p = self.theme, self.theme.palette
        e = self.endings[self.menu.focus]
        got = self.reached.get(e.id)
        if got is None:
            self.detail_text = Paragraphs("Not yet reached. Every ending is decided by the hidden support you win and lose, "
                                          "and by the decisive acts you take; play again, as someone else, or choose otherwise.",
                                          t.body(), self.detail.width - t.px(40), t.line_height, p.muted)
            self.detail_meta = ""
            return
        story = self.app.story
        who = ", ".join(story.characters[c].name if c in story.characters else c for c in got.characters)
        self.detail_meta = f"Reached as {who}; first on {got.first[:10]}"
        self.detail_text = Paragraphs(got.text or "Reached in an earlier version of the game; reach it again to read it here.",
                                      t.body(), self.detail.width - t.px(40), t.line_height, p.ink)

    def handle(self, action: Action) -> None:
        if action.kind == Kind.BACK:
            self.dismiss()
            return
        before = self.menu.focus
        if action.kind == Kind.SCROLL:
            self.scroll.handle(action)
            self.menu.rects = [r for r in self.menu.rects]
            self.place_rows()
            return
        self.menu.handle(action)
        if self.menu.focus != before:
            self.place_rows()
            self.build_detail()

    def draw(self, surface: pygame.Surface) -> None:
        t, p = self.theme, self.theme.palette
        w, h = self.size
        surface.fill(p.paper)
        m = t.px(56)
        pygame.draw.circle(surface, p.red, (w - t.px(40), t.px(40)), t.px(110))
        text(surface, t.label(17), f"{len(self.reached)} OF {len(self.endings)} REACHED", p.red, (m + t.px(3), t.px(36)))
        text(surface, self.title_font, "ENDINGS", p.ink, (m, t.px(62)))
        old = surface.get_clip()
        surface.set_clip(self.list_view)
        for i, (e, r) in enumerate(zip(self.endings, self.menu.rects)):
            rr = pygame.Rect(r.left, self.list_view.top + i * (self.row_h + t.px(6)) - self.scroll.offset, self.list_w, self.row_h)
            got = e.id in self.reached
            focused = i == self.menu.focus
            pygame.draw.rect(surface, p.red if focused else (p.highlight if got else p.paper), rr)
            pygame.draw.rect(surface, p.rule, rr, 1)
            label = e.title if got else "? ? ?"
            fg = p.on_red if focused else (p.ink if got else p.disabled)
            text(surface, self.row_font, f"{i + 1:>2}  {label}", fg, (rr.left + t.px(14), rr.centery), "midleft")
        surface.set_clip(old)
        d = self.detail
        pygame.draw.rect(surface, p.highlight, d)
        pygame.draw.rect(surface, p.red, pygame.Rect(d.left, d.top, t.px(8), d.height))
        e = self.endings[self.menu.focus]
        got = e.id in self.reached
        x = d.left + t.px(30)
        r = text(surface, self.detail_title, (e.title if got else "Not yet reached").upper(), p.ink, (x, d.top + t.px(20)))
        y = r.bottom
        if self.detail_meta:
            r = text(surface, t.body(16, "italic"), self.detail_meta, p.muted, (x, y))
            y = r.bottom
        surface.set_clip(d)
        self.detail_text.draw(surface, x, y + t.px(16), clip=d)
        surface.set_clip(old)
        hint_bar(surface, t, pygame.Rect(m, h - t.px(46), w - 2 * m, t.px(30)), [("↑↓", "choose"), ("Esc", "back")])
