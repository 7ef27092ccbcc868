"""The journal: every scene read and choice made in this run, scrollable (wheel, PgUp/PgDn).

It is read off the run's states, so an undo takes the last entry away with it.
"""

from __future__ import annotations

import pygame

from game.desktop.actions import Action, Kind
from game.desktop.chrome import heading_height, kicker, page_heading, side_band
from game.desktop.screens.base import Screen
from game.dates import pretty_date
from game.desktop.widgets import Paragraphs, Scroll, fade, hint_bar


class JournalScreen(Screen):
    def __init__(self) -> None:
        super().__init__()
        self.scroll = Scroll()
        self.first = True

    def resize(self, size: tuple[int, int]) -> None:
        super().resize(size)
        t, p = self.theme, self.theme.palette
        w, h = size
        m = t.margin
        from game.desktop.text_layout import measure_width
        col_w = min(measure_width(t.body().width), w - 2 * m - t.px(200))
        self.band_w = t.px(180)
        left = self.band_w + max(m, (w - self.band_w - col_w) // 2)
        self.title_font = t.display(64)
        # The scrolling text starts clear of the heading and its subtitle, at any scale.
        top = t.px(30) + heading_height(t, self.title_font, t.label(17)) + t.px(18)
        self.viewport = pygame.Rect(left, top, col_w, h - top - t.px(60))
        self.top_fade = fade(col_w + t.px(20), t.px(28), p.paper, downwards=False)
        self.entries = []
        y = 0
        entries = self.app.run.journal()
        self.count = len(entries)
        for n, e in enumerate(entries, 1):
            k = kicker(t, " · ".join(x for x in (f"{n}", pretty_date(e.date), e.place) if x))
            title = t.display(38).render(e.title.upper(), p.ink)
            body = Paragraphs(e.text, t.body(), col_w, t.line_height, p.ink)
            reply = Paragraphs(e.reply, t.body(weight="italic"), col_w - t.px(22), t.line_height, p.muted) if e.reply else None
            choice = Paragraphs(("You chose: " + e.choice) if e.choice else "You are here now.", t.body(weight="bold"),
                                col_w - t.px(22), t.line_height, p.red)
            self.entries.append((y, k, title, body, choice, reply))
            y += k.get_height() + title.get_height() + t.px(8) + body.height + t.px(14) + choice.height
            if reply:
                y += t.px(8) + reply.height
            y += t.px(48)
        self.content = y
        self.scroll.set_size(y, self.viewport.height, t.line_height)
        if self.first:  # open at the latest entry, as a history log does
            self.scroll.scroll_to(self.entries[-1][0] if self.entries else 0)
            self.first = False

    def handle(self, action: Action) -> None:
        if self.scroll.handle(action):
            return
        if action.kind in (Kind.BACK, Kind.JOURNAL, Kind.CONFIRM):
            self.dismiss()

    def voice_text(self) -> str:
        from game.desktop.voice import join
        entries = self.app.run.journal()
        last = entries[-1] if entries else None
        if last is None:
            return "The journal is empty."
        return join([f"The journal: {len(entries)} scenes in this run. The latest", last.title, last.text])

    def draw(self, surface: pygame.Surface) -> None:
        t, p = self.theme, self.theme.palette
        w, h = self.size
        surface.fill(p.paper)
        side_band(surface, t, pygame.Rect(0, 0, self.band_w, h), "JOURNAL", (0.55, 0.35, 0.5, 0.7), word_px=72, bottom=40)
        vp = self.viewport
        page_heading(surface, t, (vp.left, t.px(30)), self.title_font, "THE JOURNAL", t.label(17),
                     f"{self.count} SCENE{'S' if self.count != 1 else ''} IN THIS RUN", indent=4)
        old = surface.get_clip()
        surface.set_clip(vp.inflate(t.px(20), 0))
        for y0, k, title, body, choice, reply in self.entries:
            y = vp.top + y0 - self.scroll.offset
            if y > vp.bottom or y + t.px(2000) < vp.top:
                continue
            surface.blit(k, (vp.left, y))
            y += k.get_height()
            surface.blit(title, (vp.left, y))
            y += title.get_height() + t.px(8)
            body.draw(surface, vp.left, y, clip=vp)
            y += body.height + t.px(14)
            pygame.draw.rect(surface, p.red, pygame.Rect(vp.left, y, t.px(5), choice.height))
            choice.draw(surface, vp.left + t.px(22), y, clip=vp)
            y += choice.height
            if reply:
                y += t.px(8)
                reply.draw(surface, vp.left + t.px(22), y, clip=vp)
                y += reply.height
            pygame.draw.line(surface, p.rule, (vp.left, y + t.px(24)), (vp.right, y + t.px(24)))
        surface.set_clip(old)
        if self.scroll.offset > 0:
            surface.blit(self.top_fade, (vp.left - t.px(10), vp.top))
        # A scroll indicator on the right edge.
        if self.scroll.max_offset:
            track = pygame.Rect(vp.right + t.px(24), vp.top, t.px(5), vp.height)
            pygame.draw.rect(surface, p.rule, track)
            knob_h = max(t.px(30), track.height * vp.height // max(1, self.content))
            ky = track.top + (track.height - knob_h) * self.scroll.offset // max(1, self.scroll.max_offset)
            pygame.draw.rect(surface, p.red, pygame.Rect(track.left, ky, track.width, knob_h))
        hint_bar(surface, t, pygame.Rect(vp.left, h - t.px(44), vp.width, t.px(30)),
                 [("Wheel PgUp/PgDn", "scroll"), ("Home/End", "first/last"), ("J / Esc", "close")])
