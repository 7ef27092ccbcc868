"""Settings: text size, line spacing, text speed, window or full screen, high contrast, font,
the size of labels and key hints, reduced motion, and self-voicing.

Up/Down pick a row, Left/Right (or Enter, or a click) change it. Every change applies at
once, so the sample paragraph shows what it does, and is saved for the next run.
"""

from __future__ import annotations

import pygame

from game.desktop.actions import Action, Kind
from game.desktop.chrome import kicker_at
from game.desktop.screens.base import Screen
from game.desktop.settings import cycled
from game.desktop.widgets import Menu, Paragraphs, hint_bar, text

ROWS = (
    ("text_size", "Text size"),
    ("line_spacing", "Line spacing"),
    ("text_speed", "Text speed"),
    ("fullscreen", "Display"),
    ("high_contrast", "Contrast"),
    ("dyslexic_font", "Reading font"),
    ("ui_scale", "Labels and keys"),
    ("reduce_motion", "Motion"),
    ("self_voicing", "Self-voicing"),
)

VALUE_NAMES = {
    "fullscreen": {False: "Window", True: "Full screen"},
    "high_contrast": {False: "Poster colours", True: "High contrast"},
    "dyslexic_font": {False: "Open Sans", True: "OpenDyslexic"},
    "ui_scale": {"normal": "Normal", "large": "Large", "larger": "Larger"},
    "reduce_motion": {False: "Full", True: "Reduced"},
    "self_voicing": {False: "Off", True: "On (V)"},
}

SAMPLE = ("Fotieva, Lenin's secretary, waits in your doorway with a sealed note. Outside, the first thaw "
          "drips from the Kremlin roofs, and somewhere below a sentry stamps his boots against the cold.")


def value_name(name: str, value) -> str:
    return VALUE_NAMES.get(name, {}).get(value, str(value).capitalize())


class SettingsScreen(Screen):
    def __init__(self) -> None:
        super().__init__()
        self.menu = Menu([True] * len(ROWS))

    def resize(self, size: tuple[int, int]) -> None:
        super().resize(size)
        t, p = self.theme, self.theme.palette
        w, h = size
        m = t.px(64)
        self.title_font = t.display(64)
        self.label = t.label(19)
        self.value = t.body(20, "bold")
        top = t.px(150)
        gap = t.px(6)
        # Rows share the height there is (never thinner than their label), the hint bar below.
        row_h = max(self.label.height + t.px(10), min(t.px(52), (h - top - t.px(64)) // len(ROWS) - gap))
        rows_w = min(t.px(600), int(w * 0.5))
        self.menu.rects = [pygame.Rect(m, top + i * (row_h + gap), rows_w, row_h) for i in range(len(ROWS))]
        px = m + rows_w + t.px(56)
        self.preview_rect = pygame.Rect(px, top, w - px - m, h - top - t.px(80))
        self.sample = Paragraphs(SAMPLE, t.body(), self.preview_rect.width - t.px(60), t.line_height, p.ink)
        # Arrow boxes at both ends of each row, for the mouse.
        self.arrows = [(pygame.Rect(r.right - t.px(44) * 2, r.top, t.px(44), r.height),
                        pygame.Rect(r.right - t.px(44), r.top, t.px(44), r.height)) for r in self.menu.rects]

    def change(self, row: int, direction: int) -> None:
        name = ROWS[row][0]
        self.app.apply_settings(cycled(self.app.settings, name, direction))

    def handle(self, action: Action) -> None:
        k = action.kind
        if k in (Kind.BACK, Kind.SETTINGS):
            self.dismiss()
        elif k == Kind.LEFT:
            self.change(self.menu.focus, -1)
        elif k in (Kind.RIGHT, Kind.CONFIRM):
            self.change(self.menu.focus, 1)
        elif k == Kind.CHOOSE and 1 <= action.number <= len(ROWS):
            self.menu.focus = action.number - 1
            self.change(self.menu.focus, 1)
        elif k == Kind.CLICK:
            for i, (left, right) in enumerate(self.arrows):
                if left.collidepoint(action.pos):
                    self.menu.focus = i
                    self.change(i, -1)
                    return
                if right.collidepoint(action.pos) or self.menu.rects[i].collidepoint(action.pos):
                    self.menu.focus = i
                    self.change(i, 1)
                    return
        elif k in (Kind.UP, Kind.DOWN, Kind.POINT):
            if k == Kind.UP:
                self.menu.move(-1)
            elif k == Kind.DOWN:
                self.menu.move(1)
            else:
                self.menu.handle(action)

    def voice_text(self) -> str:
        return "Settings. Up and down choose a setting, left and right change it."

    def voice_focus(self) -> str:
        name, label = ROWS[self.menu.focus]
        return f"{label}: {value_name(name, getattr(self.app.settings, name))}"

    def draw(self, surface: pygame.Surface) -> None:
        t, p = self.theme, self.theme.palette
        w, h = self.size
        surface.fill(p.paper)
        m = t.px(64)
        pygame.draw.polygon(surface, p.red, [(0, h), (0, h - t.px(90)), (t.px(420), h)])
        kicker_at(surface, t, "READING AND DISPLAY", p.red, (m + t.px(3), t.px(36)))
        text(surface, self.title_font, "SETTINGS", p.ink, (m, t.px(62)))
        s = self.app.settings
        for i, ((name, label), rect) in enumerate(zip(ROWS, self.menu.rects)):
            focused = i == self.menu.focus
            pygame.draw.rect(surface, p.red if focused else p.highlight, rect)
            fg = p.on_red if focused else p.ink
            text(surface, self.label, label.upper(), fg, (rect.left + t.px(16), rect.centery), "midleft")
            left, right = self.arrows[i]
            text(surface, self.value, value_name(name, getattr(s, name)), fg, (left.left - t.px(10), rect.centery), "midright")
            for box, sign in ((left, -1), (right, 1)):
                c = box.center
                d = t.px(7)
                pts = [(c[0] + sign * d, c[1]), (c[0] - sign * d, c[1] - d), (c[0] - sign * d, c[1] + d)]
                pygame.draw.polygon(surface, fg, pts)
        pr = self.preview_rect
        pygame.draw.rect(surface, p.highlight, pr)
        pygame.draw.rect(surface, p.red, pygame.Rect(pr.left, pr.top, t.px(8), pr.height))
        text(surface, t.label(17), "SAMPLE", p.red, (pr.left + t.px(30), pr.top + t.px(20)))
        old = surface.get_clip()
        surface.set_clip(pr)
        self.sample.draw(surface, pr.left + t.px(30), pr.top + t.px(54))
        surface.set_clip(old)
        hint_bar(surface, t, pygame.Rect(t.px(440), h - t.px(46), w - t.px(480), t.px(30)),
                 [("↑↓", "choose"), ("←→ Enter", "change"), ("Esc", "back")])
