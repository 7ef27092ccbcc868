"""Live reload: read the story's files again and replay the current run on the new story.

Both front ends use this: the terminal's ``reload`` command, and the window, which polls
the files' modification times (``Watcher``, a few times a second at most, no new
dependency) while an author plays a story given with ``--story``/``--mod`` or ``--author``.

A reload reads the folders again (load errors only: ``testament check`` is the whole
proof, and takes seconds). When the new story loads, the run's path is replayed on it:
the player stays where they were, or the message says exactly where the path stopped
fitting and the run is kept up to there, as a save that has outlived an edit is. When it
does not load, nothing changes: the last good story keeps running, and the located errors
are handed back to be shown.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable, Sequence

from attrs import frozen

from game.engine import State, Story
from game.engine.errors import StepError
from game.engine.loader import read_story
from game.engine.play import replay


@frozen
class Reload:
    """What one reload did."""

    #: The new story, or None when it could not be loaded (the old one keeps running).
    story: Story | None
    #: The run on the new story (None with no run, or when the story could not be used).
    state: State | None
    #: What happened, in a sentence or two, for the player.
    message: str
    #: Every error of a story that does not load, as ``file:line:col: message``, in file order.
    problems: tuple[str, ...] = ()
    #: Every file and folder the reload looked at: what to watch next.
    watched: tuple[Path, ...] = ()
    #: The whole run replayed on the new story.
    fits: bool = True

    @property
    def ok(self) -> bool:
        return self.story is not None


def folders_of(story: Story) -> list[Path]:
    """The story folder then its mods, as the story was read from them."""
    return [Path(source) for source in story.sources]


def reload_run(folders: Sequence[str | os.PathLike[str]], state: State | None, old: Story | None = None) -> Reload:
    """Read ``folders`` again; replay ``state`` (a run of the story ``old``) on the new story."""
    files: list[Path] = []
    try:
        story, problems = read_story(list(folders), files_read=files)
    except (OSError, ValueError, RecursionError, MemoryError) as exc:  # the loader reports files; this is a last guard
        return Reload(None, None, f"The story could not be reloaded ({exc}); the last good story keeps running.",
                      (str(exc),), _watch(folders, files))
    watched = _watch(folders, files)
    if story is None:
        errors = sorted(problems.errors, key=lambda p: (p.location.path, p.location.line, p.location.column))
        n = len(errors)
        return Reload(None, None, f"The story could not be reloaded: {n} error{'s' if n != 1 else ''}. "
                      "The last good story keeps running; fix the file and save it again.",
                      tuple(str(p) for p in errors), watched)
    if state is None:
        return Reload(story, None, f"Reloaded {story.title}: {len(story.scenes)} scenes.", (), watched)
    if state.character not in story.characters:
        return Reload(None, None, f"The story was reloaded, but '{state.character}' is no longer one of its characters; "
                      "the last good story keeps running.", (), watched)
    steps = list(state.path)
    try:
        replayed = replay(story, state.character, steps)
    except StepError as exc:
        kept = _longest_fitting(story, state.character, steps)
        scene = story.scenes[kept.scene]
        return Reload(story, kept, f"Reloaded, but the run no longer fits the story at {exc}. "
                      f"The run is kept up to choice {len(kept.path)} of {len(steps)}, in '{scene.title}' ({scene.id}).",
                      (), watched, fits=False)
    scene = story.scenes[replayed.scene]
    changes = _changes(old, story, state, replayed)
    return Reload(story, replayed, f"Reloaded: the run's {len(steps)} choice{'s' if len(steps) != 1 else ''} replay on the "
                  f"new story; you are where you were, in '{scene.title}'{changes}.", (), watched)


def _longest_fitting(story: Story, character: str, steps: list[tuple[str, str]]) -> State:
    from game.saves import _longest_fitting as fitting  # the saves' own rule: the prefix that still replays
    return fitting(story, character, steps)


def _changes(old_story: Story | None, story: Story, old: State, new: State) -> str:
    """`` (now army 55, was 50; purged now set)``: what the edit changed in the run, or ``""``."""
    if old.scene != new.scene:
        return f" (the run now stands at scene '{new.scene}')"
    parts = []
    before = old.named_values(old_story) if old_story is not None else {}
    after = new.named_values(story)
    for name, value in after.items():
        if name in before and before[name] != value:
            parts.append(f"{name} {value}, was {before[name]}")
    for flag in sorted(new.flags - old.flags):
        parts.append(f"{flag} now set")
    for flag in sorted(old.flags - new.flags):
        parts.append(f"{flag} no longer set")
    if not parts:
        return ""
    shown = "; ".join(parts[:4]) + (f"; and {len(parts) - 4} more" if len(parts) > 4 else "")
    return f" (now {shown})"


def _watch(folders: Iterable[str | os.PathLike[str]], files: Iterable[Path]) -> tuple[Path, ...]:
    """The files read, their folders (a file added or renamed changes its folder's time) and each
    folder's manifest, whether it was read or not."""
    out: dict[Path, None] = {}
    for folder in folders:
        folder = Path(folder)
        root = folder.parent if folder.name == "story.yaml" else folder
        out[root] = None
        out[root / "story.yaml"] = None
    for path in files:
        out[Path(path)] = None
        out[Path(path).parent] = None
    return tuple(out)


class Watcher:
    """Polls the modification times of files; says when a change has settled.

    ``poll(now)`` looks at the files at most every ``interval`` seconds. A change is
    reported at the first look after it that finds nothing new, so a file an editor
    writes in several steps is read once it is whole.
    """

    def __init__(self, paths: Iterable[Path], interval: float = 0.5):
        self.interval = interval
        self.paths = tuple(paths)
        self.snapshot = self._look()
        self.last = float("-inf")
        self.pending = False

    def watch(self, paths: Iterable[Path]) -> None:
        """Watch these paths from now on (after a reload: the files it read)."""
        self.paths = tuple(paths)
        self.snapshot = self._look()
        self.pending = False

    def _look(self) -> dict[Path, tuple[int, int] | None]:
        seen: dict[Path, tuple[int, int] | None] = {}
        for path in self.paths:
            try:
                st = os.stat(path)
                seen[path] = (st.st_mtime_ns, st.st_size)
            except (OSError, ValueError):
                seen[path] = None
        return seen

    def poll(self, now: float) -> bool:
        """True when the files changed and have stayed as they are since the last look."""
        if now - self.last < self.interval:
            return False
        self.last = now
        seen = self._look()
        if seen != self.snapshot:
            self.snapshot = seen
            self.pending = True
            return False
        if self.pending:
            self.pending = False
            return True
        return False


def reload_text_game(game) -> bool:
    """The terminal's ``reload`` command on a ``TextGame``: True when the screen moved on."""
    from game.engine.play import states_of
    result = reload_run(folders_of(game.story), game.state, game.story)
    if not result.ok:
        game.say(result.message)
        for line in result.problems:
            game.say(f"  {line}")
        return False
    story = result.story
    game.story = story
    game.desk.story = story
    game.aids = type(game.aids)(story, game.say, game.paragraphs)
    if result.state is not None:
        game.history = states_of(story, result.state)[:-1]
        game.state = result.state
    game.say(result.message)
    if game.state is not None:
        game.show()
    return True
