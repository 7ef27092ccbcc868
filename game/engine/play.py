"""Playing a story: an immutable ``State``, ``view`` to show it, ``step`` to move it on.

These are pure functions of (story, state): front ends, saves, the random playtester and
the exhaustive search all go through them, so what is tested is what is played.
"""

from __future__ import annotations

import re
from typing import Iterable, Mapping

import attrs
from attrs import field, frozen

from game.engine.errors import StepError
from game.engine.loader import NAME_PATTERN, gc_paused
from game.engine.model import Choice, Ending, Scene, Story
from game.engine.trail import EMPTY as NO_STEPS, Trail

#: The id of the one choice offered when every authored choice is unavailable: it follows
#: the scene's ``fallback``. Authored ids cannot start with a hyphen, so it never clashes.
CONTINUE = "-continue"
#: The start of a step that sets values and flags by hand, for testing (``play --from SCENE
#: --set army=60 --flag x``): "-set army=60 +x -y", and "@scene" to move there when no road
#: leads to it. Recorded in the path like a choice, so replaying the path still reproduces
#: the state, and undo and saves work. It is never on offer (``available`` does not list
#: it), so no player or random run takes it.
BY_HAND = "-set"


@frozen(slots=True)
class State:
    """Everything a run is. Replaying ``path`` from the start reproduces it exactly."""

    #: The character being played.
    character: str
    #: The scene the player is in now.
    scene: str
    #: Variable values, in the order of ``Story.variables``.
    values: tuple[int, ...]
    #: Flags set so far.
    flags: frozenset[str]
    #: How many times each scene has been entered (the start scene counts once).
    visits: Mapping[str, int] = field(hash=False)
    #: (scene id, choice id) of every once-only choice taken.
    taken: frozenset[tuple[str, str]] = frozenset()
    #: Every (scene id, choice id) taken, in order: a ``Trail``, which reads as a tuple but
    #: shares all but its last step with the state before, so replay and undo stay linear.
    path: Trail = field(default=NO_STEPS, converter=Trail.of)
    #: The ending reached, once the run has resolved.
    ending: str | None = None
    #: What the last choice led to at once (its ``reply``), shown before the new scene.
    reply: str = ""

    def value(self, story: Story, name: str) -> int:
        return self.values[story.variable_index[name]]

    def named_values(self, story: Story) -> dict[str, int]:
        return {v.id: self.values[v.index] for v in story.variables}

    @property
    def finished(self) -> bool:
        return self.ending is not None


@frozen
class ChoiceView:
    """A choice as the player sees it now."""

    id: str
    text: str
    enabled: bool = True
    #: Why a disabled choice cannot be taken.
    locked: str = ""


@frozen
class View:
    """What a front end shows for a state: every text already rendered for this run."""

    scene: Scene
    text: str
    choices: tuple[ChoiceView, ...]
    ending: Ending | None = None
    reply: str = ""
    #: Where the scene happens, for this character.
    place: str = ""
    #: The scene's historical note, as this run reads it.
    note: str = ""
    #: The ending's text, epilogue and history, as this run reached it.
    ending_text: str = ""
    epilogue: str = ""
    history: str = ""


def start(story: Story, character: str) -> State:
    """The state at the beginning of a run as ``character``."""
    if character not in story.characters:
        raise StepError(f"no character '{character}' in this story; choose from {', '.join(story.characters)}")
    who = story.characters[character]
    values = tuple(who.values.get(v.id, v.start) for v in story.variables)
    state = State(character, who.start, values, who.flags, {who.start: 1})
    return _arrive(story, state)


def _offered(story: Story, state: State, scene: Scene) -> list[tuple[Choice, bool]]:
    """Authored choices visible now, each with whether it can be taken."""
    out = []
    character = state.character
    for choice in scene.choices:
        if choice.only_for is not None and character not in choice.only_for:
            continue
        if choice.once and (scene.id, choice.id) in state.taken:
            continue
        if choice.condition is not None and not choice.condition.test(state):
            if choice.locked:
                out.append((choice, False))
            continue
        out.append((choice, True))
    return out


