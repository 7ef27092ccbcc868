"""The keys, on one panel (F1), as Ren'Py's help screen: every command with its key."""

from __future__ import annotations

import pygame

from game.desktop.actions import Action, Kind
from game.desktop.screens.base import Overlay
from game.desktop.widgets import Paragraphs, Scroll, dialog_panel, frame, glyph_text, glyph_width, hint_bar, more_marker

KEYS = (
    ("Space  Enter", "Read on; at the choices, focus the first; then take the focused one"),
    ("↓  ↑", "Scroll the text line by line; at the choices, move between them"),
    ("1-9", "Take that choice (the first press brings it into view when it is off screen)"),
    ("PgUp  PgDn", "Scroll a page; Home and End go to the top and the bottom"),
    ("Wheel", "Scroll; past the top, roll back one choice; past the end, roll forward"),
    ("Bksp", "Undo the last choice"),
    ("Ctrl+Y", "Redo what was undone (also Shift+Backspace)"),
    ("N", "The historical note of the scene, with its sources"),
    ("J", "The journal: every scene of this run and what you chose"),
    ("G  T", "Who's who and glossary (this scene's names first); the timeline of real events beside your run"),
    ("S  L", "Save, load"),
    ("F5  F9", "Quick save, quick load"),
    ("Del  R", "On the save screens: delete or rename the focused save; PgUp and PgDn turn the pages of slots"),
    ("O  F2", "Settings: text size, spacing, speed, contrast, font, labels, motion, voice"),
    ("V", "Self-voicing on or off: the game reads the screen aloud"),
    ("F11", "Full screen or window (also Alt+Enter)"),
    ("Esc", "The game menu; in a panel, close it"),
    ("Ctrl+Q", "Quit (the game asks first)"),
)


class HelpScreen(Overlay):
    def __init__(self) -> None:
        super().__init__()
        self.scroll = Scroll()

    def resize(self, size: tuple[int, int]) -> None:
        super().resize(size)
        t, p = self.theme, self.theme.palette
        w, h = size
        pw = min(w - t.px(60), t.px(980))
        self.title_font = t.display(46)
        self.key_font = t.label(17)
        self.key_w = max(glyph_width(self.key_font, k) for k, _ in KEYS) + t.px(20)
        body = t.small(factor=0.9)
        inner = pw - t.px(80) - self.key_w - t.px(16)
        self.rows = []
        y = 0
        for key, what in KEYS:
            para = Paragraphs(what, body, inner, round(body.height * 1.3), p.ink, 0)
            self.rows.append((y, key, para))
            y += max(para.height, self.key_font.height + t.px(6)) + t.px(8)
        head = t.px(30) + self.title_font.height + t.px(10)
        ph = min(h - t.px(40), head + y + t.px(70))
        self.panel = pygame.Rect(0, 0, pw, ph)
        self.panel.center = (w // 2, h // 2)
        self.view = pygame.Rect(self.panel.left + t.px(40), self.panel.top + head, pw - t.px(80), ph - head - t.px(60))
        self.scroll.set_size(y, self.view.height, round(body.height * 1.3))

    def handle(self, action: Action) -> None:
        if self.scroll.handle(action):
            return
        if action.kind in (Kind.BACK, Kind.HELP, Kind.CONFIRM, Kind.CLICK):
            self.dismiss()

    def voice_text(self) -> str:
        return "Keys. " + " ".join(f"{k.replace('  ', ' or ')}: {w}." for k, w in KEYS)

    def draw(self, surface: pygame.Surface) -> None:
        super().draw(surface)
        t, p = self.theme, self.theme.palette
        dialog_panel(surface, t, self.panel, self.title_font, "Keys", t.px(26))
        frame(surface, t, self.panel)
        old = surface.get_clip()
        surface.set_clip(self.view)
        for y, key, para in self.rows:
            top = self.view.top + y - self.scroll.offset
            if top > self.view.bottom or top + para.height < self.view.top:
                continue
            box = pygame.Rect(self.view.left, top, self.key_w, self.key_font.height + t.px(4))
            box.centery = top + para.offset + para.font.height // 2
            pygame.draw.rect(surface, p.red, box)
            glyph_text(surface, self.key_font, key, p.on_red, box.center)
            para.draw(surface, box.right + t.px(16), top)
        surface.set_clip(old)
        if self.scroll.offset < self.scroll.max_offset:
            more_marker(surface, t, (self.view.right, self.panel.bottom - t.px(40)))
        hint_bar(surface, t, pygame.Rect(self.view.left, self.panel.bottom - t.px(46), self.view.width, t.px(30)),
                 [("Esc / F1", "close"), ("PgUp/PgDn", "scroll")])
