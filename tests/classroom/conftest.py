"""The classroom tests' small story: the lesson (a historical scene with a note, and an invented one)."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.engine import load_story

LESSON = Path(__file__).parent / "fixtures" / "lesson"


@pytest.fixture(scope="module")
def lesson():
    return load_story(LESSON)
