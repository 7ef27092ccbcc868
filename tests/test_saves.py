"""Saves: atomic JSON, replayed on load; damaged, foreign and outdated saves explained."""

from __future__ import annotations

import json

import pytest

from game import saves
from game.engine import load_story, start, step
from tests.conftest import FIXTURES


@pytest.fixture
def played(features):
    s = start(features, "lev")
    for c in ("fair-up", "once-knock"):
        s = step(features, s, c)
    return s


def test_save_document_is_small_and_complete(features, played, tmp_path):
    path = saves.save(tmp_path / "a.json", features, played, "Before the vote")
    doc = json.loads(path.read_text())
    assert doc["format"] == saves.FORMAT
    assert doc["story"] == {"id": "features", "version": "2", "mods": []}
    assert doc["character"] == "lev"
    assert doc["path"] == [["hall", "fair-up"], ["corridor", "once-knock"]]
    assert doc["state"]["values"] == {"army": 75, "cadres": 1}
    assert doc["scene_title"] == "The corridor" and doc["story_date"] == "1923-04-18"
    assert path.stat().st_size < 2000
    assert not list(tmp_path.glob("*.tmp"))


def test_load_replays_the_path(features, played, tmp_path):
    path = saves.save(tmp_path / "a.json", features, played)
    loaded = saves.load(path, features)
    assert loaded.state == played and loaded.problem == ""


def test_autosave_keeps_the_last_few(features, played, tmp_path):
    s = start(features, "lev")
    for _ in range(saves.AUTOSAVES_KEPT + 3):
        saves.autosave(features, s, tmp_path)
    assert sorted(p.name for p in tmp_path.glob("autosave-*.json")) == [f"autosave-{n}.json" for n in range(1, saves.AUTOSAVES_KEPT + 1)]


@pytest.mark.parametrize("content, reason", [
    (b'{"format": 1, "path": [["hall", "fair', "damaged or truncated"),
    (b"", "damaged or truncated"),
    (b"\x89PNG\r\n", "damaged or truncated"),
    (b'{"hello": "world"}', "not a save file"),
    (b'{"format": 99, "path": [], "character": "lev"}', "newer version"),
    (b'{"format": 1, "path": "nope", "character": "lev"}', "list of choices is unreadable"),
])
def test_broken_saves_are_reported(features, tmp_path, content, reason):
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    with pytest.raises(saves.SaveError, match=reason):
        saves.load(path, features)


def test_missing_save(features, tmp_path):
    with pytest.raises(saves.SaveError, match="no such save"):
        saves.load(tmp_path / "gone.json", features)


def test_foreign_story(features, played, tmp_path):
    path = saves.save(tmp_path / "a.json", features, played)
    with pytest.raises(saves.SaveError, match="belongs to the story 'features'"):
        saves.load(path, load_story(FIXTURES / "kitchen"))


def test_changed_story_restores_what_still_fits(features, played, tmp_path):
    path = saves.save(tmp_path / "a.json", features, played)
    doc = json.loads(path.read_text())
    doc["path"][1][1] = "a-choice-since-removed"
    doc["story"]["version"] = "1"
    path.write_text(json.dumps(doc))
    loaded = saves.load(path, features)
    assert len(loaded.state.path) == 1 and loaded.state.scene == "corridor"
    assert "saved with story version 1, this is version 2" in loaded.problem
    assert "step 2" in loaded.problem and "a-choice-since-removed" in loaded.problem


def test_a_failed_write_leaves_the_old_save(features, played, tmp_path, monkeypatch):
    path = saves.save(tmp_path / "a.json", features, start(features, "lev"))
    before = path.read_text()

    def boom(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(saves.os, "replace", boom)
    with pytest.raises(OSError):
        saves.save(path, features, played)
    assert path.read_text() == before
    assert not list(tmp_path.glob("*.tmp"))


def test_list_saves_shows_unreadable_ones_too(features, played, tmp_path):
    saves.save(saves.slot_path(1, tmp_path), features, played, "One")
    (tmp_path / "junk.json").write_text("{")
    items = saves.list_saves(tmp_path)
    assert {type(i).__name__ for i in items} == {"SaveInfo", "SaveError"}
    info = next(i for i in items if isinstance(i, saves.SaveInfo))
    assert (info.label, info.character, info.scene_title) == ("One", "lev", "The corridor")
