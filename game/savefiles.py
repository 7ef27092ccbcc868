"""The file-system side of saves: reads that are bounded and never block, writes that survive kill -9.

Anything can end up in a save folder: a FIFO, a link to ``/dev/zero`` or to nothing, a
folder named ``x.json``, a file the player cannot read. Reading one must neither hang the
game nor fill its memory, so a read checks the file type before and after opening (a FIFO
opened without ``O_NONBLOCK`` would wait for a writer for ever) and reads at most a fixed
number of bytes. Writing goes to a temporary file in the same folder that is fsynced and
renamed over the target, and then the folder itself is fsynced so the rename survives a
power cut. Temporaries carry the writer's process id, so those left by a killed game can be
recognised and removed without touching another running game's.
"""

from __future__ import annotations

import os
import re
import stat
import tempfile
import time
from pathlib import Path

#: Temporaries left by a process that may still be alive are removed once this old (seconds).
STALE_AFTER = 3600
# Ours: ".<start of the name>.<pid>.<mkstemp's 8 characters>.tmp".
_TEMP = re.compile(r"\.(?P<stem>.*)\.(?P<pid>\d{1,9})\.[a-z0-9_]{8}\.tmp")
# Those of earlier versions of the game, which did not carry the process id.
_OLD_TEMP = re.compile(r"\..+\.json\.[a-z0-9_]{8}\.tmp")


class Unreadable(Exception):
    """A file that cannot be read as a save; ``reason`` says why in words."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class Missing(Unreadable):
    """No file at all by that name."""


def read_bounded(path: Path, limit: int, what: str = "save") -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes, or ``Unreadable`` saying why not.

    The one reader of files a player, a student or an author hands the game (saves,
    transcripts, replay files): ``what`` names the kind in the reasons ("a folder, not a
    transcript").
    """
    try:
        before = os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            raise Unreadable("a link to a file that does not exist") from None
        raise Missing("no such file") from None
    except (OSError, ValueError) as exc:
        raise Unreadable(f"cannot be read ({_why(exc)})") from None
    _check_kind(before, limit, what)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except (OSError, ValueError) as exc:
        raise Unreadable(f"cannot be read ({_why(exc)})") from None
    try:
        _check_kind(os.fstat(fd), limit, what)  # it may have been swapped since the first look
        chunks: list[bytes] = []
        left = limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    except OSError as exc:
        raise Unreadable(f"cannot be read ({_why(exc)})") from None
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > limit:
        raise Unreadable(f"too large to be a {what} (a {what} is at most {limit // (1024 * 1024)} MB)")
    return data


def _check_kind(st: os.stat_result, limit: int, what: str) -> None:
    if stat.S_ISDIR(st.st_mode):
        raise Unreadable(f"a folder, not a {what}")
    if not stat.S_ISREG(st.st_mode):
        raise Unreadable("not a regular file (a device, a pipe or a socket)")
    if st.st_size > limit:
        raise Unreadable(f"too large to be a {what} ({st.st_size:,} bytes; a {what} is at most {limit // (1024 * 1024)} MB)")


def _why(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror.lower()
    return "not a name a file can have" if isinstance(exc, ValueError) else str(exc)


def temporary(path: Path) -> tuple[int, str]:
    """An open temporary file beside ``path``, named so that ``clean_stale`` can tell whose it is."""
    # Only the first characters of the name: the temporary must fit where ``path`` fits.
    return tempfile.mkstemp(prefix=f".{path.stem[:24]}.{os.getpid()}.", suffix=".tmp", dir=path.parent)


def write_atomically(path: Path, data: bytes) -> None:
    """Write so that a crash at any moment leaves either the old file or the new one, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    clean_stale(path.parent)
    fd, tmp = temporary(path)
    try:
        with os.fdopen(fd, "wb") as handle:
            _write_durably(handle, data)
        os.replace(tmp, path)
    except BaseException:
        _unlink(tmp)
        raise
    sync_folder(path.parent)


def _write_durably(handle, data: bytes) -> None:
    """Write ``data`` and make it reach the disk before anything is renamed over to it."""
    handle.write(data)
    handle.flush()
    os.fsync(handle.fileno())


def readable_by_all(*paths: Path) -> None:
    """Give files written for sharing (a page, a kit) the permissions a new file gets.

    ``write_atomically`` leaves a file as private as its temporary was; a file that cannot
    be changed is left so.
    """
    mask = os.umask(0)
    os.umask(mask)
    for path in paths:
        try:
            os.chmod(path, 0o666 & ~mask)
        except OSError:
            pass


def sync_folder(folder: Path) -> None:
    """Make renames in ``folder`` durable; a no-op where folders cannot be opened (Windows)."""
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:  # some file systems cannot fsync a folder; the rename is still atomic
        pass
    finally:
        os.close(fd)


def rotate(folder: Path, names: list[str], data: bytes, limit: int) -> Path:
    """Write ``data`` as ``names[0]`` after shifting each older file one name down the list.

    The newest copy is written to a temporary file first, and each older file is copied
    down by a hard link renamed over the next name, so that every name that existed before
    exists at every moment; the last step renames the new file over ``names[0]``. A kill at
    any point leaves a complete ``names[0]``: the previous one, or the new one.
    """
    folder.mkdir(parents=True, exist_ok=True)
    clean_stale(folder)
    first = folder / names[0]
    fd, tmp = temporary(first)
    try:
        with os.fdopen(fd, "wb") as handle:
            _write_durably(handle, data)
        for older, newer in reversed(list(zip(names, names[1:]))):
            _copy_over(folder / older, folder / newer, limit)
        os.replace(tmp, first)
    except BaseException:
        _unlink(tmp)
        raise
    sync_folder(folder)
    return first


def _copy_over(source: Path, target: Path, limit: int) -> None:
    """Make ``target`` what ``source`` is, atomically, keeping ``source``; skip what cannot be copied."""
    if not os.path.lexists(source):
        return
    fd, tmp = temporary(target)
    os.close(fd)
    os.unlink(tmp)
    try:
        try:
            os.link(source, tmp, follow_symlinks=False)
        except (OSError, NotImplementedError):  # no hard links here: copy the bytes
            try:
                data = read_bounded(source, limit)
            except Unreadable:
                return
            with open(tmp, "xb") as handle:
                _write_durably(handle, data)
        os.replace(tmp, target)
    except OSError:
        pass  # an odd thing in the way (a folder by that name): that older copy is not kept
    finally:
        _unlink(tmp)


def clean_stale(folder: Path, now: float | None = None) -> list[str]:
    """Remove temporaries that no running process will finish: the names of those removed."""
    now = time.time() if now is None else now
    removed = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        name = entry.name
        match = _TEMP.fullmatch(name)
        if not match and not _OLD_TEMP.fullmatch(name):
            continue  # not a temporary of this game: never touched
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if not stat.S_ISREG(info.st_mode):
            continue
        pid = int(match["pid"]) if match else None
        old = now - info.st_mtime > STALE_AFTER
        if old or (pid is not None and pid != os.getpid() and not _alive(pid)):
            try:
                os.unlink(entry.path)
                removed.append(name)
            except OSError:
                pass
    return removed


def _alive(pid: int) -> bool:
    """Whether a process ``pid`` exists; True where that cannot be asked safely (Windows)."""
    if os.name != "posix":
        return True  # os.kill would terminate it there
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True
    return True


def _unlink(path: str | Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
