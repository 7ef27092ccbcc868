"""Continuity: proving what a scene's text takes for granted, and checking text that follows the run.

A scene may say ``assumes: not stalin_removed``. To prove it, the flags it reads are
followed exactly along every road (a product of the scene graph with the values of just
those flags), while the variables and every other flag are bounded by the interval
fixpoint of ``bounds``. Both are over-approximations, so when no abstract road arrives
with the assumption false, no real run can: it is proved. When one does, its road is
replayed through the engine; if the real run arrives with the assumption false, that run
is the witness of a violation. If the road does not replay (a threshold the intervals
could not rule out), seeded random play looks for a witness; failing that, the verdict is
unknown, with the road that stopped the proof.

``visits(s) > 0`` (and ``== 0``) are followed exactly too, as if entering ``s`` set a flag.

The same product answers the questions about text blocks: can this block ever show here,
does it always show, and can a run see this text empty.
"""

from __future__ import annotations

import itertools
import random
from collections import deque
from typing import Iterable, Iterator, Mapping

from attrs import frozen

from game.analysis.bounds import Abstract, BoundsResult, _fallback_possible, apply_choice, specialise
from game.engine import expr as e
from game.engine.errors import Location, Problems
from game.engine.intervals import Truth, truth
from game.engine.model import Block, Choice, Story, Text
from game.engine.play import State, available, start, step

#: The prefix of a pseudo-flag standing for "the run has entered scene s".
VISITED = "@visited:"
#: Random runs per character spent looking for a witness the abstract road did not give.
SEARCH_RUNS = 3000
#: Steps after which a random run is abandoned (a loop).
MAX_STEPS = 2000

Valuation = frozenset  # the tracked flags that are set
Node = tuple[str, Valuation]  # (scene id, valuation)
Path = tuple[tuple[str, str], ...]


@frozen
class Verdict:
    """The verdict on one assumption (of a scene, or of an ending: ``where`` is ``ending:ID``)."""

    where: str
    source: str
    location: Location
    #: ``proved``, ``violated`` or ``unknown``.
    status: str
    #: For a violation, the character and the road from his start that arrives with it false.
    character: str | None = None
    witness: Path | None = None
    #: What stopped the proof, for an unknown verdict.
    reason: str = ""


# ---- conditions with visits turned into tracked pseudo-flags ------------------------------------

def tracked(node: e.Node) -> e.Node:
    """``node`` with ``visits(s) > 0``-style tests replaced by the pseudo-flag ``@visited:s``."""
    t = type(node)
    if t is e.Compare:
        visit, num, op = None, None, node.op
        if isinstance(node.left, e.Visits) and isinstance(node.right, e.Num):
            visit, num = node.left, node.right.value
        elif isinstance(node.right, e.Visits) and isinstance(node.left, e.Num):
            visit, num, op = node.right, node.left.value, {">": "<", "<": ">", ">=": "<=", "<=": ">="}.get(op, op)
        if visit is not None:
            flag = e.Flag(VISITED + visit.scene)
            if (op, num) in ((">", 0), (">=", 1), ("!=", 0)):
                return flag
            if (op, num) in (("==", 0), ("<", 1), ("<=", 0)):
                return e.Not(flag)
        return node
    if t is e.Not:
        return e.Not(tracked(node.operand))
    if t is e.BoolOp:
        return e.BoolOp(node.op, tracked(node.left), tracked(node.right))
    return node


def flags_read(node: e.Node) -> frozenset[str]:
    return frozenset(n.name for n in e.walk(node) if isinstance(n, e.Flag))


# ---- the product of scenes and tracked flags ----------------------------------------------------

