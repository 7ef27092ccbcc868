"""Save benchmark: how long a long run takes to save, load and rebuild its undo history.

Loading a save replays its path, and undo keeps every state of the run. Both used to cost
time and memory quadratic in the run's length (every state copied the whole path): 20,000
choices took 8-12 s and 1.6 GB, 100,000 ran out of memory. With the path a shared
``Trail`` they are linear, so the figures for 100,000 choices should be about ten times
those for 10,000 (target: ratio about 10, and a 100,000-choice load under 2 s).

The runs loop in ``tests/fixtures/visits-loop`` (a waiting room one can wait in for ever),
the only way to make paths this long. Every try runs in a fresh process, so that one
size's objects do not slow the other's, and the sizes take turns, so that a slow moment of
this shared machine (its speed swings by a factor of two) falls on both alike. Each figure
is the best and the median of ``--repeat`` tries; the ratio is taken of the medians and of
the bests. It prints figures and asserts nothing.

    python3 benchmarks/save_bench.py [--sizes 10000 100000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from game import saves  # noqa: E402
from game.engine import load_story, replay, states_of  # noqa: E402

LOOP = ROOT / "tests" / "fixtures" / "visits-loop"
MEASURES = ("save", "load", "load+undo")


def one_try(path: Path) -> dict[str, float]:
    """In a fresh process: seconds to load the save, to load it and build the undo history, to write it."""
    story = load_story(LOOP)
    out = {}
    start = time.perf_counter()
    loaded = saves.load(path, story)
    out["load"] = time.perf_counter() - start
    del loaded
    start = time.perf_counter()
    states = states_of(story, saves.load(path, story).state)
    out["load+undo"] = time.perf_counter() - start
    start = time.perf_counter()
    saves.save(path, story, states[-1], path.stem)
    out["save"] = time.perf_counter() - start
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--try", dest="one", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(one_try(args.one)))
        return 0
    story = load_story(LOOP)
    folder = Path(tempfile.mkdtemp(prefix="save-bench-"))
    paths = {n: folder / f"run-{n}.json" for n in args.sizes}
    for n in args.sizes:
        state = replay(story, "waiter", [("room", "wait")] * n)
        saves.save(paths[n], story, state, f"{n} choices")
        assert saves.load(paths[n], story).state == state
    tries: dict[int, list[dict[str, float]]] = {n: [] for n in args.sizes}
    for _ in range(args.repeat):
        for n in args.sizes:
            child = subprocess.run([sys.executable, __file__, "--try", str(paths[n])], capture_output=True, text=True,
                                   check=True)
            tries[n].append(json.loads(child.stdout))
    print(f"{'choices':>8} {'size':>8} " + " ".join(f"{m + ' s':>15}" for m in MEASURES)
          + f" {'peak MB':>8}   (best / median of {args.repeat} fresh processes)")
    for n in args.sizes:
        cells = [f"{min(t[m] for t in tries[n]):>6.3f} / {statistics.median(t[m] for t in tries[n]):.3f}" for m in MEASURES]
        print(f"{n:>8,} {paths[n].stat().st_size / 1e6:>5.1f} MB " + " ".join(f"{c:>15}" for c in cells)
              + f" {max(t['peak_mb'] for t in tries[n]):>8.0f}")
    sizes = sorted(args.sizes)
    for small, large in zip(sizes, sizes[1:]):
        a = [t["load"] for t in tries[small]]
        b = [t["load"] for t in tries[large]]
        print(f"load time {large:,} / {small:,} choices: {statistics.median(b) / statistics.median(a):.1f} by medians, "
              f"{min(b) / min(a):.1f} by bests (linear is about {large / small:.0f}, quadratic about {(large / small) ** 2:.0f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
