"""Problems found in stories, reported as ``path:line:col: message`` and collected, not thrown one by one."""

from __future__ import annotations

import contextlib
import difflib
import traceback
from contextvars import ContextVar
from types import TracebackType
from typing import Iterable, Iterator, NamedTuple, Sized

from attrs import frozen


class Location(NamedTuple):
    """Where a problem is: a file and a 1-based line and column (0 when unknown).

    A named tuple rather than an attrs class: a large story makes a hundred thousand of
    them, and a tuple is several times cheaper to build.
    """

    path: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if self.line:
            return f"{self.path}:{self.line}:{self.column}"
        return self.path

    def shifted(self, columns: int) -> "Location":
        """The same place moved right, for positions inside a one-line scalar."""
        return Location(self.path, self.line, self.column + columns)


@frozen
class Problem:
    """One thing wrong with a story; ``severity`` is ``error`` or ``warning``."""

    location: Location
    message: str
    hint: str = ""
    severity: str = "error"

    def __str__(self) -> str:
        kind = {"error": "", "note": "note: "}.get(self.severity, "warning: ")
        text = f"{self.location}: {kind}{self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text


class StoryLoadError(ValueError):
    """A story could not be loaded; ``problems`` says every reason and where."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class StepError(ValueError):
    """A choice was asked for that the current scene does not offer."""


#: What ``did_you_mean`` may still spend, in names compared, while one story is read
#: (None: no bound). A story of 10,000 scenes whose 30,000 gotos are all misspelt would
#: otherwise spend minutes on hints nobody reads past the first screen.
_HINT_BUDGET: ContextVar[list[int] | None] = ContextVar("hint_budget", default=None)
#: The longest name worth a suggestion.
_HINT_NAME_MAX = 80


@contextlib.contextmanager
def hint_budget(comparisons: int) -> Iterator[None]:
    """Within this block, suggestions stop once ``comparisons`` names have been compared."""
    token = _HINT_BUDGET.set([comparisons])
    try:
        yield
    finally:
        _HINT_BUDGET.reset(token)


def did_you_mean(name: str, known: Iterable[str]) -> str:
    """A kind hint naming the closest known spelling, or nothing."""
    if not isinstance(name, str) or len(name) > _HINT_NAME_MAX:
        return ""
    budget = _HINT_BUDGET.get()
    if budget is not None:
        size = len(known) if isinstance(known, Sized) else _HINT_NAME_MAX
        if budget[0] < size:
            return ""
        budget[0] -= size
    close = difflib.get_close_matches(name, [k for k in known if isinstance(k, str)], n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""


class Problems:
    """A collector of problems, at most one per location so errors do not cascade."""

    def __init__(self) -> None:
        self.items: list[Problem] = []
        self._seen: set[tuple[Location, str]] = set()

    def error(self, location: Location, message: str, hint: str = "") -> None:
        self._add(Problem(location, message, hint, "error"))

    def warning(self, location: Location, message: str, hint: str = "") -> None:
        self._add(Problem(location, message, hint, "warning"))

    def note(self, location: Location, message: str) -> None:
        """Information, not a problem: what was proved (neither an error nor a warning)."""
        self._add(Problem(location, message, "", "note"))

    def _add(self, problem: Problem) -> None:
        key = (problem.location, problem.message)
        if key not in self._seen:
            self._seen.add(key)
            self.items.append(problem)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "warning"]


def blame(tb: TracebackType | None) -> str:
    """Where the story was being read when an unexpected exception was raised, or ``""``.

    For the message of an internal error: the innermost frame of the traceback that holds
    a located value (a YAML mapping or list, a Location, a model object with a location,
    or the ``shown`` path of the file being read) names it, as ``file:line:col`` or ``file``.
    """
    try:
        return _blame(tb)
    except Exception:  # the report of a failure must not fail itself
        return ""


def _blame(tb: TracebackType | None) -> str:
    from game.engine.yamlsource import YList, YMap  # yamlsource imports this module
    frames = [frame for frame, _ in traceback.walk_tb(tb)]
    for frame in reversed(frames):
        found = ""
        for name, value in list(frame.f_locals.items()):
            if isinstance(value, (YMap, YList)):
                return str(value.loc)
            if isinstance(value, Location) and value.path:
                return str(value)
            location = getattr(value, "location", None) if type(value).__module__.startswith("game.") else None
            if isinstance(location, Location) and location.path:
                return str(location)
            if name == "shown" and isinstance(value, str) and not found:
                found = value
        if found:
            return found
    return ""
