"""Hostile input for the text game, through the real command line: counts tracebacks, hangs, memory.

The hardening issue piped 20,000 hostile lines, in sessions of 100, into ``testament play
--text`` and every session ended in a traceback. This does the same with lines a seeded
generator makes: numbers of any length and script, invalid UTF-8, NULs and control
characters, names of hundreds of characters in any script, and every command with such
arguments. Each session runs in a fresh process inside a temporary folder (its home, save
folder and working directory), and no argument holds a path separator or ``~``, so nothing
is written outside it. It prints the number of sessions that wrote a traceback, ran over
10 s, or grew over 1 GB; all three should be 0. ``tests/terminal/test_hostile_input.py``
is the bounded version in the suite.

    python3 benchmarks/text_fuzz.py [--sessions 200] [--lines 100] [--seed 1]
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STORY = ROOT / "tests" / "fixtures" / "features"
COMMANDS = ["save", "load", "transcript", "folder", "saves", "undo", "note", "help", "SAVE", "Load", "yes", "no", "y"]
ODD = ["²", "①", "٣", "１", "\0", "con", "autosave 3", "Autosave-1", "quicksave", "Quicksave", ".", "..", "a b", "a-b"]
LIMIT_S = 10
LIMIT_MB = 1024


def hostile(rng: random.Random) -> bytes:
    """One line of input, as bytes."""
    k = rng.random()
    if k < 0.15:
        return str(rng.randrange(-3, 10)).encode()
    if k < 0.25:
        return b"9" * rng.randrange(1, 8000)
    if k < 0.35:
        return bytes(rng.randrange(256) for _ in range(rng.randrange(1, 60))).replace(b"\n", b"").replace(b"/", b"")
    if k < 0.45:
        return rng.choice(ODD).encode()
    arg = rng.choice([
        lambda: "".join(chr(rng.randrange(0x20, 0x3000)) for _ in range(rng.randrange(0, 40))),
        lambda: rng.choice("ЖжTrotskyТроцкий") * rng.randrange(100, 400),
        lambda: rng.choice(ODD),
        lambda: "",
    ])()
    line = f"{rng.choice(COMMANDS)} {arg}".encode("utf-8", "surrogateescape")
    if rng.random() < 0.1:
        line += bytes([rng.randrange(0x80, 0x100)])
    return line.replace(b"/", b"").replace(b"\\", b"").replace(b"~", b"")


def session(lines: list[bytes], folder: Path) -> tuple[bool, float]:
    """Play one session in ``folder``; (whether it wrote a traceback, seconds)."""
    (folder / "user").mkdir()
    (folder / "tmp").mkdir()
    env = dict(os.environ, TESTAMENT_HOME=str(folder / "home"), HOME=str(folder / "user"), TMPDIR=str(folder / "tmp"))
    start = time.perf_counter()
    with tempfile.TemporaryFile() as err:
        child = subprocess.Popen([sys.executable, "-m", "game.cli", "play", "--text", "--story", str(STORY),
                                  "--character", "lev"], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                 stderr=err, cwd=folder, env=env)
        assert child.stdin is not None
        try:
            child.stdin.write(b"\n".join(lines) + b"\n")
            child.stdin.close()
        except BrokenPipeError:
            pass
        try:
            child.wait(LIMIT_S * 3)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
        seconds = time.perf_counter() - start
        err.seek(0)
        traceback = b"Traceback" in err.read()
    return traceback, seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=200)
    parser.add_argument("--lines", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    tracebacks = hangs = 0
    slowest = 0.0
    kept = Path(tempfile.gettempdir()) / "text-fuzz-failures"
    with tempfile.TemporaryDirectory(prefix="text-fuzz-") as top:
        for n in range(args.sessions):
            lines = [hostile(rng) for _ in range(args.lines)]
            lines = [line for line in lines if line.strip().lower() not in (b"quit", b"q", b"exit")]
            folder = Path(top) / f"s{n}"
            folder.mkdir()
            traceback, seconds = session(lines, folder)
            tracebacks += traceback
            hangs += seconds > LIMIT_S
            slowest = max(slowest, seconds)
            if traceback:
                kept.mkdir(exist_ok=True)
                (kept / f"seed{args.seed}-session{n}.txt").write_bytes(b"\n".join(lines))
                print(f"session {n}: traceback; its input is in {kept}", file=sys.stderr)
    peak = _children_peak_mb()
    print(f"{args.sessions} sessions of {args.lines} lines: {tracebacks} tracebacks, {hangs} over {LIMIT_S} s "
          f"(slowest {slowest:.1f} s), largest process {peak:.0f} MB ({'over' if peak > LIMIT_MB else 'under'} {LIMIT_MB} MB)")
    return 0


def _children_peak_mb() -> float:
    import resource
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


if __name__ == "__main__":
    raise SystemExit(main())
