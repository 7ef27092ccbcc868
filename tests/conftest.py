"""Shared fixtures: fixture stories, and every engine test run directly and after a save/load round trip."""

from __future__ import annotations

from pathlib import Path

import pytest

from game import saves
from game.engine import State, Story, load_story

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def _private_home(tmp_path, monkeypatch):
    """Saves, settings and the gallery go to a temporary folder, never the real home."""
    monkeypatch.setenv("TESTAMENT_HOME", str(tmp_path / "home"))


@pytest.fixture(scope="session")
def features() -> Story:
    return load_story(FIXTURES / "features")


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
