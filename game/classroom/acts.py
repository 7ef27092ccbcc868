"""The decisive acts of a run, in words: each flag it ended with, as the choice that made it.

A flag id is an author's name ("kept_war_commissariat"); a player should read what he
did instead: "You chose “Refuse to resign” in “The January plenum”, 17 January 1925".
Shared by the window's forces page, the text game's ending and anything else that
reveals the run.
"""

from __future__ import annotations

from typing import Sequence

from attrs import frozen

from game.dates import pretty_date
from game.engine import State, Story
from game.engine.play import CONTINUE, choice_text


@frozen
class Act:
    """A decisive act (a flag) of the run, in words, and the choice that made it."""

    flag: str
    words: str
    #: "you chose “…” in “Scene”, 5 March 1923", or "so it stood when the run began".
    how: str


def flag_words(story: Story, flag: str) -> str:
    """A flag id in words ("german_october_won" as "German October won"), capitalised as the
    story's own prose capitalises those words (the ending's explanation does the same)."""
    try:
        from game.analysis.why import _Words
        return _Words(story, None, []).flag_words(flag)  # type: ignore[arg-type]
    except Exception:  # a different version of the explanation module: plain words will do
        text = flag.replace("_", " ").strip()
        return text[:1].upper() + text[1:]


def acts(story: Story, states: Sequence[State]) -> list[Act]:
    """The flags the run ended with, in the order it set them, each with the choice that set it."""
    final = states[-1]
    path = final.path
    when_set: dict[str, int] = {}
    for k in range(len(path)):
        before, after = states[k], states[k + 1]
        for flag in after.flags - before.flags:
            when_set[flag] = k
    out = []
    start_flags = [f for f in sorted(final.flags) if f not in when_set]
    for flag in start_flags:
        out.append(Act(flag, flag_words(story, flag), "So it stood when the run began."))
    for flag, k in sorted(when_set.items(), key=lambda item: (item[1], item[0])):
        if flag not in final.flags:
            continue
        scene_id, choice_id = path[k]
        scene = story.scenes[scene_id]
        date = pretty_date(scene.date)
        where = f"“{scene.title}”" + (f", {date}" if date else "")
        if choice_id == CONTINUE:
            how = f"It came with {where}."
        else:
            how = f"You chose “{_no_stop(choice_text(story, states[k], choice_id))}” in {where}."
        out.append(Act(flag, flag_words(story, flag), how))
    return out


def _no_stop(s: str) -> str:
    s = " ".join(s.split())
    return s[:-1] if s.endswith(".") else s


