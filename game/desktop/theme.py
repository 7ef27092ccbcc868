"""Colours, fonts and sizes: the whole look of the game in one module.

Two palettes (the constructivist poster palette and a high-contrast one) and three type
roles: a bold condensed display face for titles (Bebas Neue), a plain sans for reading
(Open Sans, or OpenDyslexic on request) and a condensed bold sans for labels. Sizes
scale with the window height so 1280x720 and 1920x1080 look the same, only sharper.
"""

from __future__ import annotations

from pathlib import Path

import pygame
from attrs import frozen

from game.desktop.settings import TEXT_SIZES, Settings
from game.desktop.text_layout import typeset
from game.paths import assets_dir

Color = tuple[int, int, int]


@frozen
class Palette:
    """The colours every screen draws with; text colours keep 4.5:1 against ``paper``."""

    paper: Color      # reading background (cream)
    ink: Color        # body text
    muted: Color      # secondary text: dates, places, hints
    red: Color        # accents, focus, headings
    on_red: Color     # text on a red field
    dark: Color       # poster black, panels
    on_dark: Color    # text on a dark panel
    rule: Color       # thin dividing lines
    disabled: Color   # greyed choices (with their reason in ``muted``)
    highlight: Color  # background of the focused item
    art_red: Color
    art_black: Color
    art_cream: Color
    art_grey: Color


POSTER = Palette(
    paper=(242, 233, 214), ink=(26, 22, 20), muted=(84, 72, 62), red=(178, 32, 26), on_red=(250, 244, 230),
    dark=(24, 20, 19), on_dark=(242, 233, 214), rule=(196, 182, 160), disabled=(104, 94, 84),
    highlight=(230, 214, 186), art_red=(200, 40, 30), art_black=(26, 22, 20), art_cream=(238, 226, 202),
    art_grey=(120, 108, 96),
)

HIGH_CONTRAST = Palette(
    paper=(0, 0, 0), ink=(255, 255, 255), muted=(230, 230, 230), red=(255, 214, 0), on_red=(0, 0, 0),
    dark=(0, 0, 0), on_dark=(255, 255, 255), rule=(200, 200, 200), disabled=(170, 170, 170),
    highlight=(40, 40, 40), art_red=(220, 30, 30), art_black=(0, 0, 0), art_cream=(255, 255, 255),
    art_grey=(140, 140, 140),
)


def luminance(c: Color) -> float:
    def channel(v: int) -> float:
        s = v / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(v) for v in c)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: Color, b: Color) -> float:
    """The WCAG contrast ratio of two colours."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


FONT_FILES = {
    "display": "BebasNeue-Bold.otf",
    "body": "OpenSans-Regular.ttf",
    "bold": "OpenSans-Bold.ttf",
    "italic": "OpenSans-Italic.ttf",
    "label": "OpenSans-CondBold.ttf",
    "dyslexic": "OpenDyslexic-Regular.otf",
    "dyslexic-bold": "OpenDyslexic-Bold.otf",
}


def font_dir() -> Path:
    return assets_dir() / "fonts"


class Font:
    """A font at one size; falls back to Open Sans for text the chosen face cannot show.
    Text is typeset on the way in (``text_layout.typeset``): curly quotes and real dashes.

    OpenDyslexic has no Cyrillic, so a line with Cyrillic in it is set in Open Sans
    rather than in boxes.
    """

    def __init__(self, main: pygame.font.Font, fallback: pygame.font.Font | None = None, latin_only: bool = False):
        self.main = main
        self.fallback = fallback
        self.latin_only = latin_only

    def _pick(self, text: str) -> pygame.font.Font:
        # Curly quotes and dashes (General Punctuation) are in OpenDyslexic: only other scripts fall back.
        if self.latin_only and self.fallback is not None and any(ord(ch) > 0x24F and not 0x2000 <= ord(ch) <= 0x206F
                                                                 for ch in text):
            return self.fallback
        return self.main

    # Every string is typeset (curly quotes, dashes) the same way when measured and drawn.
    def size(self, text: str) -> tuple[int, int]:
        text = typeset(text)
        return self._pick(text).size(text)

    def width(self, text: str) -> int:
        text = typeset(text)
        return self._pick(text).size(text)[0]

    def render(self, text: str, color: Color) -> pygame.Surface:
        text = typeset(text)
        return self._pick(text).render(text, True, color)

    @property
    def height(self) -> int:
        return self.main.get_height()

    @property
    def ascent(self) -> int:
        return self.main.get_ascent()


_FONT_CACHE: dict[tuple[str, int], pygame.font.Font] = {}


def _load(role_file: str, px: int) -> pygame.font.Font:
    key = (role_file, px)
    font = _FONT_CACHE.get(key)
    if font is None:
        path = font_dir() / role_file
        try:
            font = pygame.font.Font(str(path), px)
        except (OSError, FileNotFoundError, pygame.error):
            font = pygame.font.Font(None, px)  # the game still runs without its fonts
        _FONT_CACHE[key] = font
    return font


class Theme:
    """Fonts and metrics for one window size and one set of preferences."""

    def __init__(self, settings: Settings, size: tuple[int, int]):
        self.settings = settings
        self.size = size
        self.palette = HIGH_CONTRAST if settings.high_contrast else POSTER
        w, h = size
        #: Everything is designed at 1280x720 and scaled by this.
        self.scale = max(0.5, min(w / 1280, h / 720, 3.0))  # below 0.7 only on a very small screen

    def px(self, design_px: float) -> int:
        """A length designed at 1280x720, at this window's scale."""
        return max(1, round(design_px * self.scale))

    @property
    def body_px(self) -> int:
        return self.px(self.settings.body_px)

    @property
    def line_height(self) -> int:
        return round(self.body_px * self.settings.line_factor)

    @property
    def margin(self) -> int:
        return self.px(48)

    def display(self, design_px: float) -> Font:
        return Font(_load(FONT_FILES["display"], self.px(design_px)))

    def ui(self, design_px: float) -> int:
        """A length of the interface (a label, a key cap) at this scale and the player's UI
        scale; labels grow a little with the text size too (a sixth larger at Huge)."""
        follow = (self.settings.body_px / TEXT_SIZES["normal"]) ** 0.5
        return self.px(design_px * self.settings.ui_factor * max(1.0, follow))

    def label(self, design_px: float) -> Font:
        """The condensed bold face of labels, tabs and key hints, at the player's UI scale and
        never below 12 pixels (small windows shrink everything else, not these)."""
        return Font(_load(FONT_FILES["label"], max(12, self.ui(design_px))))

    def small(self, weight: str = "regular", factor: float = 0.8) -> Font:
        """Secondary reading text (sources, captions, details) that follows the text size."""
        return self.body(self.settings.body_px * factor, weight)

    def body(self, design_px: float | None = None, weight: str = "regular") -> Font:
        """Reading text in the player's chosen face; ``weight`` is regular, bold or italic."""
        px = self.body_px if design_px is None else self.px(design_px)
        plain = {"regular": "body", "bold": "bold", "italic": "italic"}[weight]
        if self.settings.dyslexic_font:
            dys = "dyslexic-bold" if weight == "bold" else "dyslexic"
            # OpenDyslexic runs large; set it a little smaller to keep the measure.
            return Font(_load(FONT_FILES[dys], round(px * 0.88)), _load(FONT_FILES[plain], px), latin_only=True)
        return Font(_load(FONT_FILES[plain], px))
