"""The story as immutable values: what the loader builds and the engine reads.

Every class is a frozen attrs value; a loaded ``Story`` never changes, so a front end,
a test and a search can share one safely.
"""

from __future__ import annotations

from typing import Any, Mapping, Union

from attrs import field, frozen

from game.engine.errors import Location
from game.engine.expr import Condition


@frozen
class Inline:
    """A phrase inside a sentence that follows the run: ``{flag then|otherwise}``."""

    condition: Condition
    then: str
    otherwise: str = ""


Part = Union[str, Inline]


@frozen
class Block:
    """One paragraph (or phrase) of a text, shown when its condition and character filter hold.

    When they do not, ``otherwise`` is shown instead (an empty tuple shows nothing), so
    "Rykov reads the list" / "Stalin reads the list" is one block, not two scenes.
    """

    parts: tuple[Part, ...]
    condition: Condition | None = None
    only_for: frozenset[str] | None = None
    otherwise: tuple[Part, ...] = ()
    location: Location = field(default=Location(""), eq=False)

    @property
    def conditional(self) -> bool:
        return self.condition is not None or self.only_for is not None

    def applies(self, state: Any) -> bool:
        if self.only_for is not None and state.character not in self.only_for:
            return False
        return self.condition is None or bool(self.condition.test(state))


def _render_parts(parts: tuple[Part, ...], state: Any) -> str:
    out = []
    for part in parts:
        if type(part) is str:
            out.append(part)
        else:
            out.append(part.then if part.condition.test(state) else part.otherwise)
    return "".join(out)


def _part_strings(parts: tuple[Part, ...]) -> list[str]:
    out = []
    for part in parts:
        if type(part) is str:
            out.append(part)
        else:
            out += [part.then, part.otherwise]
    return out


@frozen
class Text:
    """Text that follows the run: per-character variants, each a sequence of blocks.

    ``default`` serves every character without a variant of his own. The common case, a
    plain string, is one unconditional block and renders without evaluating anything.
    Blocks are joined by ``joiner``: a blank line for prose, a space for one-line fields
    (place, choice text, ``locked``).
    """

    default: tuple[Block, ...] = ()
    by_character: Mapping[str, tuple[Block, ...]] = field(factory=dict)
    joiner: str = "\n\n"

    @classmethod
    def plain(cls, text: str, joiner: str = "\n\n") -> "Text":
        return cls((Block((text,)),) if text else (), {}, joiner)

    def blocks_for(self, character: str) -> tuple[Block, ...]:
        return self.by_character.get(character, self.default)

    def render(self, state: Any) -> str:
        """The text as ``state`` (anything with character, values, flags, visits) shows it."""
        blocks = self.by_character.get(state.character, self.default)
        if len(blocks) == 1:
            b = blocks[0]
            if b.condition is None and b.only_for is None and len(b.parts) == 1 and type(b.parts[0]) is str:
                return b.parts[0]
        shown = []
        for b in blocks:
            piece = _render_parts(b.parts if b.applies(state) else b.otherwise, state).strip()
            if piece:
                shown.append(piece)
        return self.joiner.join(shown)

    def variants(self) -> list[tuple[Block, ...]]:
        return ([self.default] if self.default else []) + list(self.by_character.values())

    def blocks(self) -> list[Block]:
        """Every block of every variant."""
        return [b for v in self.variants() for b in v]

    def all(self) -> list[str]:
        """Every piece of text any run might see, for counting words and checking content."""
        out = []
        for b in self.blocks():
            out += [x for x in _part_strings(b.parts) + _part_strings(b.otherwise) if x]
        return out

    def longest(self, character: str) -> str:
        """The fullest rendering one run could read (each block's longer side, each phrase's
        longer arm): an upper bound, for reading-time estimates."""
        pieces = []
        for b in self.blocks_for(character):
            sides = ["".join(p if type(p) is str else max(p.then, p.otherwise, key=len) for p in side)
                     for side in (b.parts, b.otherwise)]
            pieces.append(max(sides, key=len))
        return " ".join(pieces)

    def conditions(self) -> list[Condition]:
        """Every condition the text reads: of blocks and of inline phrases."""
        out = []
        for b in self.blocks():
            if b.condition is not None:
                out.append(b.condition)
            out += [p.condition for p in b.parts + b.otherwise if type(p) is not str]
        return out

    def __bool__(self) -> bool:
        return bool(self.default or self.by_character)


NO_TEXT = Text()


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
    text: Text
    goto: tuple[Branch, ...]
    effects: tuple[Effect, ...] = ()
    set_flags: frozenset[str] = frozenset()
    clear_flags: frozenset[str] = frozenset()
    condition: Condition | None = None
    #: Shown disabled with this reason while ``condition`` is false; hidden when empty.
    locked: Text = NO_TEXT
    once: bool = False
    only_for: frozenset[str] | None = None
    reply: Text = NO_TEXT
    location: Location = Location("")


@frozen
class Note:
    """The historical note of a scene."""

    text: Text = NO_TEXT
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
    #: What the scene's text takes for granted; ``check`` proves it on every way in.
    assumes: Condition | None = None

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
    epilogue: Text = NO_TEXT
    history: Text = NO_TEXT
    condition: Condition | None = None
    location: Location = Location("")
    #: What the ending's text takes for granted, proved at every resolution it can follow.
    assumes: Condition | None = None

    def texts(self) -> tuple[Text, Text, Text]:
        return (self.text, self.epilogue, self.history)


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
        """Every condition in the story: of choices, goto branches, endings, assumptions and text."""
        found = [x.condition for x in self.endings if x.condition is not None]
        for scene in self.scenes.values():
            for c in scene.choices:
                if c.condition is not None:
                    found.append(c.condition)
                found.extend(b.condition for b in c.goto if b.condition is not None)
        return found + [c for c, _ in self.text_conditions()] + [a for a, _ in self.assumptions()]

    def texts(self) -> list[tuple[Text, str]]:
        """Every text of the story with the scene (or ``ending:ID``) it belongs to."""
        out: list[tuple[Text, str]] = []
        for scene in self.scenes.values():
            out += [(scene.text, scene.id), (scene.place, scene.id), (scene.note.text, scene.id)]
            for c in scene.choices:
                out += [(c.text, scene.id), (c.locked, scene.id), (c.reply, scene.id)]
        for ending in self.endings:
            out += [(t, f"ending:{ending.id}") for t in ending.texts()]
        return out

    def text_conditions(self) -> list[tuple[Condition, str]]:
        return [(c, where) for text, where in self.texts() for c in text.conditions()]

    def assumptions(self) -> list[tuple[Condition, str]]:
        found = [(s.assumes, s.id) for s in self.scenes.values() if s.assumes is not None]
        return found + [(e.assumes, f"ending:{e.id}") for e in self.endings if e.assumes is not None]

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