def view(story: Story, state: State) -> View:
    """The scene text for this character and the choices visible now."""
    scene = story.scenes[state.scene]
    ending = story.ending(state.ending) if state.ending else None
    text = scene.text.render(state)
    place = scene.place.render(state)
    note = scene.note.text.render(state)
    if ending is not None:
        return View(scene, text, (), ending, state.reply, place, note, ending.text.render(state),
                    ending.epilogue.render(state), ending.history.render(state))
    offered = _offered(story, state, scene)
    choices = tuple(ChoiceView(c.id, c.text.render(state), ok, "" if ok else c.locked.render(state)) for c, ok in offered)
    if not any(ok for _, ok in offered):
        choices = choices + (ChoiceView(CONTINUE, "Continue."),)
    return View(scene, text, choices, None, state.reply, place, note)


def choice_text(story: Story, state: State, choice_id: str) -> str:
    """The text of ``choice_id`` as the player saw it in ``state`` (for journals and transcripts)."""
    if choice_id == CONTINUE:
        return "Continue."
    if choice_id.startswith(BY_HAND + " "):
        return "(set by hand for testing: " + ", ".join(choice_id.split()[1:]) + ")"
    choice = story.scenes[state.scene].choice(choice_id)
    return choice.text.render(state) if choice is not None else choice_id


def available(story: Story, state: State) -> list[str]:
    """Ids of the choices that can be taken now (what a random player picks from)."""
    if state.ending is not None:
        return []
    scene = story.scenes[state.scene]
    character, taken, sid = state.character, state.taken, scene.id
    ids = [c.id for c in scene.choices
           if (c.only_for is None or character in c.only_for)
           and not (c.once and (sid, c.id) in taken)
           and (c.condition is None or c.condition.test(state))]
    return ids or [CONTINUE]


def step(story: Story, state: State, choice_id: str) -> State:
    """The state after taking ``choice_id``; ``StepError`` if it is not on offer.

    A step set by hand (``BY_HAND``) is never on offer but is always taken, so that the
    paths of test runs replay.
    """
    if choice_id.startswith(BY_HAND + " "):
        return _by_hand(story, state, choice_id)
    if state.ending is not None:
        raise StepError("the story has ended")
    scene = story.scenes[state.scene]
    if choice_id == CONTINUE:
        if any(ok for _, ok in _offered(story, state, scene)):
            raise StepError(f"scene '{scene.id}' still has choices to take")
        if scene.fallback is None:
            raise StepError(f"scene '{scene.id}' offers nothing and declares no fallback")
        return _enter(story, state, scene.fallback, state.values, state.flags, state.taken,
                      state.path.then(scene.id, CONTINUE), "")
    choice = scene.choice(choice_id)
    if choice is None:
        raise StepError(f"scene '{scene.id}' has no choice '{choice_id}'")
    if ((choice.only_for is not None and state.character not in choice.only_for)
            or (choice.once and (scene.id, choice.id) in state.taken)
            or (choice.condition is not None and not choice.condition.test(state))):
        raise StepError(f"choice '{choice_id}' is not available in scene '{scene.id}' now")
    values = state.values
    if choice.effects:
        new = list(values)
        variables = story.variables
        for effect in choice.effects:
            var = variables[effect.index]
            new[effect.index] = effect.apply(new[effect.index], var.min, var.max)
        values = tuple(new)
    flags = state.flags
    if choice.set_flags or choice.clear_flags:
        flags = (flags | choice.set_flags) - choice.clear_flags
    taken = state.taken | {(scene.id, choice.id)} if choice.once else state.taken
    # The goto and the reply see the state as the choice left it, so "if army >= 60" counts
    # this choice's effect and a reply can speak of the flag the choice has just set.
    probe = _Probe(state.character, values, flags, state.visits)
    reply = choice.reply.render(probe) if choice.reply else ""
    target = None
    for branch in choice.goto:
        if branch.condition is None or branch.condition.test(probe):
            target = branch.target
            break
    if target is None:  # The loader forbids it; a defensive stop rather than a wrong scene.
        raise StepError(f"choice '{choice.id}' in scene '{scene.id}' leads nowhere in this state")
    return _enter(story, state, target, values, flags, taken, state.path.then(scene.id, choice.id), reply)


def by_hand(values: Mapping[str, int] | None = None, set_flags: Iterable[str] = (), clear_flags: Iterable[str] = (),
            goto: str | None = None) -> str:
    """The step id that sets ``values`` and flags by hand, after moving to ``goto`` (see ``BY_HAND``)."""
    return " ".join([BY_HAND, *([f"@{goto}"] if goto else []), *(f"{k}={v}" for k, v in (values or {}).items()),
                     *(f"+{f}" for f in sorted(set_flags)),
                     *(f"-{f}" for f in sorted(clear_flags))])


