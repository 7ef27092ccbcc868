"""The text front end, driven by piped input as a student's terminal would be."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import FIXTURES


def play(stdin: str, *args: str, home=None) -> subprocess.CompletedProcess:
    env = None
    if home is not None:
        import os
        env = dict(os.environ, TESTAMENT_HOME=str(home))
    return subprocess.run([sys.executable, "-m", "game.cli", "play", "--text", "--story", str(FIXTURES / "features"), *args],
                          input=stdin, capture_output=True, text=True, timeout=60, env=env)


def test_a_whole_run_to_an_ending_with_the_variables_revealed(tmp_path):
    run = play("2\n1\n4\n1\n1\n", home=tmp_path)
    assert run.returncode == 0, run.stderr
    out = run.stdout
    assert "Whom will you play?" in out
    assert "THE HALL" in out and "The hall is full." in out
    assert "THE END: THE MAPS" not in out
    assert "THE END:" in out and "THE HIDDEN FORCES, REVEALED" in out
    assert (tmp_path / "saves" / "autosave-1.json").exists()


def test_wrong_input_reprompts_and_end_of_input_ends_cleanly(tmp_path):
    run = play("banana\n9\n3\n", "--character", "leon", home=tmp_path)
    assert run.returncode == 0
    assert "'banana' is not a choice or command" in run.stdout
    assert "Type a number from 1 to 4" in run.stdout
    assert "Traceback" not in run.stderr


def test_locked_choice_explains_itself(tmp_path):
    run = play("2\n1\n", "--character", "lev", home=tmp_path)
    assert "That road is closed: The army is not strong enough." in run.stdout


def test_undo_save_load_and_note(tmp_path):
    run = play("note\n1\nundo\n2\nsave first\n1\nload first\nsaves\nquit\n", "--character", "lev", home=tmp_path)
    out = run.stdout
    assert "The Twelfth Congress opened on 17 April 1923." in out
    assert "Source: E. H. Carr, The Interregnum (1954)" in out
    assert "Saved as 'first'." in out
    assert out.count("THE CORRIDOR") >= 3  # after choosing, after redoing, after loading
    assert "first" in out.split("load first")[-1]


def test_undo_at_the_start(tmp_path):
    run = play("undo\n", "--character", "lev", home=tmp_path)
    assert "nothing to undo" in run.stdout


def test_unknown_character_is_a_clear_error(tmp_path):
    run = play("", "--character", "trotski", home=tmp_path)
    assert run.returncode == 2 and "no character 'trotski'" in run.stderr and "Traceback" not in run.stderr


def test_broken_story_exits_2_with_locations(tmp_path):
    run = subprocess.run([sys.executable, "-m", "game.cli", "play", "--text", "--story", str(FIXTURES / "broken")],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 2
    assert "broken/scenes.yaml:9:20:" in run.stderr and "Traceback" not in run.stderr


def test_the_end_writes_a_transcript(tmp_path):
    run = play("1\n1\n1\n", "--character", "leon", home=tmp_path)
    assert "A transcript of this run is in" in run.stdout
    (written,) = (tmp_path / "transcripts").glob("leon-*.md")
    text = written.read_text()
    assert "Played as **Leon**" in text and "**You chose:** Rally the army." in text
    assert "| The army | 80 | 90 | Rally the army. (+10) |" in text


def test_transcript_command(tmp_path):
    target = tmp_path / "mine.md"
    run = play(f"1\ntranscript {target}\nquit\n", "--character", "lev", home=tmp_path)
    assert f"Transcript written to {target}" in run.stdout
    assert "## 2. The corridor" in target.read_text()
