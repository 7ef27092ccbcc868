"""A cache of loaded and checked stories, so that a big unchanged story opens at once.

Like Ren'Py's ``.rpyc`` files: the first load parses and checks every YAML file; the
result is stored in the user's cache folder, keyed by every story file's path, size and
modification time and by the engine's own source, and later loads of the same files
unpickle it instead. Only stories that loaded without errors are stored. The cache holds
nothing that is not derived from the story files, so deleting it is always safe.

The pickle is written and read only in the user's own cache folder; story files, the
untrusted input, are never unpickled.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from pathlib import Path
from typing import Sequence

from game.engine import Story
from game.engine.check import check_story
from game.engine.errors import Location, Problems
from game.engine.loader import gc_paused, read_story, shown_path
from game.paths import cache_dir

_ENGINE = Path(__file__).resolve().parent / "engine"
#: Stories smaller than this load faster than a cache file can be checked and read.
MIN_BYTES = 1_000_000


def _story_files(folders: Sequence[Path]) -> list[tuple[Path, Path, os.stat_result]]:
    """(folder, file, its stat) for every YAML file of the story and its mods."""
    found = []
    for folder in folders:
        root = folder if folder.is_dir() else folder.parent
        found.extend((root, path, path.stat()) for path in sorted(root.rglob("*.yaml")))
    return found


def _fingerprint(files: list[tuple[Path, Path, os.stat_result]]) -> str:
    """A key naming exactly these story files, as they are now, and this engine."""
    digest = hashlib.sha256(sys.version.encode())
    # The analyses that check_continuity runs write problems into the cache too.
    for source in sorted([*_ENGINE.glob("*.py"), *(_ENGINE.parent / "analysis").glob("*.py")]):
        digest.update(source.read_bytes())
    for root, path, stat in files:
        digest.update(f"{root.resolve()}\0{path.relative_to(root)}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode())
    return digest.hexdigest()[:32]


def load_checked(folders: Sequence[str | os.PathLike[str]], *, min_bytes: int = MIN_BYTES) -> tuple[Story | None, Problems]:
    """``read_story`` then ``check_story``, served from the cache when the files are unchanged.

    Stories under ``min_bytes`` of YAML are always read afresh.
    """
    paths = [Path(f) for f in folders]
    files = _story_files(paths) if all(p.exists() for p in paths) else []
    # Small stories are read afresh: hashing the engine would cost more than it saves.
    big = files and sum(stat.st_size for _, _, stat in files) >= min_bytes
    cached = cache_dir() / f"{_fingerprint(files)}.pickle" if big else None
    if cached is not None and cached.exists():
        try:
            with gc_paused(), open(cached, "rb") as handle:
                story, items = pickle.load(handle)
            problems = Problems()
            problems.items.extend(items)
            return story, problems
        except Exception:  # A damaged cache is only a slow start: fall through and rebuild it.
            cached.unlink(missing_ok=True)
    story, problems = read_story(paths)
    if story is not None:
        check_story(story, problems)
        if not problems.errors:
            from game.analysis.continuity import check_continuity, summary
            verdicts = check_continuity(story, problems)
            if verdicts:
                problems.note(Location(shown_path(Path(story.sources[0]) / "story.yaml") if story.sources else ""), summary(verdicts))
    if cached is not None and story is not None and not problems.errors:
        _store(cached, (story, problems.items))
    return story, problems


def _store(path: Path, value: object) -> None:
    from game.saves import write_atomically_bytes
    try:
        write_atomically_bytes(path, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
    except OSError:
        pass  # No cache folder to be had: every load is simply a first load.
