"""The story as immutable values: what the loader builds and the engine reads.

Every class is a frozen attrs value; a loaded ``Story`` never changes, so a front end,
a test and a search can share one safely.
"""

from __future__ import annotations

from typing import Mapping

from attrs import field, frozen

from game.engine.errors import Location
from game.engine.expr import Condition


@frozen
class Text:
    """Text with optional per-character variants."""

    default: str = ""
    by_character: Mapping[str, str] = field(factory=dict)

    def for_character(self, character: str) -> str:
        return self.by_character.get(character, self.default)

    def all(self) -> list[str]:
        """Every variant, for counting words and checking content."""
        return ([self.default] if self.default else []) + list(self.by_character.values())


@frozen
class Variable:
    id: str
    name: str
    description: str
    min: int
    max: int
    start: int
    hidden: bool = True
    #: Position in ``State.values``.
    index: int = 0


@frozen
class Character:
    id: str
    name: str
    title: str
    born: int | None
    bio: str
    standing: str
    start: str
    #: Start values that differ from the variables' own.
    values: Mapping[str, int] = field(factory=dict)
    flags: frozenset[str] = frozenset()
    location: Location = Location("")


@frozen
class Effect:
    """One change to one variable: ``op`` is ``+`` (add), ``=`` (set) or ``%`` (fair)."""

    variable: str
    index: int
    op: str
    amount: int

    def apply(self, value: int, low: int, high: int) -> int:
        if self.op == "+":
            value += self.amount
        elif self.op == "=":
            value = self.amount
        elif self.amount >= 0:
            value += round((high - value) * self.amount / 100)
        else:
            value += round((value - low) * self.amount / 100)
        return low if value < low else high if value > high else value

    def __str__(self) -> str:
        if self.op == "=":
            return f"{self.variable} ={self.amount}"
        prefix = "%" if self.op == "%" else ""
        return f"{self.variable} {prefix}{self.amount:+d}"


@frozen
class Branch:
    """One arm of a goto: go to ``target`` if ``condition`` holds (or always when it is None)."""

    target: str
    condition: Condition | None = None
    location: Location = Location("")


@frozen
class Choice:
    id: str
    text: str
    goto: tuple[Branch, ...]
    effects: tuple[Effect, ...] = ()
    set_flags: frozenset[str] = frozenset()
    clear_flags: frozenset[str] = frozenset()
    condition: Condition | None = None
    #: Shown disabled with this reason while ``condition`` is false; hidden when empty.
    locked: str = ""
    once: bool = False
    only_for: frozenset[str] | None = None
    reply: Text = Text()
    location: Location = Location("")


@frozen
class Note:
    """The historical note of a scene."""

    text: str = ""
    sources: tuple[str, ...] = ()
    counterfactual: bool = False


@frozen
class Scene:
    id: str
    title: str
    date: str
    #: Where the scene happens; a per-character mapping when the men are in different cities.
    place: Text
    text: Text
    choices: tuple[Choice, ...]
    note: Note = Note()
    only_for: frozenset[str] | None = None
    fallback: str | None = None
    resolve: bool = False
    location: Location = Location("")

    def choice(self, choice_id: str) -> Choice | None:
        for choice in self.choices:
            if choice.id == choice_id:
                return choice
        return None


@frozen
class Ending:
    id: str
    title: str
    text: Text
    epilogue: Text = Text()
    history: Text = Text()
    condition: Condition | None = None
    location: Location = Location("")


@frozen
class Story:
    """A whole loaded story: the campaign plus any mods, resolved and validated."""

    id: str
    title: str
    version: str
    variables: tuple[Variable, ...]
    characters: Mapping[str, Character]
    scenes: Mapping[str, Scene]
    endings: tuple[Ending, ...]
    #: Folders it was loaded from: the story first, then its mods.
    sources: tuple[str, ...] = ()
    mods: tuple[str, ...] = ()

    #: Variable id to its position in ``State.values``.
    variable_index: Mapping[str, int] = field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "variable_index", {v.id: v.index for v in self.variables})

    def conditions(self) -> list[Condition]:
        """Every condition in the story: of choices, of goto branches and of endings."""
        found = [x.condition for x in self.endings if x.condition is not None]
        for scene in self.scenes.values():
            for c in scene.choices:
                if c.condition is not None:
                    found.append(c.condition)
                found.extend(b.condition for b in c.goto if b.condition is not None)
        return found

    def ranges(self) -> dict[int, tuple[int, int]]:
        """Each variable's index and (min, max): what the interval analysis starts from."""
        return {v.index: (v.min, v.max) for v in self.variables}

    def variable(self, name: str) -> Variable:
        return self.variables[self.variable_index[name]]

    def ending(self, ending_id: str) -> Ending | None:
        for ending in self.endings:
            if ending.id == ending_id:
                return ending
        return None