class Roads:
    """Every (scene, values of the tracked flags) one character can arrive at, with a road to each."""

    def __init__(self, story: Story, character: str, fixpoint: BoundsResult, names: frozenset[str]):
        self.story, self.character, self.fix, self.names = story, character, fixpoint, names
        self.visited_scenes = {n[len(VISITED):] for n in names if n.startswith(VISITED)}
        #: Node to (the node before it, the choice taken there); the start maps to None.
        self.parent: dict[Node, tuple[Node, str] | None] = {}
        self.at: dict[str, set[Valuation]] = {}
        self._explore()

    def flags_at(self, sid: str, valuation: Valuation) -> dict[str, Truth]:
        """What each flag can be on entering ``sid`` with ``valuation``: exact for tracked ones."""
        a = self.fix.scenes[sid]
        flags = dict(a.flags)
        for name in self.names:
            flags[name] = (name not in valuation, name in valuation)
        return flags

    def _entered(self, valuation: Valuation, target: str) -> Valuation:
        return valuation | {VISITED + target} if target in self.visited_scenes else valuation

    def _explore(self) -> None:
        story, cid = self.story, self.character
        who = story.characters[cid]
        if who.start not in self.fix.scenes:
            return
        first = (who.start, self._entered(frozenset(n for n in self.names if n in who.flags), who.start))
        self.parent[first] = None
        queue = deque([first])
        while queue:
            node = queue.popleft()
            sid, valuation = node
            self.at.setdefault(sid, set()).add(valuation)
            scene = story.scenes[sid]
            if scene.resolve or sid not in self.fix.scenes:
                continue
            for choice_id, target, after in self._moves(scene.choices, sid, valuation, scene.fallback):
                nxt = (target, self._entered(after, target))
                if nxt not in self.parent and target in self.fix.scenes:
                    self.parent[nxt] = (node, choice_id)
                    queue.append(nxt)

    def _moves(self, choices: tuple[Choice, ...], sid: str, valuation: Valuation,
               fallback: str | None) -> Iterator[tuple[str, str, Valuation]]:
        cid = self.character
        a: Abstract = self.fix.scenes[sid]
        ranges = dict(enumerate(a.box))
        flags = self.flags_at(sid, valuation)
        for choice in choices:
            if choice.only_for is not None and cid not in choice.only_for:
                continue
            if choice.condition is not None and not truth(self.tree(choice.condition.tree), ranges, flags, cid)[1]:
                continue
            after_box, after_flags = apply_choice(self.story, choice, a.box, dict(flags))
            after_ranges = dict(enumerate(after_box))
            after = (valuation | (choice.set_flags & self.names)) - choice.clear_flags
            for branch in choice.goto:
                if branch.condition is None:
                    yield choice.id, branch.target, after
                    break
                can_false, can_true = truth(self.tree(branch.condition.tree), after_ranges, after_flags, cid)
                if can_true:
                    yield choice.id, branch.target, after
                if not can_false:
                    break
        if fallback and _fallback_possible(choices, cid):
            yield "-continue", fallback, valuation

    def tree(self, node: e.Node) -> e.Node:
        return specialise(tracked(node), self.character)

    def road(self, node: Node) -> Path:
        steps = []
        link = self.parent.get(node)
        while link is not None:
            node, choice_id = link
            steps.append((node[0], choice_id))
            link = self.parent.get(node)
        return tuple(reversed(steps))

    def can(self, node: e.Node, sid: str, valuation: Valuation) -> Truth:
        """Whether ``node`` can be false / true on entering ``sid`` with ``valuation``."""
        a = self.fix.scenes[sid]
        return truth(self.tree(node), dict(enumerate(a.box)), self.flags_at(sid, valuation), self.character)


class Analysis:
    """The fixpoints and the roads of one story, computed once and shared by every question."""

    def __init__(self, story: Story):
        self.story = story
        from game.analysis.deadroads import all_bounds  # shared with check, which computes them first
        self.fix = all_bounds(story)
        self._roads: dict[tuple[str, frozenset[str]], Roads] = {}

    def roads(self, character: str, names: Iterable[str]) -> Roads:
        key = (character, frozenset(names))
        if key not in self._roads:
            self._roads[key] = Roads(self.story, character, self.fix[character], key[1])
        return self._roads[key]

    def reaching(self, sid: str) -> list[str]:
        """The characters who can enter ``sid`` at all."""
        return [cid for cid, fix in self.fix.items() if sid in fix.scenes]


# ---- assumptions ------------------------------------------------------------------------------

def prove_assumptions(story: Story, analysis: Analysis | None = None, seed: int = 1) -> list[Verdict]:
    """A verdict on every ``assumes:`` of the story's scenes and endings."""
    analysis = analysis or Analysis(story)
    verdicts: list[Verdict] = []
    pending: list[tuple[Verdict, list[tuple[str, Path]]]] = []
    for where, condition, location, ending_id, scenes in _assumptions(story):
        tree = tracked(condition.tree)
        names = flags_read(tree) | (flags_read(tracked(story.ending(ending_id).condition.tree))
                                    if ending_id and story.ending(ending_id).condition is not None else frozenset())
        roads_found: list[tuple[str, Path]] = []
        witness = None
        for cid in story.characters:
            roads = analysis.roads(cid, names)
            for sid in scenes:
                for valuation in sorted(roads.at.get(sid, ()), key=sorted):
                    if ending_id and not _ending_possible(story, roads, ending_id, sid, valuation):
                        continue
                    if not roads.can(condition.tree, sid, valuation)[0]:
                        continue
                    road = roads.road((sid, valuation))
                    roads_found.append((cid, road))
                    if _replays_false(story, cid, road, sid, condition, ending_id):
                        witness = (cid, road)
                        break
                if witness:
                    break
            if witness:
                break
        if witness:
            verdicts.append(Verdict(where, condition.source, location, "violated", witness[0], witness[1]))
        elif not roads_found:
            verdicts.append(Verdict(where, condition.source, location, "proved"))
        else:
            pending.append((Verdict(where, condition.source, location, "unknown"), roads_found))
    verdicts += _search_witnesses(story, pending, seed)
    return verdicts


