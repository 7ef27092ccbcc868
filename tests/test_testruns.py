"""Replay files and starting at a scene (play --replay, play --from): what they play, and every way they refuse.

A replay file is untrusted input: whatever its bytes, the answer is a run or one
``ReplayError`` naming the line, never another exception.
"""

from __future__ import annotations

import io
import os

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from game import saves, testruns
from game.analysis.bounds import all_flags
from game.cli import main
from game.engine import State, load_story, replay, states_of
from game.testruns import ReplayError, StartError, parse_replay, play_replay, read_replay, start_at
from tests.conftest import FIXTURES

FEATURES = FIXTURES / "features"


@pytest.fixture(scope="module")
def kitchen():
    return load_story(FIXTURES / "kitchen")


@pytest.fixture(scope="module")
def visits_loop():
    return load_story(FIXTURES / "visits-loop")


@pytest.fixture(scope="module")
def playtest_story():
    return load_story(FIXTURES / "playtest")


def _play(story, text: str | bytes, character: str | None = None) -> list[State]:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return play_replay(story, parse_replay(data, "run.replay"), character)


def _refusal(story, text: str | bytes, character: str | None = None) -> str:
    with pytest.raises(ReplayError) as info:
        _play(story, text, character)
    return str(info.value)


# ---- what a replay file plays -------------------------------------------------------------------

def test_scene_choice_lines_with_a_header_replay_the_run(features):
    states = _play(features, "# character: leon\nhall:fair-up\ncorridor:strong\n")
    assert [s.scene for s in states] == ["hall", "corridor", "commissar-room"]
    assert states[-1] == replay(features, "leon", states[-1].path)


def test_bare_choice_ids_comments_blank_lines_crlf_and_a_bom(features):
    text = "\ufeff# a witness\r\n\r\n# character: leon\r\n  fair-up   # rally them\r\n\r\nstrong\r\n"
    assert _play(features, text)[-1].scene == "commissar-room"


def test_the_continue_step_of_a_scene_with_nothing_left(features):
    states = _play(features, "# character: leon\nhall:set\ncorridor:-continue\n")
    assert states[-1].scene == "yard" and states[-1].ending is not None


def test_the_witness_file_check_writes_is_read(features):
    """check --witness writes a comment naming the assumption, then the character header."""
    text = "# scene:commissar-room assumes: not saw_maps\n# character: leon\nhall:fair-up\ncorridor:strong\n"
    assert _play(features, text)[-1].scene == "commissar-room"


def test_an_empty_file_is_the_start_of_the_run(features):
    assert _play(features, "# character: lev\n")[-1] == replay(features, "lev", ())


def test_the_character_comes_from_the_option_or_from_a_lone_start_scene(features, kitchen):
    assert _play(features, "hall:fair-up\n", "lev")[-1].character == "lev"
    message = _refusal(features, "hall:fair-up\n")                   # both start in the hall: say who
    assert "leon" in message and "lev" in message
    only = next(iter(kitchen.characters))
    assert _play(kitchen, "")[-1].character == only                     # the story has one character


def test_several_runs_in_one_file_are_chosen_by_character(features):
    text = "# character: leon\nhall:fair-up\ncorridor:strong\n# character: lev\nhall:fair-down\n"
    assert _play(features, text, "leon")[-1].scene == "commissar-room"
    assert _play(features, text, "lev")[-1].scene == "corridor"
    message = _refusal(features, text)  # which one? both are named, with their lines
    assert "leon" in message and "lev" in message and "1" in message and "4" in message
    assert "lev" in _refusal(features, "# character: lev\nhall:set\n", "leon")


# ---- a step that does not fit ---------------------------------------------------------------

def _line(message: str) -> int:
    return int(message.split(":")[1])


def test_a_choice_the_scene_does_not_have(features):
    message = _refusal(features, "# character: lev\nhall:fair-up\n\ncorridor:strnog\n")
    assert _line(message) == 4 and "'corridor'" in message and "strong" in message and "once-knock" in message


def test_a_choice_whose_condition_does_not_hold(features):
    message = _refusal(features, "# character: lev\nhall:fair-down\ncorridor:strong\n")
    assert _line(message) == 3 and "army >= 70" in message and "once-knock" in message


def test_a_step_for_another_scene(features):
    message = _refusal(features, "# character: lev\nfair-down\nhal:strong\n")
    assert _line(message) == 3 and "'corridor'" in message and "did you mean 'hall'" in message


