"""Fixture stories for the analysis tests, and small generated stories."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from game.engine import Story, load_story

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


@pytest.fixture(scope="session")
def kitchen() -> Story:
    return load_story(FIXTURES / "kitchen")


@pytest.fixture(scope="session")
def playtest_story() -> Story:
    return load_story(FIXTURES / "playtest")


@pytest.fixture(scope="session")
def stats_story() -> Story:
    return load_story(FIXTURES / "stats-words")


@pytest.fixture(scope="session")
def search_limit() -> Story:
    return load_story(FIXTURES / "search-limit")


@pytest.fixture(scope="session")
def visits_loop() -> Story:
    return load_story(FIXTURES / "visits-loop")


@pytest.fixture(scope="session")
def generated(tmp_path_factory) -> Story:
    """A 100-scene layered story from the benchmark generator: every run makes 20 choices."""
    from benchmarks.generate import generate
    return load_story(generate(tmp_path_factory.mktemp("gen") / "story", scenes=100, seed=3))