def _assumptions(story: Story) -> Iterator[tuple[str, object, Location, str | None, list[str]]]:
    for scene in story.scenes.values():
        if scene.assumes is not None:
            yield scene.id, scene.assumes, scene.location, None, [scene.id]
    resolves = [sid for sid, s in story.scenes.items() if s.resolve]
    for ending in story.endings:
        if ending.assumes is not None:
            yield f"ending:{ending.id}", ending.assumes, ending.location, ending.id, resolves


def _ending_possible(story: Story, roads: Roads, ending_id: str, sid: str, valuation: Valuation) -> bool:
    """Whether ``ending_id`` can be the ending of a run resolving at ``sid`` with ``valuation``."""
    for ending in story.endings:
        if ending.condition is None:
            return ending.id == ending_id
        can_false, can_true = roads.can(ending.condition.tree, sid, valuation)
        if ending.id == ending_id:
            return can_true
        if not can_false:
            return False
    return False


def _replays_false(story: Story, character: str, road: Path, sid: str, condition, ending_id: str | None) -> bool:
    """Whether the road is a real run that arrives at ``sid`` with ``condition`` false (and the ending, if any)."""
    state = start(story, character)
    try:
        for scene_id, choice_id in road:
            if state.scene != scene_id or choice_id not in available(story, state):
                return False
            state = step(story, state, choice_id)
    except Exception:  # a road the engine refuses is simply not a witness
        return False
    return state.scene == sid and _breaks(state, condition, ending_id)


def _breaks(state: State, condition, ending_id: str | None) -> bool:
    if ending_id is not None and state.ending != ending_id:
        return False
    return not condition.test(state)


def _search_witnesses(story: Story, pending: list[tuple[Verdict, list[tuple[str, Path]]]], seed: int) -> list[Verdict]:
    """Seeded random play for the assumptions whose abstract roads did not replay."""
    if not pending:
        return []
    by_scene: dict[str, list[int]] = {}
    for i, (verdict, _) in enumerate(pending):
        scenes = [verdict.where] if not verdict.where.startswith("ending:") else \
            [sid for sid, s in story.scenes.items() if s.resolve]
        for sid in scenes:
            by_scene.setdefault(sid, []).append(i)
    found: dict[int, tuple[str, Path]] = {}
    conditions = [_condition_of(story, v.where) for v, _ in pending]
    endings = [v.where[len("ending:"):] if v.where.startswith("ending:") else None for v, _ in pending]
    for cid in story.characters:
        rng = random.Random(f"{seed}:continuity:{cid}")
        for _ in range(SEARCH_RUNS):
            if len(found) == len(pending):
                break
            state = start(story, cid)
            for _ in range(MAX_STEPS):
                for i in by_scene.get(state.scene, ()):
                    if i not in found and _breaks(state, conditions[i], endings[i]):
                        found[i] = (cid, state.path)
                if state.ending is not None:
                    break
                state = step(story, state, rng.choice(available(story, state)))
    out = []
    for i, (verdict, roads_found) in enumerate(pending):
        if i in found:
            cid, path = found[i]
            out.append(Verdict(verdict.where, verdict.source, verdict.location, "violated", cid, tuple(path)))
        else:
            cid, road = min(roads_found, key=lambda r: len(r[1]))
            out.append(Verdict(verdict.where, verdict.source, verdict.location, "unknown", cid, None,
                               f"the bounds let {cid} arrive with it false by {len(road)} steps ending "
                               f"{' -> '.join(f'{s}:{c}' for s, c in road[-3:])}, but that road does not replay "
                               f"and {SEARCH_RUNS} random runs per character found no such run"))
    return out


def _condition_of(story: Story, where: str):
    if where.startswith("ending:"):
        return story.ending(where[len("ending:"):]).assumes
    return story.scenes[where].assumes


def witness_lines(verdict: Verdict) -> list[str]:
    """A violation's witness as a replay file: a character header, then ``scene:choice`` a line."""
    if verdict.witness is None:
        return []
    return [f"# character: {verdict.character}"] + [f"{s}:{c}" for s, c in verdict.witness]


