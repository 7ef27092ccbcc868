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
    again, _ = compiled.load_checked([folder], min_bytes=0)
    assert "The hall is empty." in again.scenes["hall"].text.all()


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


def test_an_edit_to_a_listed_file_of_any_name_is_read_afresh(tmp_path):
    folder = copy_story(tmp_path)
    (folder / "scenes.yaml").rename(folder / "scenes.txt")
    manifest = folder / "story.yaml"
    manifest.write_text(manifest.read_text().replace("scenes.yaml", "scenes.txt"))
    first, _ = compiled.load_checked([folder], min_bytes=0)
    assert first is not None and cache_files()
    scenes = folder / "scenes.txt"
    stat = scenes.stat()
    scenes.write_text(scenes.read_text().replace("The hall is full.", "The hall is aful."))  # same size
    os.utime(scenes, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # and the same modification time
    story, _ = compiled.load_checked([folder], min_bytes=0)
    assert "The hall is aful." in story.scenes["hall"].text.all()


def test_a_story_too_deep_to_pickle_is_loaded_and_simply_not_cached(tmp_path, monkeypatch):
    folder = copy_story(tmp_path)

    def refuse(*args, **kwargs):
        raise RecursionError("maximum recursion depth exceeded while pickling an object")
    monkeypatch.setattr(compiled.pickle, "dumps", refuse)
    story, problems = compiled.load_checked([folder], min_bytes=0)
    assert story is not None and problems.errors == []
    assert cache_files() == []


def test_the_deepest_condition_allowed_is_cached_and_plays_the_same(tmp_path):
    from game.engine.expr import MAX_EXPRESSION_DEPTH
    folder = copy_story(tmp_path)
    scenes = folder / "scenes.yaml"
    # 24 nots, a comparison and a balanced chain of 51 terms (6 levels): 32 levels, the most allowed
    deep = "not " * (MAX_EXPRESSION_DEPTH - 8) + "(" * 3 + "army >= 70" + ")" * 3
    chain = " and ".join(["army >= 70"] * 50)
    text = scenes.read_text()
    assert "if: army >= 70" in text
    scenes.write_text(text.replace("if: army >= 70", f"if: {deep} and {chain}", 1))
    first, problems = compiled.load_checked([folder], min_bytes=0)
    assert first is not None and problems.errors == [], problems.errors
    assert cache_files()
    second, _ = compiled.load_checked([folder], min_bytes=0)
    a, b = start(first, "leon"), start(second, "leon")
    for choice in ("fair-up", "strong", "on"):
        a, b = step(first, a, choice), step(second, b, choice)
    assert a == b


def test_a_folder_that_is_not_a_story_is_reported_without_walking_it(tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr(os, "scandir", lambda *a: calls.append(a) or iter(()))
    story, problems = compiled.load_checked([tmp_path])
    assert story is None and problems.errors
    assert calls == []
