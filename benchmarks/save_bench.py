"""Save benchmark: how long a long run takes to save, load and rebuild its undo history.

Loading a save replays its path, and undo keeps every state of the run. Both used to cost
time and memory quadratic in the run's length (every state copied the whole path): 20,000
choices took 8-12 s and 1.6 GB, 100,000 ran out of memory. With the path a shared
``Trail`` they are linear, so the figures for 100,000 choices should be about ten times
those for 10,000 (target: ratio about 10, and a 100,000-choice load under 2 s).

The runs loop in ``tests/fixtures/visits-loop`` (a waiting room one can wait in for ever),
the only way to make paths this long. Each figure is the best and the median of
``--repeat`` tries, since this machine's speed swings by a factor of two; the best is what
the code can do. It prints figures and asserts nothing.

    python3 benchmarks/save_bench.py [--sizes 10000 100000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from game import saves  # noqa: E402
from game.engine import load_story, replay, states_of  # noqa: E402

LOOP = ROOT / "tests" / "fixtures" / "visits-loop"


def timed(action: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Best and median seconds of ``repeat`` calls."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    story = load_story(LOOP)
    folder = Path(tempfile.mkdtemp(prefix="save-bench-"))
    loads: dict[int, float] = {}
    print(f"{'choices':>8} {'size':>8} {'save s':>14} {'load s':>14} {'load+undo s':>14}   (best / median)")
    for n in args.sizes:
        state = replay(story, "waiter", [("room", "wait")] * n)
        path = folder / f"run-{n}.json"
        save = timed(lambda: saves.save(path, story, state, f"{n} choices"), args.repeat)
        assert saves.load(path, story).state == state
        load = timed(lambda: saves.load(path, story), args.repeat)
        both = timed(lambda: states_of(story, saves.load(path, story).state), args.repeat)
        loads[n] = load[0]
        size = f"{path.stat().st_size / 1e6:.1f} MB"
        print(f"{n:>8,} {size:>8} {save[0]:>6.3f} / {save[1]:.3f} {load[0]:>6.3f} / {load[1]:.3f} "
              f"{both[0]:>6.3f} / {both[1]:.3f}")
    sizes = sorted(loads)
    for small, large in zip(sizes, sizes[1:]):
        print(f"load time {large:,} / {small:,} choices: {loads[large] / loads[small]:.1f} "
              f"(lengths ratio {large / small:.0f}; linear is about that, quadratic its square)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of this process: {peak:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