# ---- text blocks ------------------------------------------------------------------------------

@frozen
class TextFinding:
    location: Location
    message: str
    hint: str = ""


def check_texts(story: Story, analysis: Analysis | None = None) -> list[TextFinding]:
    """Blocks that can never show or always show where they stand, and texts a run could see empty."""
    analysis = analysis or Analysis(story)
    findings: list[TextFinding] = []
    for scene in story.scenes.values():
        where = [(cid, scene.id) for cid in analysis.reaching(scene.id)]
        if not where:
            continue
        findings += _check_text(analysis, scene.text, where, f"the text of scene '{scene.id}'", must_show=True)
        findings += _check_text(analysis, scene.place, where, f"the place of scene '{scene.id}'")
        findings += _check_text(analysis, scene.note.text, where, f"the note of scene '{scene.id}'")
        for choice in scene.choices:
            mine = [(cid, sid) for cid, sid in where if choice.only_for is None or cid in choice.only_for]
            what = f"choice '{choice.id}' in scene '{scene.id}'"
            findings += _check_text(analysis, choice.text, mine, f"the text of {what}", must_show=True)
            findings += _check_text(analysis, choice.locked, mine, f"the 'locked' of {what}")
            findings += _check_text(analysis, choice.reply, mine, f"the reply of {what}", after=choice)
    resolves = [sid for sid, s in story.scenes.items() if s.resolve]
    for ending in story.endings:
        where = [(cid, sid) for sid in resolves for cid in analysis.reaching(sid)]
        for name, text in (("text", ending.text), ("epilogue", ending.epilogue), ("history", ending.history)):
            findings += _check_text(analysis, text, where, f"the {name} of ending '{ending.id}'",
                                    must_show=name == "text", ending=ending.id)
    return findings


def _check_text(analysis: Analysis, text: Text, where: list[tuple[str, str]], what: str,
                must_show: bool = False, after: Choice | None = None, ending: str | None = None) -> list[TextFinding]:
    if not text or not where:
        return []
    conditional = [b for b in text.blocks() if b.conditional or any(not isinstance(p, str) for p in b.parts + b.otherwise)]
    if not conditional:
        return []
    story = analysis.story
    # Per block (and per inline phrase): could its condition be false / true anywhere it is read?
    seen: dict[int, list[bool]] = {}
    empty_for: str | None = None
    for cid, sid in where:
        blocks = text.blocks_for(cid)
        names = frozenset().union(*(flags_read(tracked(c.tree)) for c in _block_conditions(blocks)))
        if ending is not None and story.ending(ending).condition is not None:
            names |= flags_read(tracked(story.ending(ending).condition.tree))
        roads = analysis.roads(cid, names)
        for valuation in roads.at.get(sid, ()):
            if ending is not None and not _ending_possible(story, roads, ending, sid, valuation):
                continue
            if after is not None:
                valuation = (valuation | (after.set_flags & names)) - after.clear_flags
            ranges, flags = _state_at(roads, sid, valuation, after)
            for block in blocks:
                can = _applies(roads, block, ranges, flags, cid)
                mark = seen.setdefault(id(block), [False, False])
                mark[0] |= can[0]
                mark[1] |= can[1]
            if must_show and empty_for is None and _can_be_empty(roads, blocks, ranges, flags, cid):
                empty_for = f"{cid}, by {len(roads.road((sid, valuation)))} steps"
    findings = []
    for block in conditional:
        if block.condition is None and block.only_for is None:
            continue
        mark = seen.get(id(block))
        if mark is None:
            continue
        label = f"'{block.condition.source}'" if block.condition is not None else "its 'for:'"
        if not mark[1]:
            findings.append(TextFinding(block.location, f"a block of {what} can never show: {label} never holds here",
                                        "remove it, or change its condition"))
        elif not mark[0] and not block.otherwise:
            findings.append(TextFinding(block.location, f"a block of {what} always shows: {label} always holds here",
                                        "drop the condition, or say what it was meant to tell apart"))
    if empty_for:
        findings.append(TextFinding(conditional[0].location, f"{what} can be empty for some runs ({empty_for})",
                                    "add an unconditional block, or an 'else:'"))
    return findings


def _block_conditions(blocks: tuple[Block, ...]):
    for b in blocks:
        if b.condition is not None:
            yield b.condition
        for p in b.parts + b.otherwise:
            if not isinstance(p, str):
                yield p.condition


