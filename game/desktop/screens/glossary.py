"""The glossary and who's who (G, from any scene): the names of the current scene first.

A list on the left (this scene's names, then the people, then the terms and places) and
the chosen entry on the right: its full name, dates and text. Up and down choose, a click
chooses, PgUp/PgDn scroll the entry, the wheel scrolls the pane it is over; G or Escape
closes. The entries come from the story folder's ``glossary.yaml`` (``game.classroom.glossary``).
"""

from __future__ import annotations

from typing import Sequence

import pygame

from game.classroom import glossary
from game.desktop.actions import Action, Kind
from game.desktop.screens.base import BandPage
from game.desktop.widgets import Paragraphs, Scroll, fade, hint_bar, shorten
from game.engine import view

SECTIONS = (("In this scene", None), ("Who's who", ("person",)), ("Glossary", ("term", "place")))


class GlossaryScreen(BandPage):
    word = "GLOSSARY"
    wedge = (0.3, 0.12, 0.26, 0.44)

    def __init__(self, texts: Sequence[str] | None = None) -> None:
        super().__init__()
        #: What the current scene shows (title, place, reply, text, choices); read off the run when not given.
        self.texts = list(texts) if texts is not None else None
        self.list_scroll = Scroll()
        self.entry_scroll = Scroll()
        self.pointer = (0, 0)

    def enter(self) -> None:
        story = self.app.story
        if self.texts is None and self.app.run is not None:
            v = view(story, self.app.run.state)
            self.texts = [v.scene.title, v.place, v.reply, v.text, *(c.text for c in v.choices)]
        here = glossary.entries_in(story, self.texts or [])
        everyone = sorted(glossary.entries(story), key=glossary.sort_key)
        #: Rows of the list: ("head", title) or ("entry", Entry).
        self.rows: list[tuple[str, object]] = []
        for title, kinds in SECTIONS:
            items = here if kinds is None else [e for e in everyone if e.kind in kinds]
            if items:
                self.rows.append(("head", title if kinds is not None else f"{title} ({len(items)})"))
                self.rows += [("entry", e) for e in items]
        self.here = len(here)
        self.focus = next((i for i, (kind, _) in enumerate(self.rows) if kind == "entry"), None)

    @property
    def entry(self) -> glossary.Entry | None:
        return self.rows[self.focus][1] if self.focus is not None else None  # type: ignore[return-value]

    # ---- layout --------------------------------------------------------------------------
    def resize(self, size: tuple[int, int]) -> None:
        super().resize(size)
        t, p = self.theme, self.theme.palette
        w, h = size
        m = self.margin
        top = self.heading_bottom + t.px(18)
        inner = w - self.band_w - 2 * m
        list_w = max(t.px(220), min(t.px(360), int(inner * 0.36)))
        self.list_view = pygame.Rect(self.band_w + m, top, list_w, h - top - t.px(56))
        self.entry_view = pygame.Rect(self.list_view.right + t.px(36), top, w - self.list_view.right - t.px(36) - m,
                                      h - top - t.px(56))
        self.row_font = t.body(17)
        self.row_bold = t.body(17, "bold")
        self.head_font = t.label(16)
        self.row_h = max(self.row_font.height + t.px(10), t.px(30))
        self.row_y = []
        y = 0
        for kind, _ in self.rows:
            if kind == "head" and y:
                y += t.px(12)
            self.row_y.append(y)
            y += self.row_h if kind == "entry" else self.head_font.height + t.px(6)
        self.list_scroll.set_size(y, self.list_view.height, self.row_h)
        self.fade_down = fade(list_w + t.px(8), t.px(24), p.paper, downwards=True)
        self.layout_entry()
        self.show_focus()

    def layout_entry(self) -> None:
        t, p = self.theme, self.theme.palette
        e = self.entry
        width = self.entry_view.width
        self.entry_scroll.offset = 0
        if e is None:
            self.pieces = [Paragraphs("This story has no glossary.", t.body(), width, t.line_height, p.muted)]
            self.entry_scroll.set_size(self.pieces[0].height, self.entry_view.height, t.line_height)
            return
        kind = {"person": "Who's who", "term": "Glossary", "place": "A place"}.get(e.kind, e.kind)
        kicker = " · ".join(x for x in (kind, e.dates) if x).upper()
        heading = t.display(46)
        self.pieces = [Paragraphs(kicker, t.label(17), width, t.label(17).height + t.px(2), p.red, 0),
                       Paragraphs(e.heading.upper(), heading, width, round(heading.height * 0.92), p.ink, 0),
                       Paragraphs(e.text, t.body(), width, t.line_height, p.ink)]
        forms = [x for x in e.also]
        if forms:
            small = t.small(weight="italic")
            self.pieces.append(Paragraphs("Also: " + ", ".join(forms), small, width, round(small.height * 1.35), p.muted))
        self.gaps = [t.px(4), t.px(14), t.px(14), 0]
        content = sum(x.height for x in self.pieces) + sum(self.gaps[: len(self.pieces)])
        self.entry_scroll.set_size(content, self.entry_view.height, t.line_height)

    def show_focus(self) -> None:
        if self.focus is not None:
            y = self.row_y[self.focus]
            self.list_scroll.reveal(y, y + self.row_h, self.row_h)

    # ---- input ---------------------------------------------------------------------------
    def move(self, direction: int, steps: int = 1) -> None:
        if self.focus is None:
            return
        i = self.focus
        for _ in range(steps):
            j = i + direction
            while 0 <= j < len(self.rows) and self.rows[j][0] != "entry":
                j += direction
            if not 0 <= j < len(self.rows):
                break
            i = j
        if i != self.focus:
            self.focus = i
            self.layout_entry()
            self.show_focus()

    def handle(self, action: Action) -> None:
        k = action.kind
        if k in (Kind.BACK, Kind.GLOSSARY):
            self.dismiss()
        elif k == Kind.UP:
            self.move(-1)
        elif k == Kind.DOWN:
            self.move(1)
        elif k == Kind.HOME:
            self.move(-1, len(self.rows))
        elif k == Kind.END:
            self.move(1, len(self.rows))
        elif k in (Kind.PAGE_UP, Kind.PAGE_DOWN):
            self.entry_scroll.handle(action)
        elif k == Kind.POINT:
            self.pointer = action.pos
        elif k == Kind.SCROLL:
            (self.list_scroll if self.list_view.collidepoint(self.pointer) else self.entry_scroll).handle(action)
        elif k == Kind.CLICK and self.list_view.collidepoint(action.pos):
            y = action.pos[1] - self.list_view.top + self.list_scroll.offset
            for i, (kind, _) in enumerate(self.rows):
                if kind == "entry" and self.row_y[i] <= y < self.row_y[i] + self.row_h:
                    self.focus = i
                    self.layout_entry()
                    break

    # ---- voice ---------------------------------------------------------------------------
    def voice_text(self) -> str:
        return (f"Who's who and glossary. {self.here} names in this scene. Up and down choose an entry."
                if self.rows else "This story has no glossary.")

    def voice_focus(self) -> str:
        return self.entry.line() if self.entry is not None else ""

    # ---- drawing -------------------------------------------------------------------------
    def draw(self, surface: pygame.Surface) -> None:
        t, p = self.theme, self.theme.palette
        w, h = self.size
        lv, ev = self.list_view, self.entry_view
        sub = (f"{self.here} NAME{'S' if self.here != 1 else ''} IN THIS SCENE, FIRST" if self.here
               else "NO NAMES OF THE GLOSSARY IN THIS SCENE")
        self.draw_frame(surface, lv.left, "WHO'S WHO AND GLOSSARY", sub)
        old = surface.get_clip()
        surface.set_clip(lv.inflate(t.px(8), 0))
        for i, (kind, thing) in enumerate(self.rows):
            y = lv.top + self.row_y[i] - self.list_scroll.offset
            if y + self.row_h < lv.top or y > lv.bottom:
                continue
            if kind == "head":
                surface.blit(self.head_font.render(str(thing).upper(), p.red), (lv.left, y))
                continue
            on = i == self.focus
            r = pygame.Rect(lv.left, y, lv.width, self.row_h - t.px(2))
            if on:
                pygame.draw.rect(surface, p.red, r)
            font = self.row_bold if on else self.row_font
            label = thing.short  # type: ignore[attr-defined]
            img = font.render(shorten(font, label, lv.width - t.px(16)), p.on_red if on else p.ink)
            surface.blit(img, img.get_rect(midleft=(r.left + t.px(8), r.centery)))
        surface.set_clip(old)
        if self.list_scroll.offset < self.list_scroll.max_offset:
            surface.blit(self.fade_down, (lv.left - t.px(4), lv.bottom - self.fade_down.get_height()))
        pygame.draw.line(surface, p.rule, (lv.right + t.px(18), lv.top), (lv.right + t.px(18), lv.bottom))
        surface.set_clip(ev)
        y = ev.top - self.entry_scroll.offset
        for piece, gap in zip(self.pieces, getattr(self, "gaps", [0] * len(self.pieces))):
            piece.draw(surface, ev.left, y, clip=ev)
            y += piece.height + gap
        surface.set_clip(old)
        hint_bar(surface, t, pygame.Rect(lv.left, h - t.px(44), w - lv.left - t.px(20), t.px(30)),
                 [("↑↓", "choose"), ("PgUp/PgDn", "scroll the entry"), ("G / Esc", "close")])
