"""A run written out as a Markdown document a student can hand in and a teacher can read.

It replays the run's path through the engine, so it shows exactly what the player saw:
each scene with its date, place, text and historical note, the choice made, and at the
end the ending, why the run came to it (``game.analysis.why``), the hidden forces with how
they moved, and what really happened.

The file written (``transcript_file``) adds, after the Markdown, the "What in your story
was real?" section of a finished run (``game.classroom.real``), a line for the student's
name and the run's machine-readable record (``game.classroom.record``), which
``testament class-report`` reads. ``transcript`` itself is the Markdown alone, the part the
browser version writes too.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Iterable

from game.analysis.why import HEADING as WHY_HEADING, explain
from game.classroom.forces import forces
from game.classroom.reading import notes_opened
from game.classroom.record import build, trailer
from game.dates import pretty_date
from game.engine import State, Story, start, step, view
from game.engine.play import CONTINUE, choice_text
from game.saves import write_atomically

#: Said before every epilogue, which follows the men into the 1930s (the terminal and the browser say it too).
ADVISORY = ("Content note: what follows goes on into the 1930s, and may tell of suicide, "
            "executions and confessions forced by threats and torture.")


def transcript(story: Story, state: State) -> str:
    """The whole run so far as Markdown."""
    who = story.characters[state.character]
    lines = [f"# {story.title}: a transcript", "", f"Played as **{who.name}**" + (f", {who.title}" if who.title else "") + ".", ""]
    s = start(story, state.character)
    steps = list(state.path) + [None]
    for number, taken in enumerate(steps, 1):
        v = view(story, s)
        scene = v.scene
        if v.reply:
            lines += [f"*{_one_line(v.reply)}*", ""]
        lines += [f"## {number}. {scene.title}", "", f"*{', '.join(x for x in (pretty_date(scene.date), v.place) if x)}*", ""]
        for paragraph in v.text.split("\n\n") if v.text else []:
            lines += [paragraph.strip(), ""]  # a blank line between paragraphs, or Markdown joins them
        if v.note:
            tag = " (this scene departs from what really happened)" if scene.note.counterfactual else ""
            lines += [f"> **Historical note{tag}.** {_one_line(v.note)}"]
            for src in scene.note.sources:
                lines.append(f"> Source: {src}")
            lines.append("")
        if taken is None:
            break
        chosen = "(continued)" if taken[1] == CONTINUE else choice_text(story, s, taken[1])
        lines += [f"**You chose:** {chosen}", ""]
        s = step(story, s, taken[1])
    if state.ending:
        end = view(story, state)
        assert end.ending is not None
        lines += [f"## The end: {end.ending.title}", ""]
        lines += _paragraphs(end.ending_text)
        why = explain(story, state)
        if why is not None:
            lines += [f"### {WHY_HEADING}", ""] + _paragraphs("\n\n".join(why.paragraphs))
        if end.epilogue:
            lines += ["### Afterwards", "", f"*{ADVISORY}*", ""] + _paragraphs(end.epilogue)
        lines += ["### The hidden forces", "", "| force | began | ended | moved most by |", "|---|---|---|---|"]
        for force in forces(story, state):
            moved = "; ".join(f"{m.choice_text} ({m.delta:+d})" for m in force.top_moves) or "nothing"
            lines.append(f"| {force.name} | {force.start} | {force.end} | {moved} |")
        lines.append("")
        if end.history:
            lines += ["### What really happened", ""] + _paragraphs(end.history)
    return "\n".join(lines).rstrip() + "\n"


def _paragraphs(text: str) -> list[str]:
    """Each paragraph of ``text`` on one line, with a blank line after it, so Markdown keeps them apart."""
    return [x for p in text.split("\n\n") if p.strip() for x in (_one_line(p), "")]


def _one_line(text: str) -> str:
    return " ".join(text.split())


def transcript_path(saves_folder: Path, character: str, now: datetime.datetime | None = None) -> Path:
    """Where a run's transcript goes by default: a ``transcripts`` folder beside the saves."""
    stamp = (now or datetime.datetime.now()).strftime("%Y%m%d-%H%M%S")
    return saves_folder.parent / "transcripts" / f"{character}-{stamp}.md"


def transcript_file(story: Story, state: State, notes: Iterable[str] | None = None,
                    now: datetime.datetime | None = None) -> str:
    """The transcript as a file holds it: the Markdown, then the run's record for the class report.

    ``notes`` are the scenes whose notes the student opened; by default, what the front end
    told ``game.classroom.reading`` on the way to ``state``.
    """
    opened = notes_opened(story, state) if notes is None else notes
    text = transcript(story, state)
    if state.finished:  # after the ending, "What in your story was real?" (game.classroom.real)
        from game.classroom.real import markdown as real_page
        text = text.rstrip("\n") + "\n\n" + "\n".join(real_page(story, state)).rstrip() + "\n"
    return text + trailer(build(story, state, opened, now))


def write_transcript(story: Story, state: State, path: Path, notes: Iterable[str] | None = None) -> Path:
    """Write the run's transcript, record included, atomically; ``OSError`` if it cannot be written."""
    write_atomically(path, transcript_file(story, state, notes))
    return path