def _state_at(roads: Roads, sid: str, valuation: Valuation,
              after: Choice | None) -> tuple[dict[int, tuple[int, int]], dict[str, Truth]]:
    """The bounds and flags a text is read under: on entering ``sid`` with ``valuation``, or,
    for a reply, once ``after`` (its choice) has been applied."""
    box, flags = roads.fix.scenes[sid].box, roads.flags_at(sid, valuation)
    if after is not None:
        box, flags = apply_choice(roads.story, after, box, flags)
    return dict(enumerate(box)), flags


def _applies(roads: Roads, block: Block, ranges: Mapping[int, tuple[int, int]],
             flags: Mapping[str, Truth], cid: str) -> Truth:
    """Whether ``block`` can be left out / shown for ``cid`` under these bounds."""
    if block.only_for is not None and cid not in block.only_for:
        return (True, False)
    if block.condition is None:
        return (False, True)
    return truth(roads.tree(block.condition.tree), ranges, flags, cid)


def _can_be_empty(roads: Roads, blocks: tuple[Block, ...], ranges: dict[int, tuple[int, int]],
                  flags: Mapping[str, Truth], cid: str) -> bool:
    """Whether every block can be empty at once, splitting the ranges at the thresholds read."""
    for box in _split(ranges, blocks):
        if all(_block_can_be_empty(roads, b, box, flags, cid) for b in blocks):
            return True
    return False


def _block_can_be_empty(roads: Roads, block: Block, box: Mapping[int, tuple[int, int]],
                        flags: Mapping[str, Truth], cid: str) -> bool:
    shown_blank = not any(p.strip() if isinstance(p, str) else (p.then.strip() or p.otherwise.strip())
                          for p in block.parts)
    other_blank = not any(p.strip() if isinstance(p, str) else (p.then.strip() or p.otherwise.strip())
                          for p in block.otherwise)
    if block.only_for is not None and cid not in block.only_for:
        return other_blank
    if block.condition is None:
        return shown_blank
    can_false, can_true = truth(roads.tree(block.condition.tree), box, flags, cid)
    return (can_true and shown_blank) or (can_false and other_blank)


def _split(ranges: dict[int, tuple[int, int]], blocks: tuple[Block, ...], limit: int = 256) -> Iterator[dict]:
    """Sub-boxes of ``ranges`` cut at every ``variable op number`` threshold the blocks read."""
    cuts: dict[int, set[int]] = {}
    for cond in _block_conditions(blocks):
        for n in e.walk(cond.tree):
            if isinstance(n, e.Compare) and isinstance(n.left, e.Var) and isinstance(n.right, e.Num):
                lo, hi = ranges[n.left.index]
                for c in (n.right.value, n.right.value + 1):
                    if lo < c <= hi:
                        cuts.setdefault(n.left.index, set()).add(c)
    pieces = []
    for index, points in cuts.items():
        lo, hi = ranges[index]
        edges = [lo] + sorted(points) + [hi + 1]
        pieces.append([(index, (a, b - 1)) for a, b in zip(edges, edges[1:])])
    count = 0
    for combo in itertools.product(*pieces):
        count += 1
        if count > limit:
            yield ranges
            return
        box = dict(ranges)
        box.update(dict(combo))
        yield box


# ---- into a check's problems ------------------------------------------------------------------

def check_continuity(story: Story, problems: Problems) -> list[Verdict]:
    """Prove every assumption and check every text block; add what is wrong to ``problems``."""
    if not story.assumptions() and not story.text_conditions():
        return []
    analysis = Analysis(story)
    verdicts = prove_assumptions(story, analysis)
    for v in verdicts:
        if v.status == "violated":
            road = v.witness or ()
            shown = ", ".join(f"{s}:{c}" for s, c in road[-3:])
            problems.error(v.location, f"{_name(v.where)} assumes '{v.source}', but {v.character} can arrive with it false: "
                           + (f"a run of {len(road)} choices ending {'... ' if len(road) > 3 else ''}{shown}" if road
                              else "at his start"),
                           "testament check --witness DIR writes it to a file; replay that with testament play --text --replay FILE")
        elif v.status == "unknown":
            problems.warning(v.location, f"could not prove that {_name(v.where)} may assume '{v.source}': {v.reason}")
    for finding in check_texts(story, analysis):
        problems.warning(finding.location, finding.message, finding.hint)
    return verdicts


def _name(where: str) -> str:
    return f"ending '{where[7:]}'" if where.startswith("ending:") else f"scene '{where}'"


def summary(verdicts: list[Verdict]) -> str:
    counts = {k: sum(v.status == k for v in verdicts) for k in ("proved", "violated", "unknown")}
    return f"assumptions: {counts['proved']} proved, {counts['violated']} violated, {counts['unknown']} unknown"
