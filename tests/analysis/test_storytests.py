"""Story tests in YAML: passing, failing with a location and a reason, malformed with a located message."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from game.analysis.storytests import run_tests, story_test_files
from game.engine import load_story
from game.engine.errors import Problems
from tests.conftest import FIXTURES


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "game.cli", "test", *args], capture_output=True, text=True, timeout=120)


def test_the_fixture_s_tests_pass():
    story = load_story(FIXTURES / "remembers")
    problems = Problems()
    outcomes = run_tests(story, story_test_files([FIXTURES / "remembers"]), problems)
    assert not problems.items and len(outcomes) == 2 and all(o.passed for o in outcomes)
    assert outcomes[1].runs > 0


def with_tests(tmp_path, text: str):
    folder = tmp_path / "story"
    shutil.copytree(FIXTURES / "remembers", folder)
    (folder / "tests" / "continuity.yaml").write_text(text)
    return folder


@pytest.mark.parametrize("body, reason", [
    ("path: [corridor:hurry, plenum:bury, list:listen]\n    expect: {ending: honoured}", "expected the ending 'honoured'"),
    ("path: [corridor:hurry, plenum:vote]\n    expect: {text: [Stalin reads]}", "expected to read 'Stalin reads'"),
    ("path: [corridor:hurry, plenum:vote]\n    expect: {not_text: [Rykov]}", "should never see"),
    ("path: [corridor:hurry, plenum:vote]\n    expect: {holds: not removed}", "expected 'not removed'"),
    ("path: [corridor:hurry, list:listen]\n    expect: {ending: kept}", "the run is at scene 'plenum'"),
    ("path: [hurry, object]\n    expect: {ending: kept}", "does not offer 'object'"),
    ("through: [list, plenum]\n    runs: 50\n    expect: {ending: kept}", "none of 50 random runs"),
    ("through: [plenum]\n    runs: 200\n    expect: {not_visited: [list]}", "runs through the scenes failed"),
])
def test_failures_name_the_test_and_say_why(tmp_path, body, reason):
    folder = with_tests(tmp_path, f"tests:\n  - name: t\n    character: lev\n    {body}\n")
    run = cli(str(folder))
    assert run.returncode == 2
    assert "continuity.yaml:2:5: FAILED t" in run.stdout and reason in run.stdout, run.stdout


@pytest.mark.parametrize("body, message", [
    ("character: nobody\n    path: [hurry]\n    expect: {ending: kept}", "needs a 'character'"),
    ("character: lev\n    expect: {ending: kept}", "either 'path'"),
    ("character: lev\n    path: [hurry]\n    expect: {ending: kep}", "did you mean 'kept'"),
    ("character: lev\n    path: [hurry]\n    expect: {holds: remove}", "did you mean 'removed'"),
    ("character: lev\n    path: [hurry]\n    expect: {holds: army >}", "in 'holds'"),
    ("character: lev\n    path: [hurry]\n    expekt: {ending: kept}", "unknown key 'expekt'"),
    ("character: lev\n    through: [nowhere]\n    expect: {ending: kept}", "'nowhere' is not a scene"),
])
def test_malformed_tests_are_located(tmp_path, body, message):
    folder = with_tests(tmp_path, f"tests:\n  - name: t\n    {body}\n")
    run = cli(str(folder))
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert "continuity.yaml:" in run.stdout and message in run.stdout, run.stdout


def test_a_folder_without_tests_says_so(tmp_path):
    run = cli(str(FIXTURES / "features"))
    assert run.returncode == 0 and "no story tests" in run.stdout
