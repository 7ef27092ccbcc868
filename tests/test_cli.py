"""`testament check` exit codes: 0 clean, 1 warnings with --strict, 2 errors."""

from __future__ import annotations

import pytest

from game.cli import main
from tests.conftest import FIXTURES


def test_clean_story(capsys):
    assert main(["check", str(FIXTURES / "features")]) == 0
    assert "4 scenes, 8 choices, 3 endings: no problems" in capsys.readouterr().out


def test_errors_exit_2(capsys):
    assert main(["check", str(FIXTURES / "broken")]) == 2
    assert "11 error(s)" in capsys.readouterr().out


def test_warnings_exit_1_only_when_strict(tmp_path, capsys):
    (tmp_path / "story.yaml").write_text(
        "id: w\ntitle: W\nvariables: {x: {}}\ncharacters: {a: {name: A, start: s}}\n"
        "endings: [{id: e, title: E, text: E.}]\n"
        "scenes:\n  - {id: s, title: S, text: S., choices: [{id: c, text: C., goto: t, effects: {x: 1}}]}\n"
        "  - {id: t, title: T, text: T., resolve: true}\n  - {id: lost, title: L, text: L., resolve: true}\n")
    assert main(["check", str(tmp_path)]) == 0
    assert main(["check", "--strict", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "scene 'lost' cannot be reached by any character" in out
    assert "has no historical note" in out


def test_mod_is_checked_with_its_story(capsys):
    assert main(["check", str(FIXTURES / "features"), str(FIXTURES / "mod-branch")]) == 0


@pytest.mark.parametrize("yaml_scenes, message", [
    ("  - {id: s, title: S, text: S., choices: [{id: c, text: C., if: x > 5, goto: t, effects: {x: 1}}]}\n",
     "can be unavailable"),
    ("  - {id: s, title: S, text: S., choices: [{id: c, text: C., for: [b], goto: t, effects: {x: 1}}]}\n",
     "offers a no choice at all"),
])
def test_stranding_is_an_error(tmp_path, capsys, yaml_scenes, message):
    (tmp_path / "story.yaml").write_text(
        "id: w\ntitle: W\nvariables: {x: {}}\ncharacters: {a: {name: A, start: s}, b: {name: B, start: t}}\n"
        "endings: [{id: e, title: E, text: E.}]\nscenes:\n" + yaml_scenes +
        "  - {id: t, title: T, text: T., resolve: true}\n")
    assert main(["check", str(tmp_path)]) == 2
    assert message in capsys.readouterr().out


def test_impossible_and_shadowed_endings(tmp_path, capsys):
    (tmp_path / "story.yaml").write_text(
        "id: w\ntitle: W\nvariables: {x: {max: 10}}\ncharacters: {a: {name: A, start: t}}\n"
        "endings:\n  - {id: never, title: N, text: N., if: x > 10}\n  - {id: always, title: A, text: A., if: x >= 0}\n"
        "  - {id: last, title: L, text: L.}\n"
        "scenes:\n  - {id: t, title: T, text: T., resolve: true}\n")
    assert main(["check", str(tmp_path)]) == 2
    out = capsys.readouterr().out
    assert "ending 'never' can never be reached: 'x > 10' cannot hold" in out
    assert "ending 'last' can never be reached: ending 'always' before it always applies" in out


def test_a_loop_with_no_way_out_is_an_error(tmp_path, capsys):
    (tmp_path / "story.yaml").write_text(
        "id: w\ntitle: W\nvariables: {x: {}}\ncharacters: {a: {name: A, start: s}}\n"
        "endings: [{id: e, title: E, text: E.}]\nscenes:\n"
        "  - {id: s, title: S, text: S., choices: [{id: out, text: O., goto: t, effects: {x: 1}},"
        " {id: in, text: I., goto: loop, effects: {x: 1}}]}\n"
        "  - {id: loop, title: L, text: L., choices: [{id: again, text: A., goto: loop, effects: {x: 1}}]}\n"
        "  - {id: t, title: T, text: T., resolve: true}\n")
    assert main(["check", str(tmp_path)]) == 2
    assert "from scene 'loop', a can never reach an ending" in capsys.readouterr().out
