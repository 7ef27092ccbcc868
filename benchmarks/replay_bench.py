"""How replaying a file of steps grows with its length (testament play --replay FILE).

Prints the best of several timings for 5,000 and 50,000 steps round the visits-loop
fixture and their ratio: about 10 means linear, about 100 quadratic. A figure, not a test:
timings on a shared machine swing too much to assert.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from game.engine import load_story  # noqa: E402
from game.testruns import parse_replay, play_replay  # noqa: E402

FIXTURE = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "visits-loop"


def seconds(story, steps: int) -> float:
    data = ("# character: waiter\n" + "room:wait\n" * steps).encode()
    t = time.perf_counter()
    states = play_replay(story, parse_replay(data))
    assert len(states) == steps + 1
    return time.perf_counter() - t


def main() -> None:
    story = load_story(FIXTURE)
    seconds(story, 1000)
    small = min(seconds(story, 5_000) for _ in range(5))
    big = min(seconds(story, 50_000) for _ in range(3))
    print(f"replay  5,000 steps: {small:.3f} s (best of 5)")
    print(f"replay 50,000 steps: {big:.3f} s (best of 3)")
    print(f"ratio: {big / small:.1f} (linear is about 10, quadratic about 100)")


if __name__ == "__main__":
    main()
