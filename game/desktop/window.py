"""Where the window opens: a size that fits the player's screen, and the size and position
the player left it at last time.

A 1280x720 window does not fit a 1024x600 netbook screen, so the first size is the
remembered one (or 1280x720) shrunk to the desktop less room for a title bar and a panel.
The size and position are kept in ``window.json`` beside the settings when the game quits;
a position that no longer lies on the screen (a monitor unplugged) is forgotten.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from attrs import frozen

from game.paths import data_dir

DEFAULT_SIZE = (1280, 720)
#: The smallest window the layout is designed for; on a smaller screen, the screen.
MIN_SIZE = (960, 540)
#: Room left on the desktop for the window's title bar and frame, and a panel or dock.
FRAME = (16, 72)


@frozen
class Placement:
    """A windowed size, and a position when one is known and still on screen."""

    size: tuple[int, int]
    position: tuple[int, int] | None = None


def window_path() -> Path:
    return data_dir() / "window.json"


def desktop_size() -> tuple[int, int] | None:
    """The size of the first display, or None when it cannot be told."""
    import pygame
    try:
        sizes = pygame.display.get_desktop_sizes()
    except pygame.error:
        return None
    return tuple(sizes[0]) if sizes else None  # type: ignore[return-value]


def fit(size: tuple[int, int], desktop: tuple[int, int] | None) -> tuple[int, int]:
    """``size`` shrunk (never grown) to fit ``desktop`` with room for the frame; never below
    ``MIN_SIZE`` unless the screen itself is smaller."""
    w, h = size
    if desktop is None:
        return max(MIN_SIZE[0], w), max(MIN_SIZE[1], h)
    room_w, room_h = max(320, desktop[0] - FRAME[0]), max(240, desktop[1] - FRAME[1])
    least_w, least_h = min(MIN_SIZE[0], room_w), min(MIN_SIZE[1], room_h)
    return max(least_w, min(w, room_w)), max(least_h, min(h, room_h))


def min_size(desktop: tuple[int, int] | None) -> tuple[int, int]:
    """The smallest window allowed on this screen."""
    if desktop is None:
        return MIN_SIZE
    return min(MIN_SIZE[0], max(320, desktop[0] - FRAME[0])), min(MIN_SIZE[1], max(240, desktop[1] - FRAME[1]))


def on_screen(position: tuple[int, int], size: tuple[int, int], desktop: tuple[int, int] | None) -> bool:
    """Whether a window at ``position`` would show enough of itself to be dragged back."""
    if desktop is None:
        return True
    x, y = position
    return -size[0] + 120 <= x <= desktop[0] - 120 and 0 <= y <= desktop[1] - 60


def _pair(value: Any) -> tuple[int, int] | None:
    if (isinstance(value, list) and len(value) == 2 and all(type(v) is int and -100_000 < v < 100_000 for v in value)):
        return value[0], value[1]
    return None


def remembered(path: Path | None = None) -> Placement | None:
    """The size and position kept last time, or None (no file, or a damaged one)."""
    try:
        doc = json.loads((path or window_path()).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(doc, dict):
        return None
    size = _pair(doc.get("size"))
    if size is None or size[0] < 320 or size[1] < 240:
        return None
    return Placement(size, _pair(doc.get("position")))


def placement(desktop: tuple[int, int] | None, path: Path | None = None) -> Placement:
    """Where to open the window: last time's size and position, fitted to this screen."""
    kept = remembered(path)
    size = fit(kept.size if kept else DEFAULT_SIZE, desktop)
    position = kept.position if kept and kept.position and on_screen(kept.position, size, desktop) else None
    return Placement(size, position)


def remember(size: tuple[int, int], position: tuple[int, int] | None, path: Path | None = None) -> None:
    """Keep the windowed size and position for next time; a failure to write is no matter."""
    from game.saves import write_atomically
    doc: dict[str, Any] = {"size": [int(size[0]), int(size[1])]}
    if position is not None:
        doc["position"] = [int(position[0]), int(position[1])]
    try:
        write_atomically(path or window_path(), json.dumps(doc))
    except OSError:
        pass
