"""The transcript shows what the player saw and how the hidden forces moved."""

from game.classroom.forces import forces
from game.classroom.transcript import transcript
from game.engine import start, step
from game.engine.play import CONTINUE


def test_forces_rank_the_choices_that_moved_each_one(features):
    s = start(features, "leon")
    for c in ("set", CONTINUE):
        s = step(features, s, c)
    army, cadres = forces(features, s)
    assert (army.start, army.end, army.values) == (80, 10, (80, 10, 10))
    assert [(m.choice_text, m.delta) for m in army.top_moves] == [("Reset.", -70)]
    assert (cadres.start, cadres.end) == (0, 3)


def test_transcript_of_an_unfinished_run_ends_at_the_current_scene(features):
    s = step(features, start(features, "lev"), "fair-down")
    text = transcript(features, s)
    assert text.count("**You chose:**") == 1
    assert text.rstrip().endswith("Source: Isaac Deutscher, The Prophet Unarmed (1959)")
    assert "The end" not in text


def test_transcript_marks_the_ending_and_counterfactual_notes(features):
    s = start(features, "leon")
    for c in ("fair-up", "strong", "on"):
        s = step(features, s, c)
    text = transcript(features, s)
    assert "## The end: The maps" in text and "*The officers salute.*" in text
