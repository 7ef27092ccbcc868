"""A cache of loaded and checked stories, so that a big unchanged story opens at once.

Like Ren'Py's ``.rpyc`` files: the first load parses and checks every file; the result
is stored in the user's cache folder and later loads of the same files unpickle it
instead. The cache file is named after the manifests (each ``story.yaml``'s real path,
inode, size and times), and begins with a header naming the engine's own source and
every file the load opened -- the manifests and every file they list, whatever its name
ends with -- so an edit to any of them, or to the engine, is a miss. No folder is ever
walked. Only stories that loaded without errors are stored, and a story that cannot be
pickled (or unpickled) is simply not cached. The cache holds nothing that is not derived
from the story files, so deleting it is always safe.

The pickle is written and read only in the user's own cache folder; story files, the
untrusted input, are never unpickled.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import stat
import sys
from pathlib import Path
from typing import Sequence

from game.engine import Story
from game.engine.check import check_story
from game.engine.errors import Location, Problem, Problems
from game.engine.loader import gc_paused, manifest_of, read_story, shown_path
from game.paths import cache_dir

_ENGINE = Path(__file__).resolve().parent / "engine"
#: Stories smaller than this load faster than a cache file can be checked and read.
MIN_BYTES = 1_000_000


#: Changed whenever the layout of a cache file changes.
_FORMAT = 2
Signature = tuple[tuple[str, int, int, int, int, int], ...]


def _signature(paths: Sequence[Path]) -> Signature | None:
    """Each file's real path, device, inode, size and modification and change times; None
    when one of them cannot be looked at (then nothing is cached)."""
    out = []
    for path in paths:
        try:
            st = os.stat(path)
            real = os.path.realpath(path)
        except (OSError, ValueError):
            return None
        out.append((real, st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns))
    return tuple(out)


def _engine_digest() -> str:
    """This Python and the source of the engine and the analyses (they write problems too)."""
    digest = hashlib.sha256(sys.version.encode())
    for source in sorted([*_ENGINE.glob("*.py"), *(_ENGINE.parent / "analysis").glob("*.py")]):
        digest.update(source.read_bytes())
    return digest.hexdigest()


def _cache_path(folders: Sequence[Path], continuity: bool = True) -> Path | None:
    """Where the cache of these folders lives, named after their manifests; None when a
    folder has no usable manifest (loading will say why)."""
    manifests = []
    for folder in folders:
        found = manifest_of(folder)
        if isinstance(found, Problem):
            return None
        manifests.append(found[0])
    signature = _signature(manifests)
    if signature is None:
        return None
    name = hashlib.sha256(repr((_FORMAT, sys.version, signature, continuity)).encode()).hexdigest()[:32]
    return cache_dir() / f"{name}.pickle"


def load_checked(folders: Sequence[str | os.PathLike[str]], *, min_bytes: int = MIN_BYTES,
                 continuity: bool = True) -> tuple[Story | None, Problems]:
    """``read_story`` then ``check_story``, served from the cache when the files are unchanged.

    Stories under ``min_bytes`` (all the files read, together) are always read afresh.
    ``continuity`` also proves the story's assumptions and checks its text blocks: an
    author's check (seconds on the campaign), which playing does not need, since a
    violated assumption is a fault in the telling, not a reason to refuse to play.
    """
    paths = [Path(f) for f in folders]
    cached = _cache_path(paths, continuity)
    if cached is not None:
        hit = _load(cached)
        if hit is not None:
            return hit
    files: list[Path] = []
    story, problems = read_story(paths, files_read=files)
    if story is not None:
        check_story(story, problems)
        if continuity and not problems.errors:
            from game.analysis.continuity import check_continuity, summary
            verdicts = check_continuity(story, problems)
            if verdicts:
                problems.note(Location(shown_path(Path(story.sources[0]) / "story.yaml") if story.sources else ""), summary(verdicts))
    if cached is not None and story is not None and not problems.errors:
        signature = _signature(files)
        # Small stories are read afresh: hashing the engine would cost more than it saves.
        if signature is not None and sum(entry[3] for entry in signature) >= min_bytes:
            _store(cached, (_FORMAT, _engine_digest(), signature), (story, problems.items))
    return story, problems


def _load(cached: Path) -> tuple[Story, Problems] | None:
    """The story stored in ``cached`` if it is still that of the same files and engine."""
    try:
        if not stat.S_ISREG(os.stat(cached).st_mode):
            return None
    except (OSError, ValueError):  # no cache yet, or a cache folder no path can name
        return None
    try:
        with gc_paused(), open(cached, "rb") as handle:
            header = pickle.load(handle)
            if (not isinstance(header, tuple) or len(header) != 3 or header[0] != _FORMAT
                    or header[1] != _engine_digest() or _signature([Path(e[0]) for e in header[2]]) != header[2]):
                return None  # stale: the next store replaces it
            story, items = pickle.load(handle)
        problems = Problems()
        problems.items.extend(items)
        return story, problems
    except Exception:  # A damaged cache is only a slow start: fall through and rebuild it.
        try:
            cached.unlink(missing_ok=True)
        except OSError:
            pass
        return None


def _store(path: Path, header: object, value: object) -> None:
    """Write the cache; any failure (no cache folder, a story too deep to pickle) only
    means the next load is a first load too."""
    from game.saves import write_atomically_bytes
    try:
        data = pickle.dumps(header, protocol=pickle.HIGHEST_PROTOCOL) + pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        write_atomically_bytes(path, data)
    except Exception:  # OSError, RecursionError, PicklingError, a cache path that cannot exist...
        pass
