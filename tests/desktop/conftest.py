"""Headless pygame for every desktop test, and a private TESTAMENT_HOME for each test."""

from __future__ import annotations

import os

os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ["SDL_AUDIODRIVER"] = "dummy"
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

from pathlib import Path  # noqa: E402

import pygame  # noqa: E402
import pytest  # noqa: E402

from game.desktop.actions import Action, Kind  # noqa: E402
from game.desktop.app import App, load  # noqa: E402
from game.desktop.settings import Settings  # noqa: E402

HERE = Path(__file__).parent
PALACE = HERE / "fixtures" / "palace"
KITCHEN = HERE.parent / "fixtures" / "kitchen"
OUTPUT = HERE.parent / "output" / "desktop"


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    """Saves, settings and the gallery go to a temporary folder, never the real home."""
    monkeypatch.setenv("TESTAMENT_HOME", str(tmp_path / "home"))
    yield tmp_path / "home"
    pygame.display.quit()


@pytest.fixture
def make_app():
    def make(story: Path = PALACE, size=(1280, 720), settings: Settings | None = None, character: str | None = None,
             chapter_card: bool = False) -> App:
        loaded, problems = load(story, [])
        app = App(loaded, problems, size=size, settings=settings or Settings(text_speed="instant"), character=character)
        if chapter_card is False and type(app.top).__name__ == "ChapterCard":
            app.top.dismiss()  # a new run opens on its first chapter's card; most tests start at the scene
        return app
    return make


def shot(app: App, name: str) -> Path:
    """Render the app to tests/output/desktop/NAME.png and check it is not a blank frame."""
    OUTPUT.mkdir(parents=True, exist_ok=True)
    surface = app.draw()
    path = OUTPUT / f"{name}.png"
    pygame.image.save(surface, str(path))
    assert nontrivial(surface), f"{name}: the frame is nearly blank"
    return path


def nontrivial(surface: pygame.Surface) -> bool:
    """At least a handful of colours on a sample grid, and no single colour covering nearly all."""
    w, h = surface.get_size()
    seen: dict[tuple, int] = {}
    for y in range(0, h, max(1, h // 60)):
        for x in range(0, w, max(1, w // 80)):
            c = tuple(surface.get_at((x, y)))[:3]
            seen[c] = seen.get(c, 0) + 1
    total = sum(seen.values())
    return len(seen) >= 6 and max(seen.values()) < 0.97 * total


def press(app: App, *kinds: Kind) -> None:
    app.send(*(Action(k) for k in kinds))


def screen_names(app: App) -> list[str]:
    return [type(s).__name__ for s in app.stack]
