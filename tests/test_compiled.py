"""The compiled-story cache: used when the files are unchanged, rebuilt when they change."""

from __future__ import annotations

import os
import shutil

from game import compiled
from game.engine import start, step
from tests.conftest import FIXTURES


def copy_story(tmp_path):
    target = tmp_path / "story"
    shutil.copytree(FIXTURES / "features", target)
    return target


def cache_files():
    folder = compiled.cache_dir()
    return sorted(folder.glob("*.pickle")) if folder.exists() else []


def test_second_load_comes_from_the_cache_and_plays_the_same(tmp_path):
    folder = copy_story(tmp_path)
    first, _ = compiled.load_checked([folder], min_bytes=0)
    assert len(cache_files()) == 1
    second, problems = compiled.load_checked([folder], min_bytes=0)
    assert second is not first and problems.errors == []
    a, b = start(first, "leon"), start(second, "leon")
    for choice in ("fair-up", "strong", "on"):
        a, b = step(first, a, choice), step(second, b, choice)
    assert a == b and b.ending == "maps"


def test_a_changed_file_is_read_afresh(tmp_path):
    folder = copy_story(tmp_path)
    compiled.load_checked([folder], min_bytes=0)
    scenes = folder / "scenes.yaml"
    scenes.write_text(scenes.read_text().replace("The hall is full.", "The hall is empty."))
    os.utime(scenes, ns=(1, 1))
    story, _ = compiled.load_checked([folder], min_bytes=0)
    assert "The hall is empty." in story.scenes["hall"].text.all()
    assert len(cache_files()) == 2


def test_a_damaged_cache_is_rebuilt(tmp_path):
    folder = copy_story(tmp_path)
    compiled.load_checked([folder], min_bytes=0)
    (cached,) = cache_files()
    cached.write_bytes(b"not a pickle")
    story, problems = compiled.load_checked([folder], min_bytes=0)
    assert story is not None and problems.errors == []
    assert cached.read_bytes() != b"not a pickle"


def test_broken_stories_and_small_ones_are_not_cached():
    story, problems = compiled.load_checked([FIXTURES / "broken"], min_bytes=0)
    assert story is None and problems.errors
    compiled.load_checked([FIXTURES / "features"])
    assert cache_files() == []
