"""The endings gallery: every ending of the story, the ones reached named, the rest hidden.

The list's rows and the panel are set at the reader's text size. The panel scrolls (PgUp,
PgDn, Home, End, or the wheel over it) so a long ending can be read to its end; the wheel
over the list scrolls the list. A locked ending says once that it is not yet reached and
gives a hint: the forces and acts its condition turns on.
"""

from __future__ import annotations

import pygame

from game.desktop import gallery
from game.desktop.actions import Action, Kind
from game.desktop.chrome import kicker_at
from game.desktop.screens.base import Screen
from game.desktop.widgets import Menu, Paragraphs, Scroll, fade, hint_bar, text


class GalleryScreen(Screen):
    def __init__(self) -> None:
        super().__init__()
        self.scroll = Scroll()         # the list
        self.detail_scroll = Scroll()  # the panel
        self.pointer = (0, 0)

    def enter(self) -> None:
        story = self.app.story
        self.endings = list(story.endings)
        self.reached = gallery.reached(story.id)
        self.menu = Menu([True] * len(self.endings))

    def resize(self, size: tuple[int, int]) -> None:
        super().resize(size)
        t, p = self.theme, self.theme.palette
        w, h = size
        m = t.px(56)
        top = t.px(150)
        self.row_font = t.body(weight="bold")
        self.list_w = max(int(w * 0.3), min(int(w * 0.4), self.row_font.width("14  The Soviet-German Fed") + t.px(28)))
        self.list_view = pygame.Rect(m, top, self.list_w, h - top - t.px(64))
        self.detail = pygame.Rect(m + self.list_w + t.px(40), top, w - 2 * m - self.list_w - t.px(40), h - top - t.px(64))
        # Rows grow with the text size and wrap a long title rather than cut it.
        inner = self.list_w - t.px(28)
        self.rows = []
        y = 0
        pad = t.px(8)
        for i, e in enumerate(self.endings):
            got = e.id in self.reached
            label = f"{i + 1}  {e.title}" if got else f"{i + 1}  Not yet reached"
            lines = {colour: Paragraphs(label, self.row_font, inner, round(self.row_font.height * 1.1), colour, 0)
                     for colour in (p.ink, p.on_red, p.disabled)}
            h_row = lines[p.ink].height + 2 * pad
            self.rows.append((y, h_row, lines))
            y += h_row + t.px(6)
        self.scroll.set_size(y, self.list_view.height, self.row_font.height)
        self.title_font = t.display(64)
        self.detail_title = t.display(46)
        self.place_rows(reveal=True)
        self.build_detail()

    def place_rows(self, reveal: bool = False) -> None:
        if reveal:
            y, h, _ = self.rows[self.menu.focus]
            self.scroll.reveal(y, y + h, self.theme.px(6))
        self.menu.rects = [pygame.Rect(self.list_view.left, self.list_view.top + y - self.scroll.offset,
                                       self.list_w, h).clip(self.list_view) for y, h, _ in self.rows]

    def build_detail(self) -> None:
        t, p = self.theme, self.theme.palette
        e = self.endings[self.menu.focus]
        got = self.reached.get(e.id)
        width = self.detail.width - t.px(60)
        self.detail_heading = Paragraphs((e.title if got else "Not yet reached").upper(), self.detail_title, width,
                                         round(self.detail_title.height * 0.95), p.ink, 0)
        meta_font = t.body(round(t.settings.body_px * 0.8), "italic")
        if got is None:
            meta = f"Ending {self.menu.focus + 1} of {len(self.endings)}"
            found = gallery.hint(self.app.story, e).words()
            words = (f"A hint: {found[0].lower()}{found[1:]}\n\n" if found else "") + (
                "Every ending is decided by the hidden support you win and lose, and by the decisive acts "
                "you take; play again, as someone else, or choose otherwise.")
            colour = p.ink
        else:
            story = self.app.story
            who = ", ".join(story.characters[c].name if c in story.characters else c for c in got.characters)
            meta = f"Reached as {who}; first on {got.first[:10]}"
            words = got.text or "Reached in an earlier version of the game; reach it again to read it here."
            colour = p.ink
        self.detail_meta = Paragraphs(meta, meta_font, width, round(meta_font.height * 1.3), p.muted, 0)
        self.detail_text = Paragraphs(words, t.body(), width, t.line_height, colour)
        self.detail_top = self.detail.top + t.px(20)
        self.detail_body_y = self.detail_heading.height + self.detail_meta.height + t.px(16)
        self.detail_scroll.offset = 0
        self.detail_scroll.set_size(self.detail_body_y + self.detail_text.height + t.px(24),
                                    self.detail.bottom - self.detail_top, t.line_height)

    def voice_text(self) -> str:
        return f"Endings: {len(self.reached)} of {len(self.endings)} reached."

    def voice_focus(self) -> str:
        from game.desktop.voice import join
        texts = [" ".join(line.text for line in para.block.lines)
                 for para in (self.detail_heading, self.detail_meta, self.detail_text)]
        return join([f"{self.menu.focus + 1}", *texts])

    def handle(self, action: Action) -> None:
        k = action.kind
        if k == Kind.BACK:
            self.dismiss()
            return
        if k == Kind.POINT:
            self.pointer = action.pos
        if k == Kind.SCROLL:  # the wheel scrolls what it is over
            if self.list_view.collidepoint(self.pointer):
                self.scroll.handle(action)
                self.place_rows()
            else:
                self.detail_scroll.handle(action)
            return
        if k in (Kind.PAGE_UP, Kind.PAGE_DOWN, Kind.HOME, Kind.END):
            self.detail_scroll.handle(action)
            return
        before = self.menu.focus
        self.menu.handle(action)
        if self.menu.focus != before:
            self.place_rows(reveal=True)
            self.build_detail()

    def draw(self, surface: pygame.Surface) -> None:
        t, p = self.theme, self.theme.palette
        w, h = self.size
        surface.fill(p.paper)
        m = t.px(56)
        pygame.draw.circle(surface, p.red, (w - t.px(40), t.px(40)), t.px(110))
        kicker_at(surface, t, f"{len(self.reached)} OF {len(self.endings)} REACHED", p.red, (m + t.px(3), t.px(36)))
        text(surface, self.title_font, "ENDINGS", p.ink, (m, t.px(62)))
        old = surface.get_clip()
        surface.set_clip(self.list_view)
        pad = t.px(8)
        for i, (e, (y, row_h, lines)) in enumerate(zip(self.endings, self.rows)):
            rr = pygame.Rect(self.list_view.left, self.list_view.top + y - self.scroll.offset, self.list_w, row_h)
            if rr.bottom < self.list_view.top or rr.top > self.list_view.bottom:
                continue
            got = e.id in self.reached
            focused = i == self.menu.focus
            pygame.draw.rect(surface, p.red if focused else (p.highlight if got else p.paper), rr)
            pygame.draw.rect(surface, p.rule, rr, 1)
            lines[p.on_red if focused else (p.ink if got else p.disabled)].draw(surface, rr.left + t.px(14), rr.top + pad)
        surface.set_clip(old)
        d = self.detail
        pygame.draw.rect(surface, p.highlight, d)
        pygame.draw.rect(surface, p.red, pygame.Rect(d.left, d.top, t.px(8), d.height))
        view = pygame.Rect(d.left + t.px(20), self.detail_top, d.width - t.px(30), d.bottom - self.detail_top)
        surface.set_clip(view)
        x = d.left + t.px(30)
        y = self.detail_top - self.detail_scroll.offset
        self.detail_heading.draw(surface, x, y)
        self.detail_meta.draw(surface, x, y + self.detail_heading.height)
        self.detail_text.draw(surface, x, y + self.detail_body_y, clip=view)
        if self.detail_scroll.offset > 0:  # text scrolled up under the panel's top edge fades out
            surface.blit(fade(view.width, t.line_height, p.highlight, downwards=False), view.topleft)
        surface.set_clip(old)
        for rect, scroll in ((self.list_view, self.scroll), (view, self.detail_scroll)):
            if scroll.max_offset:
                track = pygame.Rect(rect.right + t.px(6), rect.top, t.px(4), rect.height)
                pygame.draw.rect(surface, p.rule, track)
                knob = max(t.px(24), track.height * scroll.viewport // max(1, scroll.content))
                ky = track.top + (track.height - knob) * scroll.offset // max(1, scroll.max_offset)
                pygame.draw.rect(surface, p.red, pygame.Rect(track.left, ky, track.width, knob))
        hints = [("↑↓", "choose"), ("PgUp/PgDn", "read on"), ("Esc", "back")]
        hint_bar(surface, t, pygame.Rect(m, h - t.px(46), w - 2 * m, t.px(30)), hints)