def test_a_once_only_choice_taken_twice(features):
    message = _refusal(features, "# character: lev\nfair-up\nonce-knock\nonce-knock\n")
    assert _line(message) == 4 and "once-knock" in message


def test_steps_after_the_end(features):
    message = _refusal(features, "# character: lev\nhall:fair-up\ncorridor:strong\nyard:on\n")
    assert _line(message) == 4 and "'plain'" in message and "line 3" in message


def test_an_unknown_character(features):
    message = _refusal(features, "\n# character: levv\nhall:set\n")
    assert _line(message) == 2 and "did you mean 'lev'" in message


@pytest.mark.parametrize("text", [
    "# character: lev\nhall fair-up\n", "# character: lev\nhall:\n", "# character: lev\n:fair-up\n",
    "# character: lev\na:b:c\n", "# character: lev\nFAIR-UP\n", "# character: lev\nhall:fair-up\x00\n",
    "# character: lev\n\x1b[2J\x1b]0;owned\x07\n", "# character: lev\n" + "x" * 100_000 + "\n",
    "# character: lev\nhall:fair\u202eup\n", "\n# character: Lev Trotsky\n",
])
def test_lines_that_are_not_steps(features, text):
    message = _refusal(features, text)
    assert _line(message) == 2
    assert not any(c in message for c in "\x00\x1b\x07\u202e") and len(message) < 400


def test_bytes_that_are_not_utf8_are_located(features):
    message = _refusal(features, b"# character: lev\nhall:fair-up\ncorr\xffidor:strong\n")
    assert message.startswith("run.replay:3:5:") and "UTF-8" in message


def test_too_many_steps(features, monkeypatch):
    monkeypatch.setattr(testruns, "MAX_REPLAY_STEPS", 3)
    message = _refusal(features, "# character: leon\n" + "hall:fair-up\n" * 5)
    assert _line(message) == 5 and "3" in message


@given(st.binary(max_size=300))
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_bytes_are_a_run_or_one_replay_error(features, data):
    try:
        states = play_replay(features, parse_replay(data, "fuzz"), "lev")
    except ReplayError as exc:
        assert str(exc).startswith("fuzz")
    else:
        assert states and states[0].character == "lev"


@given(st.lists(st.sampled_from(["hall:fair-up", "fair-down", "set", "corridor:strong", "once-knock",
                                 "-continue", "corridor:wander", "# character: lev", "# character: leon",
                                 "commissar-room:on", "", "# note", "yard:x", "-set army=95 +saw_maps",
                                 "corridor:-set @yard", "-set cadres=-11", "-set -commissar +nope"]), max_size=12))
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_sequence_of_plausible_steps_is_a_run_or_one_replay_error(features, lines):
    try:
        states = play_replay(features, parse_replay("\n".join(lines).encode(), "fuzz"), "leon" if "# character: leon" in lines else "lev")
    except ReplayError as exc:
        assert str(exc).startswith("fuzz")
    else:
        assert states[-1] == replay(features, states[-1].character, states[-1].path)


# ---- the file itself ----------------------------------------------------------------------------

def test_files_that_are_not_replay_files(tmp_path, features):
    (tmp_path / "big").write_bytes(b"hall:set\n" * 10)
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    cases = {tmp_path / "missing": "no such file", tmp_path: "folder", fifo: "not a regular file",
             tmp_path / "big": "at most", tmp_path / "a\x00b": "not a name", tmp_path / ("x" * 5000): "too long"}
    if os.path.exists("/dev/zero"):
        cases[__import__("pathlib").Path("/dev/zero")] = "not a regular file"
    old = testruns.MAX_REPLAY_BYTES
    testruns.MAX_REPLAY_BYTES = 50
    try:
        for path, words in cases.items():
            with pytest.raises(ReplayError) as info:
                read_replay(path)
            assert words in str(info.value), (path, str(info.value))
    finally:
        testruns.MAX_REPLAY_BYTES = old


# ---- starting at a scene ------------------------------------------------------------------------

def test_from_a_scene_takes_the_state_of_the_shortest_road(features):
    begin = start_at(features, "commissar-room")
    state = begin.state
    assert isinstance(state, State) and begin.played
    assert state.character == "leon" and state.scene == "commissar-room" and len(state.path) == 2
    assert state == replay(features, "leon", state.path)
    assert list(begin.history) == states_of(features, state)[:-1]


