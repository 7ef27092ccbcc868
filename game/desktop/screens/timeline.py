"""The timeline (T, from any scene): what really happened, beside the run so far.

Two columns under each date: on the left the real events of 1923-1928 from the story's
``timeline.yaml``, on the right the scenes of this run, the invented ones stamped. It stops
at the run's present and opens there, as the journal does; the wheel, the arrows and
PgUp/PgDn scroll, T or Escape closes. Read off the run's states, so undo takes the last
scene away with it (``game.classroom.timeline``).
"""

from __future__ import annotations

import pygame

from game.classroom import timeline
from game.dates import pretty_date
from game.desktop.actions import Action, Kind
from game.desktop.screens.base import BandPage
from game.desktop.widgets import Paragraphs, Scroll, fade, hint_bar
from game.engine.play import states_of


class TimelineScreen(BandPage):
    word = "TIMELINE"
    wedge = (0.62, 0.42, 0.56, 0.76)

    def __init__(self) -> None:
        super().__init__()
        self.scroll = Scroll()
        self.first = True

    def enter(self) -> None:
        run = self.app.run
        states = run.states if run is not None else []
        if states and states[0].path:  # a run that began mid-way has its whole history replayed
            states = states_of(self.app.story, states[-1])
        self.rows = timeline.beside(self.app.story, states)

    def resize(self, size: tuple[int, int]) -> None:
        super().resize(size)
        t, p = self.theme, self.theme.palette
        w, h = size
        m = self.margin
        self.col_font = t.label(16)
        top = self.heading_bottom + t.px(14)
        self.heads_y = top
        top += self.col_font.height + t.px(10)
        left = self.band_w + m
        inner = w - left - m
        gap = t.px(36)
        self.col_w = (inner - gap) // 2
        self.view = pygame.Rect(left, top, inner, h - top - t.px(56))
        self.right_x = left + self.col_w + gap
        title = t.body(17, "bold")
        small = t.small(factor=0.8)
        italic = t.small("italic", factor=0.8)
        line = round(small.height * 1.3)
        date_font = t.label(16)
        self.groups = []  # (y, date image, [(x, y offset, Paragraphs, stamped)])
        y = 0
        i = 0
        rows = self.rows
        while i < len(rows):
            date = rows[i].date
            same = []
            while i < len(rows) and rows[i].date == date:
                same.append(rows[i])
                i += 1
            pieces = []
            heights = {"real": 0, "run": 0}
            for r in same:
                x = self.view.left if r.side == "real" else self.right_x
                off = heights[r.side]
                if r.side == "real":
                    head = Paragraphs(r.title, title, self.col_w, round(title.height * 1.2), p.ink, 0)
                    body = Paragraphs(r.text, small, self.col_w, line, p.muted, 0) if r.text else None
                else:
                    label = r.title + (" (invented by the game)" if r.counterfactual else "")
                    head = Paragraphs(label, title, self.col_w - t.px(12), round(title.height * 1.2), p.ink, 0)
                    body = Paragraphs(r.text, italic, self.col_w - t.px(12), line, p.muted, 0) if r.text else None
                bar = head.height + (body.height if body is not None else 0) if r.side == "run" else 0
                pieces.append((x, off, head, bar, r.counterfactual))
                off += head.height
                if body is not None:
                    pieces.append((x, off, body, -1 if r.side == "run" else 0, False))
                    off += body.height
                heights[r.side] = off + t.px(8)
            date_img = date_font.render(pretty_date(date).upper(), p.red)
            self.groups.append((y, date_img, pieces))
            y += date_img.get_height() + t.px(4) + max(heights.values()) + t.px(14)
        self.content = y
        self.scroll.set_size(y, self.view.height, line)
        if self.first:  # open at the present, as a history log does
            self.scroll.scroll_to(self.scroll.max_offset)
            self.first = False
        self.top_fade = fade(inner + t.px(8), t.px(26), p.paper, downwards=False)

    def handle(self, action: Action) -> None:
        if self.scroll.handle(action):
            return
        if action.kind in (Kind.BACK, Kind.TIMELINE, Kind.CONFIRM):
            self.dismiss()

    def voice_text(self) -> str:
        from game.desktop.voice import join
        if not self.rows:
            return "The timeline is empty."
        last = [r for r in self.rows if r.side == "real"][-3:]
        return join([f"The timeline: what really happened, beside your run, to {pretty_date(self.rows[-1].date)}. "
                     "The latest real events"] + [f"{pretty_date(r.date)}: {r.title}. {r.text}" for r in last])

    def draw(self, surface: pygame.Surface) -> None:
        t, p = self.theme, self.theme.palette
        w, h = self.size
        v = self.view
        to = pretty_date(self.rows[-1].date).upper() if self.rows else ""
        self.draw_frame(surface, v.left, "THE TIMELINE", f"WHAT REALLY HAPPENED, BESIDE YOUR RUN, TO {to}")
        surface.blit(self.col_font.render("WHAT REALLY HAPPENED", p.ink), (v.left, self.heads_y))
        surface.blit(self.col_font.render("YOUR RUN", p.ink), (self.right_x, self.heads_y))
        pygame.draw.line(surface, p.rule, (v.left, v.top - t.px(5)), (v.right, v.top - t.px(5)))
        mid = self.right_x - t.px(18)
        pygame.draw.line(surface, p.rule, (mid, v.top), (mid, v.bottom))
        old = surface.get_clip()
        surface.set_clip(v.inflate(t.px(8), 0))
        for y0, date_img, pieces in self.groups:
            y = v.top + y0 - self.scroll.offset
            if y > v.bottom or y + t.px(1200) < v.top:
                continue
            surface.blit(date_img, (v.left, y))
            y += date_img.get_height() + t.px(4)
            for x, off, para, bar, invented in pieces:
                if bar > 0:  # a scene of the run: a bar beside it, red when the game invented it
                    pygame.draw.rect(surface, p.red if invented else p.ink,
                                     pygame.Rect(x, y + off + t.px(3), t.px(4), bar - t.px(2)))
                para.draw(surface, x + (t.px(12) if bar else 0), y + off, clip=v)
        surface.set_clip(old)
        if self.scroll.offset > 0:
            surface.blit(self.top_fade, (v.left - t.px(4), v.top))
        hint_bar(surface, t, pygame.Rect(v.left, h - t.px(44), v.width, t.px(30)),
                 [("Wheel PgUp/PgDn", "scroll"), ("Home/End", "first/last"), ("T / Esc", "close")])
