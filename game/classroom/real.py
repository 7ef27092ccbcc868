""""What in your story was real?": every turn a run took away from history, and what really happened.

A run leaves history in two ways, and this page lists both, in the order they happened:

- it enters a scene whose note is marked ``counterfactual`` (an *invented* scene): the page
  names the choice that led into it from history, what the player chose there, and the
  note's account of what really happened, with its sources;
- in a historical scene, it takes a choice that sets a flag the man's documented historical
  run never sets (``game.classroom.historical``): a decisive act he never did. The page says
  what he really did there (the historical path's ``why``) or, where his path does not pass
  that scene, what the note says.

It ends with the story's ``debrief`` (from ``historical.yaml``): why the game lets Stalin
lose more often than history suggests. The window shows it after the ending's pages, the
terminal after the ending, and the transcript as a section of its own (``markdown``).
"""

from __future__ import annotations

from attrs import frozen

from game.dates import pretty_date
from game.engine.model import Story
from game.engine.play import CONTINUE, State, choice_text, states_of, view

HEADING = "What in your story was real?"


@frozen
class Turn:
    """One place where the run left what really happened."""

    #: ``invented`` (a counterfactual scene) or ``act`` (a choice the real man never made).
    kind: str
    scene: str
    title: str
    date: str
    #: The choice, in the historical scene before, that led into an invented scene ("" if none).
    led_by: str
    #: What the player chose here ("" when the run ended here).
    chosen: str
    #: Decisive acts (flags) the choice set that the real run never did, in words.
    acts: tuple[str, ...]
    #: What really happened, in the note's words or the historical path's.
    really: str
    sources: tuple[str, ...] = ()


@frozen
class Reality:
    """The whole page: the turns, how much of the run kept to history, and the debrief."""

    turns: tuple[Turn, ...]
    scenes: int
    invented: int
    debrief: tuple[str, ...] = ()

    @property
    def summary(self) -> str:
        kept = self.scenes - self.invented
        if not self.turns:
            return (f"Your run kept to history: all {self.scenes} of its scenes happened, and you made no "
                    "decisive choice the real man did not make. The choices were yours; the roads were real.")
        invented = (f"{self.invented} of its {self.scenes} scenes were invented by the game, the other {kept} "
                    f"are history" if self.invented else f"all {self.scenes} of its scenes are history")
        acts = sum(1 for t in self.turns if t.kind == "act")
        decisive = f", and you made {acts} decisive choice{'s' if acts != 1 else ''} the real man never made" if acts else ""
        return (f"In your run {invented}{decisive}. Here is each turn away from what really happened, "
                "what happened instead, and where to read about it.")


def _words(story: Story, flag: str) -> str:
    """A flag in words, as the forces page and "Why this ending" name it."""
    from game.classroom.acts import flag_words
    return flag_words(story, flag)


def historical_flags(story: Story, character: str) -> frozenset[str] | None:
    """Every flag the character's historical run ever sets; None when the story has no path for him."""
    from game.classroom import historical
    try:
        states = historical.historical_run(story, character)
    except historical.ChapterError:
        return None
    out: set[str] = set()
    for s in states:
        out |= s.flags
    return frozenset(out)


def reality(story: Story, state: State) -> Reality:
    """The turns ``state``'s run took away from history, from its start to now."""
    from game.classroom import historical
    states = states_of(story, state)
    path = list(state.path)
    real_flags = historical_flags(story, state.character)
    hist = historical.path_for(story, state.character)
    turns: list[Turn] = []
    invented = 0
    for i, st in enumerate(states):
        scene = story.scenes[st.scene]
        taken = path[i][1] if i < len(path) else None
        chosen = "" if taken is None or taken == CONTINUE or taken.startswith("-") else choice_text(story, st, taken)
        choice = scene.choice(taken) if taken else None
        new_flags = tuple(sorted(f for f in (choice.set_flags if choice else ()) if f not in st.flags))
        if scene.note.counterfactual:
            invented += 1
            before = story.scenes[states[i - 1].scene] if i > 0 else None
            led_by = ""
            if before is not None and not before.note.counterfactual and path[i - 1][1] != CONTINUE:
                led_by = choice_text(story, states[i - 1], path[i - 1][1])
            acts = tuple(_words(story, f) for f in new_flags if real_flags is None or f not in real_flags)
            turns.append(Turn("invented", scene.id, scene.title, scene.date, led_by, chosen, acts,
                              view(story, st).note, scene.note.sources))
            continue
        if real_flags is None or not new_flags:
            continue
        unreal = tuple(f for f in new_flags if f not in real_flags)
        if not unreal:
            continue
        step = hist.step_at(scene.id) if hist is not None else None
        really = step.why if step is not None else view(story, st).note
        turns.append(Turn("act", scene.id, scene.title, scene.date, "", chosen, tuple(_words(story, f) for f in unreal),
                          really, scene.note.sources))
    return Reality(tuple(turns), len(states), invented, historical.aids(story).debrief)


def paragraphs(story: Story, state: State) -> list[tuple[str, str]]:
    """The page as (kind, text) pieces a front end lays out: ``heading``, ``turn`` (a turn's
    title line), ``label`` (what the player chose), ``text``, ``source`` and ``aside``."""
    r = reality(story, state)
    out: list[tuple[str, str]] = [("text", r.summary)]
    for n, t in enumerate(r.turns, 1):
        kind = "An invented scene" if t.kind == "invented" else "A choice he never made"
        when = pretty_date(t.date)
        out.append(("turn", f"{n}. {t.title}" + (f" ({when})" if when else "") + f": {kind.lower()}"))
        if t.led_by:
            out.append(("label", f"What led there: {t.led_by}"))
        if t.chosen:
            out.append(("label", f"You chose: {t.chosen}"))
        if t.acts and t.kind == "invented":
            out.append(("label", "It set decisive acts the real man never did: " + ", ".join(t.acts)))
        out.append(("text", ("What really happened: " if t.kind == "invented" else "What he really did: ") + t.really))
        if t.sources:
            out.append(("source", ("Sources: " if len(t.sources) > 1 else "Source: ") + "; ".join(t.sources)))
    if r.debrief:
        out.append(("heading", "A word on the odds"))
        out += [("text", p) for p in r.debrief]
    return out


def markdown(story: Story, state: State) -> list[str]:
    """The page as Markdown lines, for the transcript (a ``###`` section)."""
    lines = [f"### {HEADING}", ""]
    for kind, text in paragraphs(story, state):
        one = " ".join(text.split())
        if kind == "heading":
            lines += [f"#### {one}", ""]
        elif kind == "turn":
            lines += [f"**{one}**", ""]
        elif kind == "label":
            lines += [f"*{one}*", ""]
        elif kind == "source":
            lines += [f"> {one}", ""]
        else:
            lines += [one, ""]
    return lines
