"""Which endings each character can reach: the three tools of design.md combined.

For every (character, ending) the verdict is one of
- REACHABLE, with a witness path that has been replayed through ``step`` to that ending;
- UNREACHABLE, proved: the exact search expanded every distinct state without meeting it,
  or the interval bounds show its condition cannot hold (or an earlier ending always
  wins) at every resolution scene;
- UNKNOWN, with what bounded the searches. "Not found" is never called unreachable.

The time budget is shared: the bounds first (cheap), the exact search gets a share per
character (all of it when the story is small enough to finish), and the goal-directed
witness search shares what is left among the pairs still open.
"""

from __future__ import annotations

import time
from typing import Sequence

from attrs import frozen

from game.analysis.bounds import BoundsResult, bounds
from game.analysis.explore import ExploreResult, Path, explore
from game.analysis.witness import FIRST_WIDTH, Outlook, WitnessResult, find_witness, outlook, random_witnesses
from game.engine.errors import StepError
from game.engine.model import Story
from game.engine.play import replay

REACHABLE, UNREACHABLE, UNKNOWN = "REACHABLE", "UNREACHABLE", "UNKNOWN"
#: Share of the time limit the exact search may use before the witness search starts.
EXACT_SHARE = 0.25
#: Random runs per character tried as witnesses before any beam search (at most
#: ``RANDOM_SHARE`` of the time limit in all).
RANDOM_RUNS, RANDOM_SEED, RANDOM_SHARE = 3000, 1, 0.15
#: Seconds kept back for replaying witnesses and printing.
MARGIN = 0.5


@frozen
class Verdict:
    character: str
    ending: str
    status: str
    #: The witness of a REACHABLE verdict (replayed and checked).
    path: Path | None
    #: Which tool decided it: "exact search", "interval bounds", "witness search", or "" when UNKNOWN.
    method: str
    #: The proof of UNREACHABLE, or what bounded the search of UNKNOWN.
    reason: str
    #: True when the path is a shortest one (found by the breadth-first exact search).
    shortest: bool = False


@frozen
class Reachability:
    verdicts: tuple[Verdict, ...]
    explored: tuple[ExploreResult, ...]
    bounds: tuple[BoundsResult, ...]
    witness_searches: tuple[WitnessResult, ...]
    seconds: float
    time_limit: float
    max_states: int

    def count(self, status: str) -> int:
        return sum(1 for v in self.verdicts if v.status == status)


def _replays_to(story: Story, character: str, path: Path, ending: str) -> bool:
    try:
        return replay(story, character, path).ending == ending
    except StepError:
        return False


def prove_endings(story: Story, characters: Sequence[str] | None = None, max_states: int = 2_000_000,
                  time_limit: float = 55.0) -> Reachability:
    """A verdict for every (character, ending), within ``time_limit`` seconds in all."""
    t0 = time.perf_counter()
    deadline = t0 + max(0.0, time_limit - MARGIN)
    chars = list(characters) if characters is not None else list(story.characters)
    endings = [x.id for x in story.endings]

    bound = {c: bounds(story, c) for c in chars}

    explored: dict[str, ExploreResult] = {}
    exact_deadline = t0 + EXACT_SHARE * time_limit
    for i, c in enumerate(chars):
        budget = max(0.0, (exact_deadline - time.perf_counter()) / (len(chars) - i))
        explored[c] = explore(story, c, max_states=max_states, time_limit=budget)

    decided: dict[tuple[str, str], Verdict] = {}
    pending: list[tuple[str, str]] = []
    for c in chars:
        ex, bd = explored[c], bound[c]
        for eid in endings:
            if eid in ex.witnesses:
                decided[c, eid] = Verdict(c, eid, REACHABLE, ex.witnesses[eid], "exact search", "", shortest=True)
            elif ex.complete:
                decided[c, eid] = Verdict(c, eid, UNREACHABLE, None, "exact search",
                                          f"every reachable state searched ({ex.states:,} states)")
            elif eid in bd.impossible:
                decided[c, eid] = Verdict(c, eid, UNREACHABLE, None, "interval bounds", bd.impossible[eid])
            else:
                pending.append((c, eid))

    probes: dict[str, dict[str, Path]] = {}
    probe_deadline = time.perf_counter() + RANDOM_SHARE * time_limit
    for i, c in enumerate(chars):
        if any(p[0] == c for p in pending):
            own = time.perf_counter() + max(0.0, (probe_deadline - time.perf_counter()) / (len(chars) - i))
            probes[c] = random_witnesses(story, c, RANDOM_RUNS, RANDOM_SEED, own)
    still = []
    for c, eid in pending:
        if eid in probes.get(c, {}):
            decided[c, eid] = Verdict(c, eid, REACHABLE, probes[c][eid], "random play", "")
        else:
            still.append((c, eid))
    pending = still

    # Beam searches: a first pass shares the time among the open pairs; later passes give
    # what the easy ones left over to the hard ones, starting from wider beams.
    searches: list[WitnessResult] = []
    looks: dict[str, Outlook] = {}
    last: dict[tuple[str, str], WitnessResult] = {}
    for _ in range(3):
        if not pending or time.perf_counter() >= deadline:
            break
        still = []
        for i, (c, eid) in enumerate(pending):
            if c not in looks:
                looks[c] = outlook(story, c)
            budget = max(0.0, (deadline - time.perf_counter()) / (len(pending) - i))
            first = max(FIRST_WIDTH, last[c, eid].width) if (c, eid) in last else FIRST_WIDTH
            w = find_witness(story, c, eid, budget, looks[c], first)
            searches.append(w)
            last[c, eid] = w
            if w.path is not None:
                decided[c, eid] = Verdict(c, eid, REACHABLE, w.path, "witness search", "")
            elif w.exhaustive:
                decided[c, eid] = Verdict(c, eid, UNREACHABLE, None, "witness search", w.stopped_by)
            else:
                still.append((c, eid))
        pending = still
    for c, eid in pending:
        ex = explored[c]
        mine = [w for w in searches if (w.character, w.ending) == (c, eid)]
        where = len(bound[c].possible.get(eid, ()))
        if mine:
            widest = max(w.finished_width for w in mine)
            beam_part = (f"beam search ({f'beams up to width {widest:,} ran to the end' if widest else 'no beam ran to the end'}, "
                         f"{sum(w.states for w in mine):,} states, {sum(w.seconds for w in mine):.1f} s) found no witness")
        else:
            beam_part = "no time was left for a beam search"
        reason = (f"exact search stopped by the {ex.stopped_by} at depth {ex.depth}; {RANDOM_RUNS:,} random runs "
                  f"and {beam_part}; bounds allow it at {where} resolution scene(s)")
        decided[c, eid] = Verdict(c, eid, UNKNOWN, None, "", reason)

    verdicts = []
    for c in chars:
        for eid in endings:
            v = decided[c, eid]
            if v.status == REACHABLE and not _replays_to(story, c, v.path or (), eid):
                v = Verdict(c, eid, UNKNOWN, None, "", f"the {v.method} witness did not replay to the ending (engine bug?)")
            verdicts.append(v)
    return Reachability(tuple(verdicts), tuple(explored[c] for c in chars), tuple(bound[c] for c in chars),
                        tuple(searches), time.perf_counter() - t0, time_limit, max_states)
