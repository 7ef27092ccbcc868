"""Fuzz: mutated copies of the campaign, the example mod and every fixture, one seeded
mutation each from every family of issue 8 (benchmarks/fuzz_stories.py says which).

Each mutant is checked in a child process of its own, like `testament check`: it must end
with exit status 0 or 2, every message must name a file, no traceback, no hang, no more
than 1 GB; a mutant that passes check must play random runs to an ending. `make fuzz`
runs the same over 3,000 mutants; this is the short run that every `make test` makes.
Set FUZZ_SEED to try other mutants.
"""

from __future__ import annotations

import io
import os

import pytest

from benchmarks.fuzz_stories import FAMILIES, run, summary

#: Fifteen of each family: a couple of minutes at most on a slow machine.
MUTANTS = 15 * len(FAMILIES)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the fuzz forks a child per mutant")
def test_no_mutant_crashes_hangs_exhausts_memory_or_strands_a_player(tmp_path):
    seed = int(os.environ.get("FUZZ_SEED", "8"))
    outcomes = run(MUTANTS, seed=seed, jobs=2, timeout=10.0, work=tmp_path)
    assert {o.mutant.family for o in outcomes} == set(FAMILIES)
    assert len(outcomes) == MUTANTS
    # Both answers occur: hostile mutants are refused, and some mutants still pass and are played.
    assert any(o.status == 2 for o in outcomes) and any(o.status == 0 for o in outcomes)
    report = io.StringIO()
    failing = summary(outcomes, report)
    assert failing == 0, f"seed {seed}:\n{report.getvalue()}"
