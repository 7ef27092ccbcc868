"""Runs an author builds to test a branch: a replay file played to its end, or a chosen scene and state.

A replay file has one step a line, either a choice id or ``scene:choice`` (what the
witness printers write: ``check --witness``, ``playtest --reach``); blank lines and ``#``
comments are ignored, and a ``# character: ID`` line says whose run it is. A file may hold
the runs of several characters, each after its own header; ``--character`` picks one.

The file is untrusted: it is read bounded in size and step count, its text is checked as
UTF-8 with the place of any bad byte, and every step that does not fit the story says
which line, where the story was and what it offered. Replaying is linear in the file's
length (each step is one engine ``step``).

Every state made here is a real engine ``State`` whose path replays to it: one made with
``--set``/``--flag`` (or at a scene no road was found to) ends its path with a step set by
hand (``engine.play.BY_HAND``: ``scene:-set army=60 +flag -flag``), which replay files may
hold too, so undo, saves and transcripts work as for any run.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Mapping, Sequence

from attrs import frozen

from game import savefiles
from game.engine.errors import StepError, did_you_mean
from game.engine.loader import ID_PATTERN, gc_paused
from game.engine.model import Story
from game.engine.play import BY_HAND, CONTINUE, State, available, by_hand, start, step

#: The largest replay file read: as large as the largest save.
MAX_REPLAY_BYTES = 4 * 1024 * 1024
#: The most steps a replay may have (about what the largest save holds).
MAX_REPLAY_STEPS = 100_000
_HEADER = re.compile(r"#\s*character\s*:\s*(.*?)\s*$", re.IGNORECASE)


class ReplayError(ValueError):
    """A replay file that cannot be played, with the file, the line and the reason in words."""


class StartError(ValueError):
    """A scene or state asked for with ``--from`` that the story does not have, in words."""


def shown(text: str, limit: int = 60) -> str:
    """Text from an untrusted file, safe to print: control, format (bidirectional overrides)
    and unassigned characters as '?', cut short."""
    text = "".join("?" if unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Cn") else c for c in text[:limit + 1])
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _hint(name: str, known) -> str:
    """`` (did you mean 'x'?)`` or nothing."""
    hint = did_you_mean(name, known)
    return f" ({hint})" if hint else ""


# ---- reading a replay file ------------------------------------------------------------------

@frozen
class Step:
    """One line of a replay file that is a step."""

    line: int
    #: The scene the story must be at, when the line says it (``scene:choice``).
    scene: str | None
    choice: str


@frozen
class Replay:
    """A parsed replay file: one run per character header (``None`` for steps before any header)."""

    name: str
    #: (character or None, line of its header or 0, its steps), in file order.
    runs: tuple[tuple[str | None, int, tuple[Step, ...]], ...]


def read_replay(path: Path) -> Replay:
    """Read and parse a replay file; ``ReplayError`` for anything that is not one."""
    name = str(path)
    try:
        data = savefiles.read_bounded(path, MAX_REPLAY_BYTES, "replay file")
    except savefiles.Unreadable as exc:
        raise ReplayError(f"{shown(name, 200)}: {exc.reason}") from None
    return parse_replay(data, name)


def parse_replay(data: bytes, name: str = "<replay>") -> Replay:
    """Parse the bytes of a replay file; ``ReplayError`` names the line of the first problem."""
    where = shown(name, 200)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ReplayError(f"{where}:{line}:{column}: not UTF-8 text (byte 0x{data[exc.start]:02x}); "
                          "a replay file is plain text, one step a line") from None
    if text.startswith("\ufeff"):
        text = text[1:]
    runs: list[tuple[str | None, int, list[Step]]] = [(None, 0, [])]
    count = 0
    # Split on newlines only (str.splitlines also breaks at form feeds and U+2028, and
    # line numbers would no longer be an editor's).
    for number, raw in enumerate(text.split("\n"), 1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            header = _HEADER.match(line)
            if header:
                who = header.group(1)
                if not who or not ID_PATTERN.match(who):
                    raise ReplayError(f"{where}:{number}: '{shown(who)}' is not a character id "
                                      "(write '# character: ID', for example '# character: trotsky')")
                runs.append((who, number, []))
            continue
        body = line.split("#", 1)[0].strip()
        scene, sep, choice = body.rpartition(":") if ":" in body else (None, "", body)
        ok_choice = choice == CONTINUE or bool(ID_PATTERN.match(choice)) or choice.startswith(BY_HAND + " ")
        ok_scene = scene is None or bool(ID_PATTERN.match(scene))
        if not (ok_choice and ok_scene) or (sep and not scene):
            raise ReplayError(f"{where}:{number}: '{shown(line)}' is not a step: write one choice id a line, "
                              "or scene:choice (ids are lower-case letters, digits and hyphens)")
        count += 1
        if count > MAX_REPLAY_STEPS:
            raise ReplayError(f"{where}:{number}: more than {MAX_REPLAY_STEPS:,} steps, the most a replay may have")
        runs[-1][2].append(Step(number, scene, choice))
    if not runs[0][2]:
        runs.pop(0)
    if not runs:
        runs.append((None, 0, []))
    return Replay(name, tuple((who, line, tuple(steps)) for who, line, steps in runs))


# ---- playing it ---------------------------------------------------------------------------------

def _choose_run(story: Story, replay: Replay, character: str | None) -> tuple[str, tuple[Step, ...]]:
    where = shown(replay.name, 200)
    for who, line, _ in replay.runs:
        if who is not None and who not in story.characters:
            raise ReplayError(f"{where}:{line}: no character '{shown(who)}' in this story{_hint(who, story.characters)}"
                              f"; choose from {', '.join(story.characters)}")
    named = [(who, line, steps) for who, line, steps in replay.runs if who is not None]
    loose = [steps for who, _, steps in replay.runs if who is None]
    if named and loose:
        first = loose[0][0].line
        raise ReplayError(f"{where}:{first}: steps before the first '# character:' line; "
                          "put each run after its character's header")
    if character is not None:
        if named:
            mine = [(line, steps) for who, line, steps in named if who == character]
            if not mine:
                others = ", ".join(f"{who} (line {line})" for who, line, _ in named)
                raise ReplayError(f"{where}: this file holds no run for {character}, only for {others}")
            if len(mine) > 1:
                raise ReplayError(f"{where}:{mine[1][0]}: a second run for {character} (the first is at line "
                                  f"{mine[0][0]}); keep one")
            return character, mine[0][1]
        return character, loose[0] if loose else ()
    if len(named) > 1:
        others = ", ".join(f"{who} (line {line})" for who, line, _ in named)
        raise ReplayError(f"{where}: this file holds several runs ({others}); choose one with --character")
    if named:
        return named[0][0], named[0][2]
    steps = loose[0] if loose else ()
    if len(story.characters) == 1:
        return next(iter(story.characters)), steps
    if steps and steps[0].scene is not None:
        starting = [c.id for c in story.characters.values() if c.start == steps[0].scene]
        if len(starting) == 1:
            return starting[0], steps
    raise ReplayError(f"{where}: whose run is it? Add a line '# character: ID' or give --character "
                      f"(one of {', '.join(story.characters)})")


def _offered(story: Story, state: State) -> str:
    """What the story offers in ``state``, for a message: choice ids, or the ending."""
    ids = available(story, state)
    return ", ".join(ids)


def _why_not(story: Story, state: State, choice_id: str) -> str:
    """Why ``choice_id`` cannot be taken in ``state``, in words."""
    scene = story.scenes[state.scene]
    choice = scene.choice(choice_id) if choice_id != CONTINUE else None
    if choice_id == CONTINUE:
        return f"scene '{scene.id}' still has choices to take, so it does not offer '{CONTINUE}'"
    if choice is None:
        return (f"scene '{scene.id}' has no choice '{shown(choice_id)}'"
                f"{_hint(choice_id, [c.id for c in scene.choices])}")
    if choice.only_for is not None and state.character not in choice.only_for:
        return f"choice '{choice_id}' of scene '{scene.id}' is only for {', '.join(sorted(choice.only_for))}"
    if choice.once and (scene.id, choice.id) in state.taken:
        return f"choice '{choice_id}' of scene '{scene.id}' can be taken only once, and this run has taken it"
    if choice.condition is not None:
        return f"choice '{choice_id}' of scene '{scene.id}' needs '{choice.condition.source}', which does not hold"
    return f"choice '{choice_id}' of scene '{scene.id}' is not on offer now"


def play_replay(story: Story, replay: Replay, character: str | None = None) -> list[State]:
    """Every state of the replayed run, from the character's start to the last step.

    ``ReplayError`` names the line of the first step that does not fit, where the story was
    at that moment and what it offered there.
    """
    if character is not None and character not in story.characters:
        raise ReplayError(f"no character '{shown(character)}' in this story{_hint(character, story.characters)}"
                          f"; choose from {', '.join(story.characters)}")
    who, steps = _choose_run(story, replay, character)
    with gc_paused():  # as states_of: many small objects and no cycles, so the collector only costs time
        return _play_steps(story, who, steps, shown(replay.name, 200))


def _play_steps(story: Story, who: str, steps: Sequence[Step], where: str) -> list[State]:
    state = start(story, who)
    states = [state]
    ended_at = 0
    known: set[str] = set()  # the story's flags, read when a step set by hand names one
    for s in steps:
        here = story.scenes[state.scene]
        at = f"The story was at scene '{here.id}' ({shown(here.title)})"
        hand = s.choice.startswith(BY_HAND + " ")  # may follow the end: it can change the ending
        if state.ending is not None and not hand:
            when = f"at line {ended_at}" if ended_at else "where it starts"
            raise ReplayError(f"{where}:{s.line}: the run has already ended ({when}, in ending '{state.ending}' "
                              f"at scene '{here.id}'); a step after the end cannot be played")
        if s.scene is not None and s.scene != state.scene:
            known = "" if s.scene in story.scenes else \
                f" (this story has no scene '{shown(s.scene)}'" + \
                (f"; {did_you_mean(s.scene, story.scenes)})" if did_you_mean(s.scene, story.scenes) else ")")
            raise ReplayError(f"{where}:{s.line}: the step is for scene '{shown(s.scene)}'{known}, but the run is "
                              f"elsewhere. {at}, which offered: {_offered(story, state)}")
        if hand:
            for item in s.choice.split()[1:]:
                flag = item[1:]
                if item[:1] in ("+", "-") and "=" not in item:
                    known = known or known_flags(story)
                    if flag not in known:
                        raise ReplayError(f"{where}:{s.line}: no flag '{shown(flag)}' in this story"
                                          f"{_hint(flag, known)}")
            try:
                state = step(story, state, s.choice)
            except StepError as exc:
                raise ReplayError(f"{where}:{s.line}: {shown(str(exc), 200)}. {at}") from None
            states.append(state)
            ended_at = s.line if state.ending is not None else 0
            continue
        if s.choice not in available(story, state):
            raise ReplayError(f"{where}:{s.line}: {_why_not(story, state, s.choice)}. {at}, "
                              f"which offered: {_offered(story, state)}")
        state = step(story, state, s.choice)
        states.append(state)
        if state.ending is not None:
            ended_at = s.line
    return states


def replay_file(story: Story, path: Path, character: str | None = None) -> list[State]:
    """``read_replay`` then ``play_replay``."""
    return play_replay(story, read_replay(path), character)


# ---- starting at a scene ----------------------------------------------------------------------

@frozen
class Start:
    """A state to test from, the undo history before it, and what an author should know of it."""

    state: State
    #: States before ``state`` that undo walks back through (empty when it was changed by hand).
    history: tuple[State, ...]
    #: Lines to show before the scene: who, from what road, what was changed.
    notes: tuple[str, ...]
    #: True when the state is one a played run reaches; False when its last step set
    #: values or flags by hand (``BY_HAND``), which its path records, so saves replay it too.
    played: bool


def parse_settings(story: Story, settings: Sequence[str]) -> dict[str, int]:
    """``--set NAME=VALUE`` items as variable values, each checked against its range."""
    values: dict[str, int] = {}
    names = [v.id for v in story.variables]
    for item in settings:
        name, sep, raw = item.partition("=")
        name, raw = name.strip(), raw.strip()
        if not sep or not name:
            raise StartError(f"--set '{shown(item)}': write NAME=VALUE, for example --set {names[0] if names else 'army'}=60")
        if name not in story.variable_index:
            raise StartError(f"--set: no variable '{shown(name)}' in this story{_hint(name, names)}"
                             f"; variables: {', '.join(names) or 'none'}")
        var = story.variable(name)
        if not re.fullmatch(r"[+-]?[0-9]{1,12}", raw):
            raise StartError(f"--set {name}: '{shown(raw)}' is not a whole number")
        value = int(raw)
        if not var.min <= value <= var.max:
            raise StartError(f"--set {name}={value} is refused: {name} runs from {var.min} to {var.max}")
        values[name] = value
    return values


def known_flags(story: Story) -> set[str]:
    """Every flag the story names: set, cleared, given to a character, or tested anywhere."""
    from game.analysis.bounds import all_flags
    return all_flags(story)


def check_flags(story: Story, names: Sequence[str], option: str = "--flag") -> frozenset[str]:
    known = known_flags(story)
    for name in names:
        if name not in known:
            listed = ", ".join(sorted(known)[:30]) + (", ..." if len(known) > 30 else "")
            raise StartError(f"{option}: no flag '{shown(name)}' in this story{_hint(name, known)}"
                             f"; flags: {listed or 'none'}")
    return frozenset(names)


def check_scene(story: Story, scene: str, option: str = "--from") -> None:
    """``StartError`` with a did-you-mean when the story has no such scene."""
    if scene not in story.scenes:
        raise StartError(f"{option}: no scene '{shown(scene)}' in this story{_hint(scene, story.scenes)}")


def start_at(story: Story, scene: str, *, character: str | None = None, values: Mapping[str, int] | None = None,
             flags: Sequence[str] = (), clear: Sequence[str] = ()) -> Start:
    """The state to test ``scene`` from: the shortest road's, with the values and flags asked for.

    Without ``character``, the first character (in the story's order) who can reach the
    scene. Without a road, the character's start values and flags at the scene, with an
    empty path. ``StartError`` for names the story does not have and values out of range.
    """
    from game.analysis.reach import REACHABLE, find_road, open_to
    check_scene(story, scene)
    if character is not None and character not in story.characters:
        raise StartError(f"--character: no character '{shown(character)}' in this story"
                         f"{_hint(character, story.characters)}; choose from {', '.join(story.characters)}")
    set_values = dict(values or {})
    set_flags, clear_flags = check_flags(story, flags), check_flags(story, clear, "--no-flag")
    both = set_flags & clear_flags
    if both:
        raise StartError(f"flag '{sorted(both)[0]}' is both set (--flag) and cleared (--no-flag)")
    candidates = [character] if character is not None else list(story.characters)
    open_ones = [c for c in candidates if open_to(story, scene, c)]
    if not open_ones:
        only = ", ".join(sorted(story.scenes[scene].only_for or ()))
        raise StartError(f"--from: scene '{scene}' is only for {only}" +
                         (f", not {character}" if character else ""))
    notes: list[str] = []
    road = None
    for who in open_ones:
        road = find_road(story, who, scene)
        if road.status == REACHABLE:
            break
    assert road is not None
    who = road.character if road.status == REACHABLE else open_ones[0]
    if character is None and len(story.characters) > 1:
        notes.append(f"Playing as {who}" + (" (the first character who can reach it; choose with --character)"
                                            if road.status == REACHABLE else " (choose with --character)") + ".")
    states = [start(story, who)]
    if road.status == REACHABLE:
        assert road.path is not None
        for _, choice_id in road.path:
            states.append(step(story, states[-1], choice_id))
        shortest = "the shortest" if road.shortest else "a short one, found by " + road.method
        notes.append(f"{who} starts at '{scene}'." if not road.path else
                     f"The state is that of a run of {len(road.path)} choice(s) that reaches '{scene}' ({shortest}).")
    else:
        notes.append(f"No road to '{scene}' was found for {who} ({road.reason}); starting there from {who}'s "
                     "start values and flags, moved there by hand.")
    state = states[-1]
    changed = {name: v for name, v in set_values.items() if state.value(story, name) != v}
    on, off = set_flags - state.flags, clear_flags & state.flags
    if changed or on or off or state.scene != scene:
        # A step of the path, so that replaying the path, undo and saves reproduce the state.
        states.append(step(story, state, by_hand(changed, on, off, None if state.scene == scene else scene)))
        state = states[-1]
    played = len(state.path) == 0 or not state.path[-1][1].startswith(BY_HAND)
    if state.flags:
        notes.append("Flags: " + ", ".join(sorted(state.flags)) + ".")
    else:
        notes.append("Flags: none.")
    notes.append("Values: " + ", ".join(f"{v.id} {state.values[v.index]}" for v in story.variables) + ".")
    if not played:
        notes.append(f"Set by hand, as the last step of the run: {state.path[-1][1]} (undo takes it back).")
    history = tuple(states[:-1])
    return Start(state, history, tuple(notes), played)