_WHOLE = re.compile(r"[+-]?[0-9]{1,12}")


def _by_hand(story: Story, state: State, step_id: str) -> State:
    """The state with values and flags set as ``step_id`` says: in the same scene (no visit
    counted), or entering the scene it names with ``@``."""
    values = list(state.values)
    flags = set(state.flags)
    scene, visits, reply = state.scene, state.visits, state.reply
    for item in step_id.split()[1:]:
        name, eq, number = item.partition("=")
        if item.startswith("@"):
            scene = item[1:]
            if scene not in story.scenes:
                raise StepError(f"{item[:60]!a} in a step set by hand: no such scene")
            visits = dict(visits)
            visits[scene] = visits.get(scene, 0) + 1
            reply = ""
        elif eq:
            if name not in story.variable_index or not _WHOLE.fullmatch(number):
                raise StepError(f"{item[:60]!a} in a step set by hand: no such variable, or not a whole number")
            var = story.variable(name)
            if not var.min <= int(number) <= var.max:
                raise StepError(f"'{item}' in a step set by hand: {name} runs from {var.min} to {var.max}")
            values[var.index] = int(number)
        elif item[:1] in ("+", "-") and NAME_PATTERN.match(item[1:]):
            (flags.add if item[0] == "+" else flags.discard)(item[1:])
        else:
            raise StepError(f"{item[:60]!a} in a step set by hand is not NAME=VALUE, +FLAG, -FLAG or @SCENE")
    new = State(state.character, scene, tuple(values), frozenset(flags), visits, state.taken,
                state.path.then(state.scene, step_id), None, reply)
    return _arrive(story, new)


class _Probe:
    """What a condition reads, without building a whole State (goto tests run on every step)."""

    __slots__ = ("character", "values", "flags", "visits")

    def __init__(self, character: str, values: tuple[int, ...], flags: frozenset[str], visits: Mapping[str, int]):
        self.character, self.values, self.flags, self.visits = character, values, flags, visits


def _enter(story: Story, state: State, target: str, values: tuple[int, ...], flags: frozenset[str],
           taken: frozenset[tuple[str, str]], path: Trail, reply: str) -> State:
    visits = dict(state.visits)
    visits[target] = visits.get(target, 0) + 1
    ending = None
    if story.scenes[target].resolve:
        ending = _ending_for(story, _Probe(state.character, values, flags, visits))
    return State(state.character, target, values, flags, visits, taken, path, ending, reply)


def _arrive(story: Story, state: State) -> State:
    """The state as it stands on entering its scene: resolved if the scene resolves."""
    if not story.scenes[state.scene].resolve:
        return state
    return attrs.evolve(state, ending=_ending_for(story, state))


def _ending_for(story: Story, state: State | _Probe) -> str:
    """The first ending whose condition holds: the ending of a run that resolves here."""
    for ending in story.endings:
        if ending.condition is None or ending.condition.test(state):
            return ending.id
    raise StepError("no ending applies; the last ending must be unconditional")


def states_of(story: Story, state: State) -> list[State]:
    """Every state of ``state``'s run, from the start to ``state`` itself, by replaying its path.

    Undo histories, the journal and the charts of the forces are all read off this list.
    The states share their paths, so the list costs memory linear in the run's length; the
    cyclic collector is paused while it is built, since states make no cycles and its
    passes over them were a third of the time for 100,000 choices.
    """
    with gc_paused():
        states = [start(story, state.character)]
        for _, choice_id in state.path:
            states.append(step(story, states[-1], choice_id))
    return states


def replay(story: Story, character: str, path: Iterable[tuple[str, str]]) -> State:
    """Play ``path`` again from the start; ``StepError`` names the first step that no longer fits.

    Each step costs the same whatever the run's length (the path is a shared ``Trail``),
    so a 100,000-choice save replays in about ten times a 10,000-choice one (with the cyclic
    collector paused, as in ``states_of``).
    """
    with gc_paused():
        state = start(story, character)
        for number, (scene_id, choice_id) in enumerate(path, 1):
            if state.scene != scene_id:
                raise StepError(f"step {number}: the story is at scene '{state.scene}', but the saved run was at '{scene_id}'")
            try:
                state = step(story, state, choice_id)
            except StepError as exc:
                raise StepError(f"step {number}: {exc}") from None
    return state