def test_from_with_values_and_flags_chosen_records_them_as_a_step(features):
    begin = start_at(features, "corridor", character="lev", values={"army": 90}, flags=["saw_maps"])
    state = begin.state
    assert state.value(features, "army") == 90 and "saw_maps" in state.flags and state.scene == "corridor"
    assert not begin.played and state.path[-1] == ("corridor", "-set army=90 +saw_maps")
    assert state == replay(features, "lev", state.path)  # the path still reproduces the state
    assert list(begin.history) == states_of(features, state)[:-1]
    assert begin.history[-1].value(features, "army") != 90  # undo takes the change back


def test_a_state_set_by_hand_saves_and_loads_as_itself_and_plays_on(features, tmp_path):
    from game.engine import step
    state = start_at(features, "corridor", character="lev", values={"army": 90}, clear=[]).state
    state = step(features, state, "strong")  # open only because of the change
    path = saves.save(tmp_path / "s.json", features, state, "test")
    loaded = saves.load(path, features)
    assert loaded.state == state and loaded.problem == ""


def test_a_state_set_by_hand_has_forces_and_a_transcript(features):
    from game.classroom.forces import forces
    from game.classroom.transcript import transcript
    from game.engine import step
    state = start_at(features, "corridor", character="lev", values={"army": 90}).state
    state = step(features, state, "strong")
    army = next(f for f in forces(features, state) if f.id == "army")
    assert army.end == 90
    assert "set by hand" in transcript(features, state)


def test_a_step_set_by_hand_in_a_replay_file(features):
    states = _play(features, "# character: lev\nhall:fair-down\ncorridor:-set army=90 +saw_maps\ncorridor:strong\n")
    assert states[-1].scene == "yard" and states[-1].ending == "maps"
    message = _refusal(features, "# character: lev\nhall:-set army=900\n")
    assert _line(message) == 2 and "0 to 100" in message
    message = _refusal(features, "# character: lev\nhall:-set @nowhere\n")
    assert _line(message) == 2 and "nowhere" in message
    message = _refusal(features, "# character: lev\nhall:-set +saw_map\n")
    assert _line(message) == 2 and "did you mean 'saw_maps'" in message
    message = _refusal(features, "# character: lev\nhall:-set +\x1b[31m\n")
    assert _line(message) == 2 and "\x1b" not in message


def test_from_a_resolution_scene_with_a_flag_reaches_that_flags_ending(features):
    assert start_at(features, "yard", character="leon", flags=["saw_maps"]).state.ending == "maps"
    assert start_at(features, "yard", character="leon", clear=["commissar"]).state.ending is not None


def test_from_clears_a_flag_of_the_road(features):
    state = start_at(features, "commissar-room", clear=["commissar"]).state
    assert "commissar" not in state.flags


def test_from_a_scene_no_road_reaches(playtest_story):
    begin = start_at(playtest_story, "secret", character="stalin")
    state = begin.state
    assert state.scene == "secret" and state.flags == frozenset()
    assert state.path == (("hub", "-set @secret"),) and state == replay(playtest_story, "stalin", state.path)
    assert state.value(playtest_story, "army") == 20  # stalin's own start value
    assert any("No road" in n for n in begin.notes)


@pytest.mark.parametrize("kwargs, words", [
    (dict(scene="corridr"), "did you mean 'corridor'"),
    (dict(scene="corridor", character="levv"), "did you mean 'lev'"),
    (dict(scene="commissar-room", character="lev"), "only for leon"),
    (dict(scene="corridor", flags=["knoked"]), "did you mean 'knocked'"),
    (dict(scene="corridor", clear=["comissar"]), "did you mean 'commissar'"),
    (dict(scene="corridor", flags=["knocked"], clear=["knocked"]), "both"),
])
def test_from_refuses_names_the_story_does_not_have(features, kwargs, words):
    scene = kwargs.pop("scene")
    with pytest.raises(StartError) as info:
        start_at(features, scene, **kwargs)
    assert words in str(info.value)


@pytest.mark.parametrize("item, words", [
    ("army=101", "from 0 to 100"), ("cadres=-11", "from -10 to 10"), ("armi=5", "did you mean 'army'"),
    ("army", "NAME=VALUE"), ("army=ten", "whole number"), ("army=1e3", "whole number"),
    ("army=" + "9" * 5000, "whole number"), ("=5", "NAME=VALUE"),
])
def test_set_refuses_bad_values(features, item, words):
    with pytest.raises(StartError) as info:
        testruns.parse_settings(features, [item])
    assert words in str(info.value)


def test_every_flag_the_story_names_can_be_set(features):
    for flag in all_flags(features):
        assert flag in start_at(features, "corridor", character="lev", flags=[flag]).state.flags


