"""Player preferences: readable text, speed, display and accessibility, kept between runs.

Every option is a small fixed list of named steps, so the settings screen can cycle
through them with the arrow keys and a damaged settings file can only ever fall back to
a known step, never to a value that breaks the layout.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import attrs
from attrs import frozen

from game.paths import data_dir

#: Body text height in pixels on a 720-pixel-high window, per text-size step.
TEXT_SIZES: dict[str, int] = {"small": 20, "normal": 23, "large": 27, "huge": 32}
#: Line height as a multiple of the font size.
LINE_SPACINGS: dict[str, float] = {"compact": 1.35, "normal": 1.55, "airy": 1.8}
#: Characters revealed per second; ``None`` shows the whole text at once.
TEXT_SPEEDS: dict[str, float | None] = {"slow": 35.0, "normal": 70.0, "fast": 150.0, "instant": None}
#: How much larger labels, key hints, tabs and headings are drawn than designed.
UI_SCALES: dict[str, float] = {"normal": 1.0, "large": 1.25, "larger": 1.5}


@frozen
class Settings:
    """One snapshot of the preferences; change them with ``attrs.evolve``."""

    #: A key of ``TEXT_SIZES``.
    text_size: str = "normal"
    #: A key of ``LINE_SPACINGS``.
    line_spacing: str = "normal"
    #: A key of ``TEXT_SPEEDS``.
    text_speed: str = "normal"
    #: Fill the screen instead of a resizable window.
    fullscreen: bool = False
    #: Black and white with a bright accent, for low vision.
    high_contrast: bool = False
    #: Use OpenDyslexic for the body text.
    dyslexic_font: bool = False
    #: A key of ``UI_SCALES``: the size of labels and key hints, apart from the reading text.
    ui_scale: str = "normal"
    #: No text scrolling by itself while it is revealed, no animated cards or fades.
    reduce_motion: bool = False
    #: Read the screen aloud through the system's speech engine (Ren'Py's self-voicing, V).
    self_voicing: bool = False

    @property
    def body_px(self) -> int:
        return TEXT_SIZES[self.text_size]

    @property
    def line_factor(self) -> float:
        return LINE_SPACINGS[self.line_spacing]

    @property
    def chars_per_second(self) -> float | None:
        return TEXT_SPEEDS[self.text_speed]

    @property
    def ui_factor(self) -> float:
        return UI_SCALES[self.ui_scale]


_CHOICES: dict[str, tuple[Any, ...]] = {
    "text_size": tuple(TEXT_SIZES),
    "line_spacing": tuple(LINE_SPACINGS),
    "text_speed": tuple(TEXT_SPEEDS),
    "fullscreen": (False, True),
    "high_contrast": (False, True),
    "dyslexic_font": (False, True),
    "ui_scale": tuple(UI_SCALES),
    "reduce_motion": (False, True),
    "self_voicing": (False, True),
}


def options(name: str) -> tuple[Any, ...]:
    """The steps an option can take, in the order the settings screen cycles them."""
    return _CHOICES[name]


def cycled(settings: Settings, name: str, direction: int) -> Settings:
    """``settings`` with option ``name`` moved one step (wrapping) in ``direction``."""
    steps = _CHOICES[name]
    now = steps.index(getattr(settings, name))
    return attrs.evolve(settings, **{name: steps[(now + direction) % len(steps)]})


def settings_path() -> Path:
    return data_dir() / "settings.json"


def from_document(doc: Any) -> Settings:
    """Settings from parsed JSON; anything unknown or out of range keeps its default."""
    values: dict[str, Any] = {}
    if isinstance(doc, dict):
        for name, steps in _CHOICES.items():
            if name in doc and doc[name] in steps and type(doc[name]) is type(steps[0]):
                values[name] = doc[name]
    return Settings(**values)


def load_settings(path: Path | None = None) -> Settings:
    """The saved preferences, or the defaults when there are none or they are unreadable."""
    path = path or settings_path()
    try:
        return from_document(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return Settings()


def save_settings(settings: Settings, path: Path | None = None) -> None:
    """Write the preferences; a failure to write is not worth stopping the game for."""
    from game.saves import write_atomically
    try:
        write_atomically(path or settings_path(), json.dumps(attrs.asdict(settings), indent=1))
    except OSError:
        pass
