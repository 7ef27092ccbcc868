"""The terminal shows text as the run made it, and marks invented scenes in their header."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import FIXTURES


def play(stdin: str, home) -> str:
    import os
    run = subprocess.run([sys.executable, "-m", "game.cli", "play", "--text", "--story", str(FIXTURES / "remembers"),
                          "--character", "lev"], input=stdin, capture_output=True, text=True, timeout=60,
                         env=dict(os.environ, TESTAMENT_HOME=str(home)))
    assert run.returncode == 0 and "Traceback" not in run.stderr, run.stderr
    return run.stdout


def test_a_removed_stalin_does_not_read_the_list(tmp_path):
    removed = play("1\n2\n1\n", tmp_path)
    kept = play("1\n3\n1\n", tmp_path / "other")
    assert "Rykov reads the new Politburo list." in removed and "unhurried" not in removed
    assert "Stalin reads the new Politburo list in his flat, unhurried voice." in kept
    assert "It began with a vote in a closed plenum" in removed


def test_a_counterfactual_scene_says_so_in_its_header(tmp_path):
    out = play("1\n2\n", tmp_path)
    header = out[out.index("THE LIST"):].split("\n")[1]
    assert "COUNTERFACTUAL" in header
    assert "COUNTERFACTUAL" not in out[out.index("THE PLENUM"):].split("\n")[1]


def test_the_decisive_acts_are_told_as_the_choices_that_made_them(tmp_path):
    out = play("1\n2\n1\n", tmp_path)
    acts = out[out.index("DECISIVE ACTS"):out.index("WHAT REALLY HAPPENED")]
    assert "You chose “Move a vote" in acts and "21 May 1924" in acts
    assert "Decisive acts:" not in out  # the old bare list of flag ids
