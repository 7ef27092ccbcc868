"""Saves: atomic JSON, replayed on load; damaged, foreign and outdated saves explained."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import tracemalloc

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from game import saves
from game.engine import load_story, replay, start, states_of, step
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


# A save folder holding anything at all -----------------------------------------------------

def _hostile(folder, kind: str) -> None:
    """Put one bad thing called bad.json into ``folder``."""
    bad = folder / "bad.json"
    if kind == "huge integer":
        bad.write_text('{"format": 1, "character": "lev", "path": [], "x": ' + "7" * 5000 + "}")
    elif kind == "deep nesting":
        bad.write_text('{"format": 1, "character": "lev", "path": ' + "[" * 50_000 + "]" * 50_000 + "}")
    elif kind == "dangling symlink":
        bad.symlink_to(folder / "nowhere.json")
    elif kind == "symlink to /dev/zero":
        bad.symlink_to("/dev/zero")
    elif kind == "fifo":
        os.mkfifo(bad)
    elif kind == "folder":
        bad.mkdir()
        (bad / "inside.json").write_text("{}")
    elif kind == "not UTF-8":
        bad.write_bytes(b'{"format": 1, "character": "l\xff\xfev", "path": []}')
    elif kind == "symlink loop":
        bad.symlink_to(folder / "bad.json")
    elif kind == "too large":
        bad.write_bytes(b" " * (saves.MAX_SAVE_BYTES + 1))
    elif kind == "NaN values":
        bad.write_text('{"format": 1, "character": "lev", "path": [], "state": {"values": {"army": NaN}}}')
    elif kind == "huge float":
        bad.write_text('{"format": 1, "character": "lev", "path": [], "x": 1' + "0" * 5000 + '.5}')
    else:
        raise AssertionError(kind)


HOSTILE = ["huge integer", "deep nesting", "dangling symlink", "symlink to /dev/zero", "fifo", "folder",
           "not UTF-8", "symlink loop", "too large", "NaN values", "huge float"]


def _finishes(function, *args):
    """Run ``function`` in a thread and return its result; fail (not hang) if it never returns."""
    result: list = []

    def call() -> None:
        try:
            result.append(function(*args))
        except BaseException as exc:  # handed to the test's thread
            result.append(exc)

    worker = threading.Thread(target=call, daemon=True)
    worker.start()
    worker.join(60)
    assert not worker.is_alive(), f"{function.__name__} hung"
    if isinstance(result[0], BaseException):
        raise result[0]
    return result[0]


@pytest.mark.parametrize("kind", HOSTILE)
def test_a_bad_file_is_listed_as_damaged_and_the_rest_still_works(features, played, tmp_path, kind):
    good = saves.save(tmp_path / "good.json", features, played, "Good")
    _hostile(tmp_path, kind)
    items = _finishes(saves.list_saves, tmp_path)
    assert [i.label for i in items if isinstance(i, saves.SaveInfo)] == ["Good"]
    (damaged,) = [i for i in items if isinstance(i, saves.SaveError)]
    assert "bad.json" in str(damaged)
    with pytest.raises(saves.SaveError, match="bad.json"):
        _finishes(saves.load, tmp_path / "bad.json", features)
    assert saves.load(good, features).state == played


def test_an_unreadable_file_is_damaged(features, played, tmp_path):
    bad = tmp_path / "bad.json"
    saves.save(bad, features, played)
    bad.chmod(0)
    if os.access(bad, os.R_OK):
        pytest.skip("running with the power to read any file (root)")
    with pytest.raises(saves.SaveError, match="cannot be read"):
        saves.load(bad, features)


def test_an_unreadable_folder_is_reported_not_raised(tmp_path, monkeypatch):
    def refuse(path):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(saves.os, "scandir", refuse)
    (item,) = saves.list_saves(tmp_path)
    assert isinstance(item, saves.SaveError) and str(tmp_path) in str(item)


@pytest.mark.parametrize("value", ['"1"', "1.0", "NaN", "-1", "0", "true", "null", "[1]", '{"v": 1}', "1e0"])
def test_the_format_must_be_exactly_the_integer_1(features, tmp_path, value):
    path = tmp_path / "a.json"
    path.write_text('{"format": %s, "character": "lev", "path": []}' % value)
    with pytest.raises(saves.SaveError) as caught:
        saves.load(path, features)
    assert "newer" not in str(caught.value) and "a.json" in str(caught.value)


def test_a_later_format_asks_for_a_newer_game(features, tmp_path):
    path = tmp_path / "a.json"
    path.write_text('{"format": 2, "character": "lev", "path": []}')
    with pytest.raises(saves.SaveError, match="newer version"):
        saves.load(path, features)


def test_strange_field_types_are_not_trusted(features, played, tmp_path):
    path = saves.save(tmp_path / "a.json", features, played, "x")
    doc = json.loads(path.read_text())
    nested: list = []
    for _ in range(900):
        nested = [nested]
    doc.update(label=nested, scene_title=5, saved_at=None, story={"id": "features", "version": nested})
    doc["state"]["values"] = nested
    path.write_text(json.dumps(doc))
    (item,) = saves.list_saves(tmp_path)
    assert (item.label, item.scene_title, item.saved_at) == ("", "", "")
    assert saves.load(path, features).state == played


# Names -------------------------------------------------------------------------------------

@pytest.mark.parametrize("a, b", [("Троцкий", "Бухарин"), ("a b", "a/b"), ("a b", "a-b"), ("Trotsky", "trotsky"),
                                  ("slot", "slot!"), ("é", "e\u0301x"), ("con", "con!")])
def test_distinct_names_are_distinct_files(tmp_path, a, b):
    pa, pb = saves.name_path(a, tmp_path), saves.name_path(b, tmp_path)
    assert pa.name.casefold() != pb.name.casefold()


def test_unicode_names_stay_readable_and_plain_names_keep_their_file(tmp_path):
    assert saves.name_path("Троцкий", tmp_path).name.startswith("Троцкий")
    assert saves.name_path("slot-3", tmp_path) == tmp_path / "slot-3.json"
    assert saves.name_path("quicksave", tmp_path) == tmp_path / "quicksave.json"


@pytest.mark.parametrize("name", ["autosave", "autosave-1", "autosave 5", "Autosave 5", "AUTO SAVE 3", "autosave_9"])
def test_autosave_names_are_refused(tmp_path, name):
    with pytest.raises(saves.SaveError, match="autosave"):
        saves.name_path(name, tmp_path)


@pytest.mark.parametrize("name", ["", "   ", "x" * 300, "a\0b", "a\x1bb", "bad\udcffbytes"])
def test_unusable_names_are_refused_with_a_reason(tmp_path, name):
    with pytest.raises(saves.SaveError):
        saves.name_path(name, tmp_path)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.text(min_size=1, max_size=saves.savenames.MAX_NAME), min_size=2, max_size=6, unique=True))
def test_every_usable_name_is_a_writable_file_of_its_own(tmp_path, names):
    folder = tmp_path / "names"
    paths = {}
    for name in names:
        try:
            path = saves.name_path(name, folder)
        except saves.SaveError:
            continue
        paths[saves.savenames.check(name)] = path
    stems = [p.name.casefold() for p in paths.values()]
    assert len(set(stems)) == len(stems)
    for path in paths.values():
        saves.write_atomically(path, "{}")
        assert path.parent == folder and path.read_text() == "{}"
        path.unlink()


def test_find_loads_by_name_by_listed_file_name_and_by_the_old_file_name(features, played, tmp_path):
    saves.save(saves.name_path("Троцкий", tmp_path), features, played, "Троцкий")
    by_name = saves.find("Троцкий", tmp_path)
    assert saves.find(by_name.stem, tmp_path) == by_name
    old = tmp_path / "Before-the-vote.json"  # as the game used to name "Before the vote"
    saves.save(old, features, played, "Before the vote")
    assert saves.find("Before the vote", tmp_path) == old
    assert saves.find("Autosave 2", tmp_path) == tmp_path / "autosave-2.json"
    assert saves.find("../etc/passwd", tmp_path).parent == tmp_path


def test_a_run_too_long_to_save_is_refused_and_the_old_save_kept(features, played, tmp_path, monkeypatch):
    path = saves.save(tmp_path / "a.json", features, start(features, "lev"))
    before = path.read_bytes()
    monkeypatch.setattr(saves, "MAX_SAVE_BYTES", len(before))
    with pytest.raises(saves.SaveError, match="too long to save"):
        saves.save(path, features, played)
    assert path.read_bytes() == before and not list(tmp_path.glob(".*.tmp"))


# Autosave rotation -------------------------------------------------------------------------

def test_autosaves_rotate_newest_first(features, tmp_path):
    s = start(features, "lev")
    states = [s]
    for choice in ("fair-up", "once-knock"):
        states.append(step(features, states[-1], choice))
    for state in states:
        saves.autosave(features, state, tmp_path)
    loaded = [saves.load(tmp_path / f"autosave-{n}.json", features).state for n in (1, 2, 3)]
    assert loaded == states[::-1]
    assert not (tmp_path / "autosave-4.json").exists()


def test_stale_temporaries_are_removed_and_live_ones_kept(features, tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead_pid = int(dead.stdout)
    left_by_dead = tmp_path / f".autosave-1.{dead_pid}.k3j2h1_x.tmp"
    mine = tmp_path / f".quicksave.{os.getpid()}.a1b2c3d4.tmp"
    old_style = tmp_path / ".autosave-2.json.x8y7z6w5.tmp"
    recent_old_style = tmp_path / ".autosave-3.json.q1w2e3r4.tmp"
    not_ours = tmp_path / ".notes.tmp"
    for p in (left_by_dead, mine, old_style, recent_old_style, not_ours):
        p.write_text("half a sav")
    two_hours_ago = time.time() - 7200
    for p in (old_style, not_ours):
        os.utime(p, (two_hours_ago, two_hours_ago))
    saves.autosave(features, start(features, "lev"), tmp_path)
    assert not left_by_dead.exists() and not old_style.exists()
    assert mine.exists() and recent_old_style.exists() and not_ours.exists()


def test_rotation_keeps_going_past_odd_things_in_the_way(features, tmp_path):
    s = start(features, "lev")
    saves.autosave(features, s, tmp_path)
    (tmp_path / "autosave-3.json").mkdir()
    os.mkfifo(tmp_path / "autosave-2.json")
    after = step(features, s, "fair-up")
    saves.autosave(features, after, tmp_path)
    assert saves.load(tmp_path / "autosave-1.json", features).state == after
    assert (tmp_path / "autosave-3.json").is_dir()


def test_an_interrupted_rotation_leaves_a_complete_latest(features, tmp_path, monkeypatch):
    s = start(features, "lev")
    states = [s, step(features, s, "fair-up")]
    states.append(step(features, states[-1], "once-knock"))
    for state in states:
        saves.autosave(features, state, tmp_path)
    real_replace = os.replace
    for fail_at in range(saves.AUTOSAVES_KEPT + 1):
        calls = iter(range(100))

        def flaky(src, dst, fail_at=fail_at):
            if next(calls) == fail_at:
                raise OSError(5, "Input/output error")
            real_replace(src, dst)

        monkeypatch.setattr(saves.savefiles.os, "replace", flaky)
        try:
            saves.autosave(features, states[0], tmp_path)
            written = True
        except OSError:  # only the last rename's failure is the autosave's; older copies are skipped
            written = False
        monkeypatch.setattr(saves.savefiles.os, "replace", real_replace)
        latest = saves.load(tmp_path / "autosave-1.json", features).state
        assert latest == states[0] if written else latest in states
        for item in saves.list_saves(tmp_path):
            assert isinstance(item, saves.SaveInfo), item
        assert not list(tmp_path.glob(".*.tmp"))


# Long runs ---------------------------------------------------------------------------------

def test_a_long_run_saves_loads_and_undoes_in_linear_memory(tmp_path):
    loop = load_story(FIXTURES / "visits-loop")

    def peak(n: int) -> int:
        state = replay(loop, "waiter", [("room", "wait")] * n)
        tracemalloc.start()
        states = states_of(loop, state)
        size = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert len(states) == n + 1 and states[-1] == state
        return size

    small, large = peak(2_000), peak(20_000)
    assert large < 20 * small  # a copied path would make it about 100 times
    state = replay(loop, "waiter", [("room", "wait")] * 20_000)
    path = saves.save(tmp_path / "long.json", loop, state)
    assert saves.load(path, loop).state == state


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.text(max_size=8, alphabet='ab"[],\\\n '), st.text(max_size=8, alphabet='ab"[],\\\n ')), max_size=6),
       st.text(max_size=20))
def test_the_written_document_is_the_document(steps, label):
    doc = {"format": 1, "label": label, "path": [list(s) for s in steps]}
    assert json.loads(saves.encode(doc)) == doc
