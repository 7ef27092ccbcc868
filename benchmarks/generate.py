"""Synthetic stories for benchmarks and property tests: any size, always valid.

A generated story is layered: scenes are split into ``depth`` layers and every choice
leads to a scene of the next layer (the last layer leads to the one resolution scene), so
every run makes exactly ``depth`` choices whatever is chosen. About a third of the
choices carry a condition (the first choice of a scene never does, so nothing strands),
some gotos are computed, some choices set flags, and several endings read the variables
and flags. ``testament check`` reports no problems on the output: every scene keeps the
values of one real run into it (its witness), a condition's threshold is moved, where it
must be, so that it holds on that run, and the choice that first leads to a scene leads
there on that run, so no choice is one that can never be taken.

    python3 benchmarks/generate.py OUT_DIR --scenes 1000 --variables 5 --choices 3 --depth 20
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

_WORDS = ("the committee hall delegates vote letter secretary congress army factory grain "
          "telegram night winter railway speech minutes resolution comrade platform ballot").split()
SCENES_PER_FILE = 500


def _sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(n)).capitalize() + "."


def _q(text: str) -> str:
    """A YAML double-quoted scalar."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def layer_sizes(total: int, depth: int, choices: int, first: int) -> list[int]:
    """Scenes per layer: a funnel from ``first`` start scenes, each layer at most ``choices``
    times the one before (so every scene can be the target of some choice), then as wide
    as needed to reach about ``total`` scenes."""
    def sizes(width: int) -> list[int]:
        out = [min(first, width)]
        for _ in range(depth - 1):
            out.append(max(1, min(width, out[-1] * choices)))
        return out
    low, high = 1, max(1, total)
    while low < high:  # the smallest width whose funnel holds at least ``total`` scenes
        mid = (low + high) // 2
        if sum(sizes(mid)) >= total:
            high = mid
        else:
            low = mid + 1
    return sizes(low)


