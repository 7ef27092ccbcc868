"""The campaign's content tests: the campaign as the loader reads it, and the texts a player reads in a scene."""

from __future__ import annotations

import pytest

from game.engine import load_story
from game.paths import story_dir


@pytest.fixture(scope="module")
def campaign():
    return load_story(story_dir())


def scene_texts(scene):
    """What the player reads in the scene itself (the note apart)."""
    yield from scene.place.all()
    yield scene.title
    yield from scene.text.all()
    for choice in scene.choices:
        yield from choice.text.all()
        yield from choice.locked.all()
        yield from choice.reply.all()
