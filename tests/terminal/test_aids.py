"""The text game's reading aids (who, glossary, timeline), chapter select, and the
"What in your story was real?" page after the ending."""

from __future__ import annotations

import io
import os
import subprocess
import sys

from game.analysis.randomplay import random_runs
from game.classroom import historical
from game.engine import replay, start
from game.terminal.play import TextGame


def game(story, lines, state, tmp_path):
    out = io.StringIO()
    feed = iter(lines)
    g = TextGame(story, out, lambda: next(feed, None), save_folder=tmp_path)
    g.run(state=state)
    return out.getvalue()


def test_who_glossary_and_timeline(campaign, tmp_path):
    out = game(campaign, ["who stalin", "who preobrajensky", "who", "glossary orgburo", "glossary", "timeline", "quit"],
               start(campaign, "trotsky"), tmp_path)
    assert "Joseph Stalin (Iosif Dzhugashvili), 1878-1953. General Secretary" in out
    assert "Did you mean Preobrazhensky?" in out
    assert "IN THIS SCENE" in out and "Lidia Fotieva, 1881-1975." in out
    assert "WHO'S WHO" in out and "Natalia Sedova" in out and "Chiang Kai-shek" in out
    assert "Orgburo, 1919-1952. The Organisational Bureau" in out
    assert "GLOSSARY (type 'glossary WORD'" in out and "Derzhimorda" in out
    assert "WHAT REALLY HAPPENED, BESIDE YOUR RUN, TO 5 MARCH 1923" in out
    assert "Really: Lenin's two letters." in out and "Your run: A letter by telephone" in out
    assert "Really: Lenin's third stroke" not in out  # the timeline stops at the run's present


def test_a_chapter_begins_in_the_historical_state(campaign, tmp_path):
    env = dict(os.environ, TESTAMENT_HOME=str(tmp_path))
    run = subprocess.run([sys.executable, "-m", "game.cli", "play", "--text", "--chapter", "1926", "--character", "kamenev"],
                         input="undo\nquit\n", capture_output=True, text=True, timeout=120, env=env)
    assert run.returncode == 0, run.stderr
    assert "Chapter 1926, as Lev Kamenev" in run.stdout
    assert "THE NEW POLITBURO" in run.stdout
    assert "THE LEARNERS VOTE" not in run.stdout
    before = historical.chapter_start(campaign, "kamenev", 1926)[-2]
    assert campaign.scenes[before.scene].title.upper() in run.stdout  # undo walks back along the real run


def test_a_chapter_needs_a_character_and_a_year_the_story_has(tmp_path):
    env = dict(os.environ, TESTAMENT_HOME=str(tmp_path))
    base = [sys.executable, "-m", "game.cli", "play", "--text", "--chapter"]
    run = subprocess.run(base + ["1925"], input="", capture_output=True, text=True, timeout=120, env=env)
    assert run.returncode == 2 and "--chapter needs --character" in run.stderr
    run = subprocess.run(base + ["1919", "--character", "trotsky"], input="", capture_output=True, text=True,
                         timeout=120, env=env)
    assert run.returncode == 2 and "no chapter 1919" in run.stderr


def test_the_ending_is_followed_by_what_was_real(campaign, tmp_path):
    for r in random_runs(campaign, "zinoviev", 40, 7):
        end = replay(campaign, "zinoviev", r.path)
        if any(campaign.scenes[s].note.counterfactual for s, _ in r.path):
            break
    out = game(campaign, [], end, tmp_path)
    page = out.split("WHAT IN YOUR STORY WAS REAL?")[1]
    assert "an invented scene" in page and "What really happened:" in page
    assert "A WORD ON THE ODDS" in page
    assert page.index("A WORD ON THE ODDS") < page.index("A transcript of this run is in")
