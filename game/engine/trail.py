"""The path of a run as a persistent linked list, so taking a choice costs the same at any length.

A ``State`` used to hold its path as a tuple, and every step copied the whole tuple: replaying
a 20,000-choice save took seconds and undo, which keeps every state, held gigabytes. A
``Trail`` shares everything before its last step with the trail it was extended from, so a
step is one small node and a run's states together cost memory linear in its length.

It still reads as the tuple it replaces: ``len``, ``trail[-1]``, iteration, slicing and
comparison with tuples all work, so code that only reads ``state.path`` never notices.
"""

from __future__ import annotations

from typing import Iterable, Iterator, Sequence, overload

Step = tuple[str, str]


class Trail(Sequence[Step]):
    """(scene id, choice id) of every choice taken, oldest first; immutable and shared."""

    __slots__ = ("_last", "_before", "_len", "_hash")

    _last: Step | None
    _before: "Trail | None"
    _len: int
    _hash: int | None

    def __init__(self, last: Step | None = None, before: "Trail | None" = None) -> None:
        self._last = last
        self._before = before
        self._len = 0 if before is None else before._len + 1
        self._hash = None

    @classmethod
    def of(cls, steps: "Trail | Iterable[Step]") -> "Trail":
        """``steps`` as a trail: itself if it already is one, else built in one pass."""
        if isinstance(steps, Trail):
            return steps
        trail = EMPTY
        for scene_id, choice_id in steps:
            trail = Trail((scene_id, choice_id), trail)
        return trail

    def then(self, scene_id: str, choice_id: str) -> "Trail":
        """This trail with one more step; ``self`` is shared, not copied."""
        return Trail((scene_id, choice_id), self)

    def __len__(self) -> int:
        return self._len

    def __bool__(self) -> bool:
        return self._len > 0

    def __iter__(self) -> Iterator[Step]:
        steps: list[Step] = []
        node = self
        while node._before is not None:
            steps.append(node._last)  # type: ignore[arg-type]
            node = node._before
        return reversed(steps)

    def __reversed__(self) -> Iterator[Step]:
        node = self
        while node._before is not None:
            yield node._last  # type: ignore[misc]
            node = node._before

    @overload
    def __getitem__(self, index: int) -> Step: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[Step, ...]: ...

    def __getitem__(self, index: int | slice) -> Step | tuple[Step, ...]:
        if isinstance(index, slice):
            return tuple(self)[index]
        n = index + self._len if index < 0 else index
        if not 0 <= n < self._len:
            raise IndexError("trail index out of range")
        node = self
        for _ in range(self._len - 1 - n):  # the last steps are the ones read most
            node = node._before  # type: ignore[assignment]
        return node._last  # type: ignore[return-value]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Trail):
            if self._len != other._len:
                return False
            a, b = self, other
            while a is not b:  # shared tails are equal without walking them
                if a._last != b._last:
                    return False
                a, b = a._before, b._before  # type: ignore[assignment]
            return True
        if isinstance(other, (tuple, list)):
            return self._len == len(other) and tuple(self) == tuple(tuple(s) for s in other)
        return NotImplemented

    def __hash__(self) -> int:
        if self._hash is None:
            self._hash = hash(tuple(self))
        return self._hash

    def __add__(self, steps: Iterable[Step]) -> "Trail":
        trail = self
        for scene_id, choice_id in steps:
            trail = Trail((scene_id, choice_id), trail)
        return trail

    def __radd__(self, steps: Sequence[Step]) -> tuple[Step, ...]:
        return tuple(steps) + tuple(self)

    def __reduce__(self) -> tuple:
        # Pickle flat: the default would recurse once per step.
        return (Trail.of, (tuple(self),))

    def __repr__(self) -> str:
        return f"Trail({tuple(self)!r})"


EMPTY = Trail()
