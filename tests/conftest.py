"""Shared fixtures: fixture stories, and every engine test run directly and after a save/load round trip."""

from __future__ import annotations

from pathlib import Path

import pytest

from game import saves
from game.engine import State, Story, load_story, start, step

FIXTURES = Path(__file__).parent / "fixtures"


def play(story: Story, character: str, *choices: str) -> State:
    """The state after ``character`` takes ``choices`` (choice ids) from the start."""
    state = start(story, character)
    for c in choices:
        state = step(story, state, c)
    return state


@pytest.fixture(autouse=True)
def _private_home(tmp_path, monkeypatch):
    """Saves, settings and the gallery go to a temporary folder, never the real home."""
    monkeypatch.setenv("TESTAMENT_HOME", str(tmp_path / "home"))


@pytest.fixture(scope="session")
def features() -> Story:
    return load_story(FIXTURES / "features")


@pytest.fixture(scope="module")
def campaign() -> Story:
    """The bundled campaign, loaded and checked as ``testament check`` does (through the cache).

    A module that needs it read otherwise (``load_story``, the window's ``load``) defines
    its own ``campaign``.
    """
    from game.compiled import load_checked
    from game.paths import story_dir
    story, problems = load_checked([story_dir()])
    assert story is not None, problems.errors
    return story


@pytest.fixture(params=["direct", "save-load"])
def roundtrip(request, tmp_path):
    """A function applied to a state after every step: identity, or save then load.

    ink runs its whole suite this way (TestMode.JsonRoundTrip): a state that survives a
    save/load cycle unchanged is a state whose saves never break.
    """
    if request.param == "direct":
        return lambda story, state: state
    counter = iter(range(10**6))

    def through_a_save(story: Story, state: State) -> State:
        path = tmp_path / f"rt-{next(counter)}.json"
        saves.save(path, story, state, "round trip")
        loaded = saves.load(path, story)
        assert loaded.problem == ""
        return loaded.state

    return through_a_save
