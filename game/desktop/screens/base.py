"""The screen lifecycle: enter, resize, handle, update, draw, leave; results go back by callback.

A screen is pushed on the app's stack with an optional ``on_result`` callback and hands
its result back with ``dismiss(result)``, like Textual's ``push_screen``/``dismiss``.
``draw`` must never change state: layout happens in ``resize`` (called after ``enter``
and whenever the window or the settings change) and in ``handle``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

import pygame

from game.desktop.actions import Action

if TYPE_CHECKING:
    from game.desktop.app import App
    from game.desktop.theme import Theme


class Screen:
    """Base class: override what the screen needs."""

    #: False for overlays: the screen below is drawn first.
    opaque: bool = True
    #: True where the player types (a save's name): then V and F1 are letters, not commands.
    takes_text: bool = False

    def __init__(self) -> None:
        self.app: "App" = None  # type: ignore[assignment]  # set by App.push
        self.on_result: Callable[[Any], None] | None = None
        self.size: tuple[int, int] = (0, 0)

    @property
    def theme(self) -> "Theme":
        return self.app.theme

    # Lifecycle -----------------------------------------------------------------
    def enter(self) -> None:
        """Pushed on the stack (``self.app`` is set); ``resize`` follows at once."""

    def leave(self) -> None:
        """Taken off the stack."""

    def resume(self) -> None:
        """The screen above was dismissed; this one is on top again."""

    def resize(self, size: tuple[int, int]) -> None:
        """Lay out for ``size`` and the current theme. Store what ``draw`` needs."""
        self.size = size

    def handle(self, action: Action) -> None:
        """React to one player action."""

    def update(self, dt: float) -> bool:
        """Advance animations by ``dt`` seconds; return True while something moves."""
        return False

    def draw(self, surface: pygame.Surface) -> None:
        """Paint the current state. Must not change it."""

    # Self-voicing ------------------------------------------------------------------
    def voice_text(self) -> str:
        """What the screen says when it opens or its content changes (self-voicing)."""
        return ""

    def voice_focus(self) -> str:
        """What the focused control says when the focus moves (self-voicing)."""
        return ""

    # Results -------------------------------------------------------------------
    def dismiss(self, result: Any = None) -> None:
        """Leave the stack and hand ``result`` to whoever opened this screen."""
        self.app.pop(self, result)


class BandPage(Screen):
    """A page you look things up in (the glossary, the timeline): the dark band down the
    left with the page's word, and a title with a red subtitle. ``resize`` sets the frame
    (``band_w``, ``margin``, the heading's fonts, ``heading_bottom``); the page lays out
    below it and calls ``draw_frame`` first when it draws."""

    #: The word up the band, and the corners of its red wedge (``chrome.side_band``).
    word = ""
    wedge = (0.0, 0.0, 0.0, 0.0)

    def resize(self, size: tuple[int, int]) -> None:
        from game.desktop.chrome import heading_height
        super().resize(size)
        t = self.theme
        self.band_w = t.px(150)
        self.margin = t.px(40)
        self.title_font = t.display(56)
        self.sub_font = t.label(17)
        self.heading_bottom = t.px(26) + heading_height(t, self.title_font, self.sub_font)

    def draw_frame(self, surface: pygame.Surface, left: int, title: str, subtitle: str) -> None:
        from game.desktop.chrome import page_heading, side_band
        t = self.theme
        surface.fill(t.palette.paper)
        side_band(surface, t, pygame.Rect(0, 0, self.band_w, self.size[1]), self.word, self.wedge)
        page_heading(surface, t, (left, t.px(26)), self.title_font, title, self.sub_font, subtitle)


class Overlay(Screen):
    """A panel over the screen below, which stays visible, dimmed."""

    opaque = False

    def resize(self, size: tuple[int, int]) -> None:
        super().resize(size)
        self.dim = pygame.Surface(size, pygame.SRCALPHA)
        # In high contrast the page below is dimmed further, so it cannot be read for the panel.
        self.dim.fill((0, 0, 0, 215 if self.app.settings.high_contrast else 150))

    def draw(self, surface: pygame.Surface) -> None:
        surface.blit(self.dim, (0, 0))