def generate(out: Path, scenes: int = 100, variables: int = 5, choices: int = 3, depth: int = 20,
             characters: int = 2, seed: int = 0) -> Path:
    """Write a valid layered story of about ``scenes`` scenes into ``out``; return ``out``."""
    if depth < 1 or choices < 1 or variables < 1 or characters < 1:
        raise ValueError("depth, choices, variables and characters must be at least 1")
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    sizes = layer_sizes(scenes - 1, depth, choices, characters)
    layers = [[f"s{layer}-{i}" for i in range(size)] for layer, size in enumerate(sizes)]
    final = "resolution"
    names = [f"v{i}" for i in range(variables)]
    flags = ["flag_a", "flag_b", "flag_c"]
    chars = [f"char{i}" for i in range(characters)]
    # The characters' start values come from their own stream, so that the witnesses
    # below can start from them while the scenes keep the stream they always had.
    char_rng = random.Random(f"{seed}-characters")
    char_values = [{v: char_rng.randint(30, 70) for v in names[:3]} for _ in chars]
    #: Scene id to the values of one real run on entering it.
    witness: dict[str, dict[str, int]] = {}
    for i in range(len(chars)):
        witness.setdefault(layers[0][i % len(layers[0])], {v: char_values[i].get(v, 50) for v in names})

    scene_lines: list[list[str]] = []
    unset_flags = list(flags)
    for layer, ids in enumerate(layers):
        targets = layers[layer + 1] if layer + 1 < depth else [final]
        # Every scene of the next layer is the target of at least one choice, so none is unreachable.
        must = list(targets)
        rng.shuffle(must)
        for i, sid in enumerate(ids):
            lines = [f"  - id: {sid}", f"    date: 1923-{1 + layer % 12:02d}", "    place: Moscow",
                     f"    title: Scene {layer}.{i}"]
            if rng.random() < 0.2:
                lines += ["    text:", f"      default: {_q(_sentence(rng, 30))}", f"      {chars[0]}: {_q(_sentence(rng, 25))}"]
            else:
                lines.append(f"    text: {_q(_sentence(rng, 30))}")
            lines += ["    note:", f"      text: {_q(_sentence(rng, 8))}", "      sources: [\"Generated (2024)\"]",
                      "    choices:"]
            here = witness[sid]
            for c in range(choices):
                target = must.pop() if must else rng.choice(targets)
                lines += [f"      - id: c{c}", f"        text: {_q(_sentence(rng, 8))}"]
                if c > 0 and rng.random() < 0.5:  # about a third of all choices, with 3 a scene
                    var = rng.choice(names)
                    op = rng.choice([">=", "<="])
                    threshold = rng.randint(30, 70)  # then moved so that it holds on the witness run
                    threshold = min(threshold, here[var]) if op == ">=" else max(threshold, here[var])
                    lines.append(f"        if: {var} {op} {threshold}")
                    if rng.random() < 0.5:
                        lines.append(f"        locked: {_q(_sentence(rng, 5))}")
                moved = rng.sample(names, k=min(len(names), rng.randint(1, 2)))
                effects = []
                after = dict(here)
                for v in moved:
                    kind = rng.random()
                    if kind < 0.7:
                        amount = rng.choice([-1, 1]) * rng.randint(1, 10)
                        effects.append(f"{v}: {amount:+d}")
                        after[v] = max(0, min(100, after[v] + amount))
                    else:
                        amount = rng.choice([-1, 1]) * rng.randint(10, 30)
                        effects.append(f"{v}: \"%{amount:+d}\"")
                        after[v] += round(((100 - after[v]) if amount >= 0 else after[v]) * amount / 100)
                        after[v] = max(0, min(100, after[v]))
                lines.append("        effects: { " + ", ".join(effects) + " }")
                last = layer == depth - 1 and i == len(ids) - 1 and c == choices - 1
                if unset_flags:  # every flag the endings test must be set somewhere
                    lines.append(f"        set: [{', '.join(unset_flags) if last else unset_flags[-1]}]")
                    del unset_flags[0 if last else -1:]
                elif rng.random() < 0.15:
                    lines.append(f"        set: [{rng.choice(flags)}]")
                if rng.random() < 0.1:
                    lines.append(f"        reply: {_q(_sentence(rng, 10))}")
                if rng.random() < 0.1 and target != final:
                    other = rng.choice(targets)
                    var, threshold = rng.choice(names), rng.randint(40, 60)
                    if target not in witness:  # the witness run must take the last branch, to its target
                        threshold = max(threshold, after[var] + 1)
                    lines += ["        goto:", f"          - if: {var} >= {threshold}",
                              f"            to: {other}", f"          - to: {target}"]
                    target = other if after[var] >= threshold else target
                else:
                    lines.append(f"        goto: {target}")
                witness.setdefault(target, after)
            scene_lines.append(lines)
    scene_lines.append([f"  - id: {final}", "    date: 1927", "    place: Moscow", "    title: The verdict",
                        f"    text: {_q(_sentence(rng, 20))}", "    note:", f"      text: {_q(_sentence(rng, 8))}",
                        "      sources: [\"Generated (2024)\"]", "    resolve: true"])

    files = []
    for n in range(0, len(scene_lines), SCENES_PER_FILE):
        name = f"scenes-{n // SCENES_PER_FILE:03d}.yaml"
        files.append(name)
        body = ["scenes:"] + [line for lines in scene_lines[n:n + SCENES_PER_FILE] for line in lines]
        (out / name).write_text("\n".join(body) + "\n", encoding="utf-8")

    manifest = [f"id: generated-{scenes}", f"title: Generated story ({scenes} scenes)", "version: 1",
                "files: [" + ", ".join(files) + "]", "variables:"]
    manifest += [f"  {v}: {{ name: Variable {v}, min: 0, max: 100, start: 50 }}" for v in names]
    manifest.append("characters:")
    for i, cid in enumerate(chars):
        values = ", ".join(f"{v}: {n}" for v, n in char_values[i].items())
        manifest += [f"  {cid}:", f"    name: Character {i}", f"    bio: {_q(_sentence(rng, 10))}",
                     f"    standing: {_q(_sentence(rng, 10))}", f"    start: {layers[0][i % len(layers[0])]}",
                     f"    values: {{ {values} }}"]
        if i == 0:
            manifest.append("    flags: [flag_c]")
    manifest.append("endings:")
    conditions = [f"{names[0]} >= 65 and flag_a", f"{names[-1]} + {names[0]} >= 120",
                  f"{names[1 % len(names)]} <= 30 or flag_b", f"not flag_c and {names[2 % len(names)]} >= 55"]
    for i, cond in enumerate(conditions):
        manifest += [f"  - id: ending-{i}", f"    title: Ending {i}", f"    if: {cond}",
                     f"    text: {_q(_sentence(rng, 15))}", f"    epilogue: {_q(_sentence(rng, 10))}",
                     f"    history: {_q(_sentence(rng, 10))}"]
    manifest += ["  - id: ending-last", "    title: The last ending", f"    text: {_q(_sentence(rng, 15))}",
                 f"    epilogue: {_q(_sentence(rng, 10))}", f"    history: {_q(_sentence(rng, 10))}"]
    (out / "story.yaml").write_text("\n".join(manifest) + "\n", encoding="utf-8")
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("out", type=Path)
    p.add_argument("--scenes", type=int, default=100)
    p.add_argument("--variables", type=int, default=5)
    p.add_argument("--choices", type=int, default=3)
    p.add_argument("--depth", type=int, default=20)
    p.add_argument("--characters", type=int, default=2)
    p.add_argument("--seed", type=int, default=0)
    a = p.parse_args(argv)
    generate(a.out, a.scenes, a.variables, a.choices, a.depth, a.characters, a.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
