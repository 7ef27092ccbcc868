""""What in your story was real?": the turns a run took away from history, what really
happened instead (from the note, or the man's documented historical choice), and the debrief."""

from __future__ import annotations

from game.classroom import historical, real
from game.classroom.record import FENCE
from game.classroom.transcript import transcript_file
from game.engine import start, step, view


def test_the_historical_run_has_no_turns(campaign):
    end = historical.historical_run(campaign, "bukharin")[-1]
    r = real.reality(campaign, end)
    assert r.turns == () and r.invented == 0
    assert "kept to history" in r.summary
    assert r.debrief and "Stalin" in " ".join(r.debrief)


def test_a_choice_the_real_man_never_made_and_an_invented_scene(campaign):
    s = start(campaign, "zinoviev")
    s = step(campaign, s, "call-stalin-to-account")   # he really held the troika together
    s = step(campaign, s, "z-take-report")
    s = step(campaign, s, "z-press-notes")            # Lenin's notes into the hall: an invented scene follows
    r = real.reality(campaign, s)
    act, invented = r.turns
    assert act.kind == "act" and act.scene == "1923-zinoviev-start"
    assert act.acts == ("Zinoviev checked Stalin",)  # in words, as the forces page names it
    assert act.really == historical.path_for(campaign, "zinoviev").step_at("1923-zinoviev-start").why
    assert invented.kind == "invented" and invented.scene in ("1923-notes-read", "1923-notes-smothered")
    assert invented.led_by.startswith("Let Lenin's notes be read")
    assert invented.chosen == "" and invented.sources
    assert invented.really == view(campaign, s).note  # the note, as this run reads it
    assert "1 of its 4 scenes were invented" in r.summary and "1 decisive choice the real man never made" in r.summary


def test_the_transcript_of_a_finished_run_has_the_section_before_its_record(campaign):
    end = historical.historical_run(campaign, "kamenev")[-1]
    text = transcript_file(campaign, end, notes=())
    assert text.index("### What in your story was real?") < text.index("#### A word on the odds") < text.index(FENCE)
    unfinished = historical.historical_run(campaign, "kamenev")[5]
    assert "What in your story was real?" not in transcript_file(campaign, unfinished, notes=())
