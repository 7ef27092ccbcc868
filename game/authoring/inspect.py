"""What an author wants to see of a run at a glance: the hidden forces, the flags, and for
each choice of the scene whether its condition holds and which goto branch it would take.

Pure: computed from the story and the state through the engine's own conditions and
effects, so what it says is what ``step`` would do. The window's author overlay draws it
(``game.desktop.author``); nothing here is ever shown in a player's run.
"""

from __future__ import annotations

from attrs import frozen

from game.engine import State, Story
from game.engine.play import BY_HAND


@frozen
class Force:
    id: str
    value: int
    low: int
    high: int
    #: The value at the start of the run, to show how far it has moved.
    start: int


@frozen
class Branch:
    #: The branch's condition, or "otherwise" for an unconditional last branch.
    condition: str
    holds: bool
    target: str


@frozen
class ChoiceInfo:
    id: str
    #: "open", "locked" (shown greyed), "hidden" (its 'if' fails), "not for <who>", "taken (once)".
    status: str
    #: The choice's 'if', or "".
    condition: str
    #: Whether the 'if' holds now (True without one).
    holds: bool
    #: The effects and flags, as written (``army +5, %-10 workers, +purged``).
    effects: str
    #: Every branch of its goto, with whether it holds after the choice's effects.
    branches: tuple[Branch, ...]
    #: The branch that would be taken (its index in ``branches``), or -1 when none holds.
    taken: int

    @property
    def target(self) -> str:
        return self.branches[self.taken].target if self.taken >= 0 else ""


@frozen
class AuthorView:
    scene: str
    #: ``file:line:col`` of the scene's id.
    location: str
    character: str
    forces: tuple[Force, ...]
    flags: tuple[str, ...]
    choices: tuple[ChoiceInfo, ...]
    #: The scene's fallback and whether it is what the player would get now ("" without one).
    fallback: str
    #: The scene's ``assumes:`` and whether it holds now ("" without one).
    assumes: str
    assumes_holds: bool
    #: The ending reached, at a resolution scene.
    ending: str
    #: Choices made so far, and how many of them were set by hand.
    steps: int


class _Probe:
    """What a condition reads: the state after a choice's effects, before the next scene."""

    __slots__ = ("character", "values", "flags", "visits")

    def __init__(self, character, values, flags, visits):
        self.character, self.values, self.flags, self.visits = character, values, flags, visits


def inspect(story: Story, state: State) -> AuthorView:
    """The author's view of ``state``: forces, flags and every choice of its scene."""
    scene = story.scenes[state.scene]
    who = story.characters[state.character]
    forces = tuple(Force(v.id, state.values[v.index], v.min, v.max, who.values.get(v.id, v.start))
                   for v in story.variables)
    choices = []
    for choice in scene.choices:
        holds = choice.condition is None or choice.condition.test(state)
        if choice.only_for is not None and state.character not in choice.only_for:
            status = "not for " + state.character
        elif choice.once and (scene.id, choice.id) in state.taken:
            status = "taken (once)"
        elif not holds:
            status = "locked" if choice.locked else "hidden"
        else:
            status = "open"
        values = list(state.values)
        for effect in choice.effects:
            var = story.variables[effect.index]
            values[effect.index] = effect.apply(values[effect.index], var.min, var.max)
        flags = (state.flags | choice.set_flags) - choice.clear_flags
        probe = _Probe(state.character, tuple(values), flags, state.visits)
        branches, taken = [], -1
        for i, branch in enumerate(choice.goto):
            ok = branch.condition is None or bool(branch.condition.test(probe))
            branches.append(Branch(branch.condition.source if branch.condition else "otherwise", ok, branch.target))
            if ok and taken < 0:
                taken = i
        effects = [str(e) for e in choice.effects] + [f"+{f}" for f in sorted(choice.set_flags)] + \
            [f"-{f}" for f in sorted(choice.clear_flags)]
        choices.append(ChoiceInfo(choice.id, status, choice.condition.source if choice.condition else "", holds,
                                  ", ".join(effects), tuple(branches), taken))
    fallback = ""
    if scene.fallback:
        open_now = any(c.status == "open" for c in choices)
        fallback = f"{scene.fallback}{'' if open_now else ' (taken now: no choice is open)'}"
    assumes = scene.assumes.source if scene.assumes is not None else ""
    return AuthorView(scene.id, str(scene.location), state.character, forces, tuple(sorted(state.flags)),
                      tuple(choices), fallback, assumes,
                      scene.assumes is None or bool(scene.assumes.test(state)),
                      state.ending or "", len(state.path))


def by_hand_steps(state: State) -> int:
    """How many steps of the run were set by hand (``--from``, the jump screen)."""
    return sum(1 for _, choice in state.path if choice.startswith(BY_HAND + " "))
