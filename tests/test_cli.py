"""`testament check` exit codes: 0 clean, 1 warnings with --strict, 2 errors."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from benchmarks.fuzz_stories import nest
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


# ---- hostile paths: one located message and exit 2, never a traceback or a hang -----------

GOOD_MANIFEST = ("id: h\ntitle: H\ncharacters: {a: {name: A, start: s}}\nendings: [{id: e, title: E, text: E.}]\n"
                 "scenes: [{id: s, title: S, text: S., resolve: true}]\n")


def _story(folder, files=None):
    folder.mkdir(parents=True, exist_ok=True)
    listed = "" if files is None else "files: [" + ", ".join(f'"{f}"' for f in files) + "]\n"
    (folder / "story.yaml").write_text(GOOD_MANIFEST + listed)
    return folder


def _located(out: str, path) -> bool:
    """Some line of ``out`` is a message located at ``path`` (``path:`` or ``path:line:col:``)."""
    import re
    shown = re.escape(str(path))
    return any(re.match(rf"{shown}(:\d+:\d+)?: ", line) for line in out.splitlines())


_TREES: list = []


@pytest.fixture(autouse=True)
def _remove_nested_trees():
    """Take deep trees apart after each test: pytest's own clean-up of old temporary
    folders recurses once per level and would overflow the recursion limit on them."""
    yield
    while _TREES:
        _unnest(_TREES.pop())


def _unnest(folder) -> None:
    """Remove ``folder/d/d/.../d`` one level at a time, never naming a deep path."""
    top = os.open(folder, os.O_RDONLY)
    try:
        while True:
            try:
                inner = os.open("d", os.O_RDONLY, dir_fd=top)
            except FileNotFoundError:
                return
            try:
                names = os.listdir(inner)
                if "d" in names:
                    os.rename("d", ".d-next", src_dir_fd=inner, dst_dir_fd=top)
                for name in names:
                    if name != "d":
                        os.unlink(name, dir_fd=inner)
            finally:
                os.close(inner)
            os.rmdir("d", dir_fd=top)
            if "d" in names:
                os.rename(".d-next", "d", src_dir_fd=top, dst_dir_fd=top)
    finally:
        os.close(top)


@pytest.fixture
def deep_folders():
    """Folders to remove after the test with ``rm -rf``: shutil.rmtree, which pytest uses
    to clear old temporary folders, recurses once per level and fails past a thousand."""
    made = []
    yield made
    import subprocess
    for folder in made:
        subprocess.run(["rm", "-rf", str(folder)], check=False)


def _nested(folder, depth: int, content: bytes) -> str:
    """``benchmarks.fuzz_stories.nest``, its tree taken apart after the test."""
    _TREES.append(folder)
    return nest(folder, depth, content)


@pytest.mark.parametrize("case", ["loop-folder", "loop-manifest", "dangling-manifest", "dangling-listed",
                                  "loop-listed", "nul-name", "long-name", "long-unicode-name", "nested-1100",
                                  "a-file", "manifest-is-a-folder", "root", "folder-missing"])
def test_hostile_paths_get_one_located_message_and_exit_2(tmp_path, capsys, deep_folders, case):
    story = tmp_path / "story"
    if case == "loop-folder":
        story.symlink_to(story)
        arg, at = story, story
    elif case == "loop-manifest":
        story.mkdir()
        (story / "story.yaml").symlink_to(story / "story.yaml")
        arg, at = story, story / "story.yaml"
    elif case == "dangling-manifest":
        story.mkdir()
        (story / "story.yaml").symlink_to(tmp_path / "nothing")
        arg, at = story, story / "story.yaml"
    elif case in ("dangling-listed", "loop-listed"):
        _story(story, ["x.yaml"])
        (story / "x.yaml").symlink_to(story / ("x.yaml" if case == "loop-listed" else "nothing"))
        arg, at = story, story / "story.yaml"
    elif case == "nul-name":
        _story(story, ["a\\0b.yaml"])
        arg, at = story, story / "story.yaml"
    elif case in ("long-name", "long-unicode-name"):
        _story(story, ["x" * 300 + ".yaml" if case == "long-name" else "\u0436" * 200 + ".yaml"])
        arg, at = story, story / "story.yaml"
    elif case == "nested-1100":  # unlisted, but a missing file makes the loader look for a did-you-mean
        _story(story, ["missing.yaml"])
        deep_folders.append(story / "d")
        _nested(story, 1100, b"scenes: []\n")
        arg, at = story, story / "story.yaml"
    elif case == "a-file":
        story.write_text("scenes: []\n")
        arg, at = story, story
    elif case == "manifest-is-a-folder":
        (story / "story.yaml").mkdir(parents=True)
        arg, at = story, story / "story.yaml"
    elif case == "root":
        arg, at = Path("/"), Path("/story.yaml")
    else:
        arg, at = tmp_path / "missing", tmp_path / "missing"
    assert main(["check", str(arg)]) == 2
    out = capsys.readouterr().out
    assert _located(out, at), out


@pytest.mark.parametrize("where", ["manifest", "listed", "unlisted"])
def test_a_fifo_is_never_opened_for_a_blocking_read(tmp_path, where):
    import subprocess
    import sys
    story = _story(tmp_path / "story", ["f.yaml"] if where == "listed" else None)
    target = story / ("story.yaml" if where == "manifest" else "f.yaml")
    if where == "manifest":
        target.unlink()
    os.mkfifo(target)
    # The timeout only keeps a regression from hanging the suite; it asserts nothing about speed.
    run = subprocess.run([sys.executable, "-m", "game.cli", "check", str(story)], capture_output=True, text=True, timeout=120)
    assert run.returncode == (0 if where == "unlisted" else 2), run.stdout + run.stderr
    assert "Traceback" not in run.stdout + run.stderr
    if where != "unlisted":
        assert _located(run.stdout, target), run.stdout


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root reads any folder")
def test_an_unreadable_folder_is_reported(tmp_path, capsys):
    story = _story(tmp_path / "story")
    story.chmod(0)
    try:
        assert main(["check", str(story)]) == 2
    finally:
        story.chmod(0o755)
    assert _located(capsys.readouterr().out, story / "story.yaml")


def test_an_unexpected_failure_names_the_file_and_exits_2_without_a_traceback(monkeypatch, capsys):
    from game import compiled

    def broken(story, problems):
        scene = story.scenes["hall"]  # noqa: F841 - what the message should name
        raise ValueError("an engine bug")
    monkeypatch.setattr(compiled, "check_story", broken)
    monkeypatch.delenv("TESTAMENT_DEBUG", raising=False)
    assert main(["check", str(FIXTURES / "features")]) == 2
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    assert "internal error" in captured.err and "scenes.yaml:" in captured.err


def test_the_debug_variable_shows_the_traceback(monkeypatch, capsys):
    from game import compiled
    monkeypatch.setattr(compiled, "read_story", lambda *a, **k: 1 / 0)
    monkeypatch.setenv("TESTAMENT_DEBUG", "1")
    assert main(["check", str(FIXTURES / "features")]) == 2
    assert "Traceback" in capsys.readouterr().err


def test_control_characters_in_a_message_are_escaped(tmp_path, capsys):
    (tmp_path / "story.yaml").write_text('id: h\ntitle: H\n"bad\\e[2J\\u202ekey": 1\n')
    assert main(["check", str(tmp_path)]) == 2
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\u202e" not in out
    assert _located(out, tmp_path / "story.yaml")


@pytest.mark.parametrize("depth, loads", [(1100, True), (2100, False)])
def test_a_listed_file_deep_in_folders_is_read_or_refused_with_its_entry(tmp_path, capsys, deep_folders, depth, loads):
    story = _story(tmp_path / "story")
    deep_folders.append(story / "d")
    name = _nested(story, depth, b"scenes: [{id: t, title: T, text: T., resolve: true}]\n")
    (story / "story.yaml").write_text(GOOD_MANIFEST + f"files: [{name}]\n")
    code = main(["check", str(story)])
    out = capsys.readouterr().out
    if loads:  # 1,100 folders make a path of some 2,300 bytes, which is a path like any other
        assert code == 0 and "scene 't' cannot be reached" in out, out[-300:]
    else:  # 2,100 make one of over 4,096 bytes, which no call can name
        assert code == 2 and _located(out, story / "story.yaml") and "too long" in out


@pytest.mark.skipif(not (hasattr(os, "geteuid") and os.geteuid() == 0 and hasattr(os, "fork")),
                    reason="as root: a forked child that gives up root meets the permissions")
@pytest.mark.parametrize("what", ["folder", "manifest", "listed"])
def test_an_unreadable_folder_or_file_is_reported_to_a_user_without_root(what, capsys):
    import shutil
    import tempfile
    main(["check", str(FIXTURES / "features")])  # import everything while the files are readable
    capsys.readouterr()
    base = Path(tempfile.mkdtemp(prefix="unreadable-", dir="/tmp"))
    try:
        base.chmod(0o755)
        story = _story(base / "story", ["s.yaml"] if what == "listed" else None)
        if what == "listed":
            (story / "s.yaml").write_text("scenes: []\n")
        target = {"folder": story, "manifest": story / "story.yaml", "listed": story / "s.yaml"}[what]
        out = base / "out.txt"
        out.touch()
        out.chmod(0o666)
        target.chmod(0)
        pid = os.fork()
        if pid == 0:  # the child: nobody, then the command
            code = 99
            try:
                os.setgid(65534)
                os.setuid(65534)
                import sys
                import traceback
                with open(out, "w") as handle:
                    sys.stdout = sys.stderr = handle
                    try:
                        code = main(["check", str(story)])
                    except BaseException:
                        traceback.print_exc(file=handle)
            finally:
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        text = out.read_text()
        assert os.waitstatus_to_exitcode(status) == 2, text
        located = story / ("s.yaml" if what == "listed" else "story.yaml")
        assert "permission denied" in text and _located(text, located), text
    finally:
        for path in (story, story / "story.yaml", story / "s.yaml"):
            if path.exists() or path.is_symlink():
                path.chmod(0o755)
        shutil.rmtree(base, ignore_errors=True)
