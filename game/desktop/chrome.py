"""Shared page furniture: the reading layout (art panel + text column) and headings.

Keeping the geometry here means every reading screen has the same margins and measure,
and a change of text size reflows all of them the same way.
"""

from __future__ import annotations

import pygame
from attrs import frozen

from game.desktop.text_layout import IDEAL_CHARS, measure_width
from game.desktop.theme import Theme


@frozen
class ReadingLayout:
    """Where the art panel, the text column and the hint bar go in a window."""

    art: pygame.Rect
    column: pygame.Rect
    hints: pygame.Rect

    @property
    def width(self) -> int:
        return self.column.width


def reading_layout(theme: Theme, size: tuple[int, int], art_share: float = 0.34) -> ReadingLayout:
    """An art panel on the left and a text column of about 66 characters on the right.

    The column takes the measure it needs (capped by the window); the art takes the rest,
    but never less than a sliver, so the poster is always there.
    """
    w, h = size
    m = theme.margin
    hint_h = theme.px(34)
    ideal = measure_width(theme.body().width, IDEAL_CHARS)
    art_w = max(int(w * 0.18), min(int(w * art_share), w - ideal - 2 * m))
    col_w = min(ideal, w - art_w - 2 * m)
    left = art_w + max(m, (w - art_w - col_w) // 2)
    column = pygame.Rect(left, m, col_w, h - m - hint_h - theme.px(8))
    return ReadingLayout(pygame.Rect(0, 0, art_w, h), column, pygame.Rect(art_w + theme.px(20), h - hint_h, w - art_w - theme.px(40), hint_h))


def kicker(theme: Theme, text: str) -> pygame.Surface:
    """The small red line above a title: date and place, or a section name."""
    return theme.label(17).render(text.upper(), theme.palette.red)


def red_bar(surface: pygame.Surface, theme: Theme, x: int, y: int, width: int | None = None) -> int:
    """The short thick red rule under a title; returns its height."""
    h = theme.px(6)
    pygame.draw.rect(surface, theme.palette.red, pygame.Rect(x, y, width or theme.px(96), h))
    return h


def kicker_at(surface: pygame.Surface, theme: Theme, text: str, colour, pos: tuple[int, int], design_px: float = 17) -> pygame.Rect:
    """A kicker over a heading, with its top at ``pos`` as designed; when the player's label
    size makes it larger it grows upwards, so it never runs into the heading below."""
    from game.desktop.theme import FONT_FILES, Font, _load
    font = theme.label(design_px)
    designed = Font(_load(FONT_FILES["label"], max(12, theme.px(design_px)))).height
    image = font.render(text, colour)
    rect = image.get_rect(bottomleft=(pos[0], pos[1] + designed))
    surface.blit(image, rect)
    return rect