def test_a_state_from_a_road_saves_and_loads_as_itself(features, tmp_path):
    state = start_at(features, "commissar-room").state
    path = saves.save(tmp_path / "s.json", features, state, "test")
    loaded = saves.load(path, features)
    assert loaded.state == state and loaded.problem == ""


# ---- the command line ---------------------------------------------------------------------------

@pytest.fixture
def stdin(monkeypatch):
    def feed(text: str) -> None:
        monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(text.encode()), encoding="utf-8"))
    feed("")
    return feed


def test_cli_replay_plays_to_the_end_of_the_file(tmp_path, capsys, stdin):
    f = tmp_path / "w.replay"
    f.write_text("# character: leon\nhall:fair-up\ncorridor:strong\n")
    stdin("1\n")
    assert main(["play", "--text", "--story", str(FEATURES), "--replay", str(f)]) == 0
    out = capsys.readouterr().out
    assert "THE COMMISSAR'S ROOM" in out and "THE END" in out  # it went on from there to the ending


def test_cli_replay_given_before_the_command(tmp_path, capsys, stdin):
    f = tmp_path / "w.replay"
    f.write_text("# character: leon\nhall:fair-up\ncorridor:strong\n")
    assert main(["--replay", str(f), "play", "--text", "--story", str(FEATURES)]) == 0
    assert "THE COMMISSAR'S ROOM" in capsys.readouterr().out


def test_cli_replay_undo_walks_back_through_the_file(tmp_path, capsys, stdin):
    f = tmp_path / "w.replay"
    f.write_text("# character: leon\nhall:fair-up\ncorridor:strong\n")
    stdin("undo\nundo\nundo\n")
    assert main(["play", "--text", "--story", str(FEATURES), "--replay", str(f)]) == 0
    out = capsys.readouterr().out
    assert "THE CORRIDOR" in out and "THE HALL" in out and "nothing to undo" in out


@pytest.mark.parametrize("content, words", [
    (b"# character: leon\nhall:fair-up\ncorridor:strnog\n", ":3:"),
    (b"# character: leon\n\xff\n", ":2:1:"),
    (b"hall:set\n", "--character"),
])
def test_cli_replay_refusals_exit_2_with_one_message(tmp_path, capsys, stdin, content, words):
    f = tmp_path / "w.replay"
    f.write_bytes(content)
    assert main(["play", "--text", "--story", str(FEATURES), "--replay", str(f)]) == 2
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err and err.count("\n") == 1


def test_cli_from(capsys, stdin):
    assert main(["play", "--text", "--story", str(FEATURES), "--from", "corridor", "--character", "lev",
                 "--set", "army=80", "--flag", "saw_maps"]) == 0
    out = capsys.readouterr().out
    assert "THE CORRIDOR" in out and "saw_maps" in out and "army 80" in out


@pytest.mark.parametrize("extra, words", [
    (["--from", "corridr"], "did you mean 'corridor'"),
    (["--from", "corridor", "--set", "army=500"], "from 0 to 100"),
    (["--from", "corridor", "--flag", "sawmaps"], "did you mean 'saw_maps'"),
    (["--from", "corridor", "--character", "levv"], "did you mean 'lev'"),
    (["--set", "army=5"], "--from"),
    (["--from", "corridor", "--replay", "x"], "not both"),
])
def test_cli_from_refusals_exit_2(capsys, stdin, extra, words):
    assert main(["play", "--text", "--story", str(FEATURES), *extra]) == 2
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err


def test_the_desktop_opens_at_the_end_of_the_replay(tmp_path, monkeypatch, capsys):
    seen = {}

    def fake_desktop(story=None, mods=(), character=None, states=()):
        seen["states"] = list(states)
        return 0
    import game.desktop.app as app
    monkeypatch.setattr(app, "run_desktop", fake_desktop)
    f = tmp_path / "w.replay"
    f.write_text("# character: leon\nhall:fair-up\ncorridor:strong\n")
    assert main(["play", "--story", str(FEATURES), "--replay", str(f)]) == 0
    assert seen["states"][-1].scene == "commissar-room" and len(seen["states"]) == 3
    seen.clear()
    f.write_text("# character: trotsky\n")  # the campaign, as `testament --replay FILE` plays it
    assert main(["--replay", str(f)]) == 0
    assert seen["states"][-1].character == "trotsky"
    seen.clear()
    f.write_text("# character: trotsky\nnot-a-choice\n")
    assert main(["--replay", str(f)]) == 2 and "states" not in seen
    assert ":2:" in capsys.readouterr().err
