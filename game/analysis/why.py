"""Why this ending: which force or act decided a finished run, and what the nearest other
ending needed that the run lacked.

A pure function of (story, final state). It reads the reached ending's condition and the
computed gotos the run took on its way to a resolution scene (the campaign's endings are
mostly ``visits(1927-end-x) > 0``, decided by a goto arm of the last congress), evaluates
every comparison against the values the run had at that moment, and phrases the result
with the variables' display names and the flags in words::

    Platform Victory needed the industrial workers and the Moscow organisation together
    at 150; you had 131.

Nothing here is specific to the campaign: a mod's endings and gotos are explained the
same way. Flags have no display names in the story format, so their words come from the
id (capitalised as the story's own text capitalises them) and from the title and date of
the scene where the run set them, or could have.
"""

from __future__ import annotations

import re
from typing import Any, Iterable, Mapping

import attrs
from attrs import frozen

from game.analysis.bounds import MIRROR
from game.analysis.witness import NEGATE, difference
from game.dates import pretty_date
from game.engine import expr as E
from game.engine.errors import StepError
from game.engine.model import Choice, Story
from game.engine.play import CONTINUE, State, available, choice_text, states_of, step

HEADING = "Why this ending"


@frozen
class Need:
    """One requirement of a condition, read against the run: a force, an act or a road.

    ``force``: the variables ``variables`` (summed with ``signs``) compared by ``op`` with
    ``target``; the run had ``had``. ``act``: the flag ``flag`` set (``wanted``) or not.
    ``road``: the scene ``scene`` passed through (``wanted``) or not.
    """

    kind: str
    met: bool
    variables: tuple[str, ...] = ()
    signs: tuple[int, ...] = ()
    op: str = ""
    target: int = 0
    had: int = 0
    flag: str = ""
    scene: str = ""
    wanted: bool = True

    @property
    def gap(self) -> int:
        """Points a force lacked (0 when met, and for acts and roads)."""
        if self.kind != "force" or self.met:
            return 0
        t, h = self.target, self.had
        return {">=": t - h, ">": t + 1 - h, "<=": h - t, "<": h - t + 1, "==": abs(h - t), "!=": 1}[self.op]


@frozen
class Alternative:
    """Another ending, and what the run lacked for it (``needs``: the unmet requirements)."""

    ending: str
    title: str
    needs: tuple[Need, ...]
    #: The scene of the choice whose goto could have led there; None for the run's last scene.
    at: str | None = None
    #: The other choice (as the player saw it) whose road it was, when not the run's own.
    instead: str = ""

    @property
    def acts(self) -> int:
        """Acts and roads the run did not take (or took, where the ending needed it not to)."""
        return sum(1 for n in self.needs if n.kind != "force")

    @property
    def points(self) -> int:
        return sum(n.gap for n in self.needs)


@frozen
class Why:
    """The explanation of a finished run, as data and as paragraphs a front end shows."""

    ending: str
    title: str
    #: The scene where the deciding choice was made, and that choice as the player saw it.
    scene: str
    choice: str
    #: The requirements the run met that carried it to this ending.
    carried: tuple[Need, ...]
    #: The nearest ending the run did not reach, with what it lacked.
    nearest: Alternative | None
    #: Endings whose way was also open at the deciding goto, but came later in its order.
    also: tuple[Alternative, ...]
    paragraphs: tuple[str, ...]


# ---- reading a condition against a state -------------------------------------------------

def _value(node: E.Node, state: Any, story: Story) -> Any:
    if isinstance(node, (E.Num, E.Str, E.Bool)):
        return node.value
    if isinstance(node, E.Var):
        return state.values[story.variable_index[node.name]]
    if isinstance(node, E.CharacterRef):
        return state.character
    if isinstance(node, E.Visits):
        return state.visits.get(node.scene, 0)
    if isinstance(node, E.Arith):
        a, b = _value(node.left, state, story), _value(node.right, state, story)
        return a + b if node.op == "+" else a - b
    raise TypeError(node)


def _compare(node: E.Compare, state: Any, story: Story, want: bool) -> Need | None | bool:
    """A comparison as a Need; True/False for what no choice changes (the character)."""
    op = node.op if want else NEGATE[node.op]
    holds = bool(E._COMPARE[op](_value(node.left, state, story), _value(node.right, state, story)))
    sides = (node.left, node.right)
    if any(isinstance(x, (E.CharacterRef, E.Str, E.Bool)) for x in sides):
        return holds
    for a, b, o in ((node.left, node.right, op), (node.right, node.left, MIRROR[op])):
        if isinstance(a, E.Visits) and isinstance(b, E.Num):
            visited = {">": b.value < 1, ">=": b.value <= 1, "!=": b.value == 0,
                       "==": b.value > 0, "<": b.value > 1, "<=": b.value >= 1}[o]
            return Need("road", holds, scene=a.scene, wanted=visited)
    diff = difference(node)
    if diff is None or not diff[0]:
        return holds
    terms, target = diff[0], -diff[1]
    if all(s < 0 for s in terms.values()):  # "100 - army >= 40" reads as "army <= 60"
        terms = {i: -s for i, s in terms.items()}
        target, op = -target, MIRROR[op]
    names = tuple(story.variables[i].id for i in terms)
    signs = tuple(terms.values())
    had = sum(s * state.values[i] for i, s in terms.items())
    return Need("force", holds, names, signs, op, target, had)


def missing(node: E.Node | None, state: Any, story: Story, want: bool = True) -> list[Need] | None:
    """The cheapest set of unmet requirements that would make ``node`` come out ``want``.

    ``[]`` when it already does; None when no run could make it so from here (another
    character's condition). Of the branches of an ``or`` the cheapest is kept: fewest acts,
    then fewest points.
    """
    if node is None:
        return []
    if isinstance(node, E.Bool):
        return [] if node.value == want else None
    if isinstance(node, E.Flag):
        have = node.name in state.flags
        return [] if have == want else [Need("act", False, flag=node.name, wanted=want)]
    if isinstance(node, E.Not):
        return missing(node.operand, state, story, not want)
    if isinstance(node, E.BoolOp):
        every = (node.op == "and") == want
        parts = [missing(x, state, story, want) for x in (node.left, node.right)]
        if every:
            if any(p is None for p in parts):
                return None
            return parts[0] + parts[1]
        options = [p for p in parts if p is not None]
        return min(options, key=_cost) if options else None
    if isinstance(node, E.Compare):
        need = _compare(node, state, story, want)
        if isinstance(need, bool):
            return [] if need else None
        return [] if need.met else [need]
    raise TypeError(node)


def carried(node: E.Node | None, state: Any, story: Story, want: bool = True) -> list[Need]:
    """The requirements the state meets that make ``node`` come out ``want`` (it must)."""
    if node is None or isinstance(node, E.Bool):
        return []
    if isinstance(node, E.Flag):
        return [Need("act", True, flag=node.name, wanted=want)]
    if isinstance(node, E.Not):
        return carried(node.operand, state, story, not want)
    if isinstance(node, E.BoolOp):
        every = (node.op == "and") == want
        out: list[Need] = []
        for x in (node.left, node.right):
            if missing(x, state, story, want) == []:
                out += carried(x, state, story, want)
                if not every:
                    return out
        return out
    if isinstance(node, E.Compare):
        need = _compare(node, state, story, want)
        return [] if isinstance(need, bool) else [need]
    raise TypeError(node)


def _cost(needs: Iterable[Need]) -> tuple[int, int]:
    needs = list(needs)
    return (sum(1 for n in needs if n.kind != "force"), sum(n.gap for n in needs))


# ---- the probe states a goto and an ending are read in -----------------------------------

class _Probe:
    __slots__ = ("character", "values", "flags", "visits")

    def __init__(self, character: str, values: tuple[int, ...], flags: frozenset[str], visits: Mapping[str, int]):
        self.character, self.values, self.flags, self.visits = character, values, flags, visits


def _visiting(state: Any, scene: str, delta: int) -> _Probe:
    visits = dict(state.visits)
    visits[scene] = max(0, visits.get(scene, 0) + delta)
    return _Probe(state.character, state.values, state.flags, visits)


def _taken_arm(choice: Choice, probe: Any) -> int:
    for i, branch in enumerate(choice.goto):
        if branch.condition is None or branch.condition.test(probe):
            return i
    return len(choice.goto) - 1


def _ending_at(story: Story, probe: Any) -> str | None:
    for ending in story.endings:
        if ending.condition is None or ending.condition.test(probe):
            return ending.id
    return None


# ---- the explanation ---------------------------------------------------------------------

def explain(story: Story, state: State) -> Why | None:
    """Why ``state``'s run ended as it did; None while it has not ended."""
    if state.ending is None:
        return None
    ending = story.ending(state.ending)
    assert ending is not None
    states = _history(story, state)
    path = list(state.path)
    final = state
    here = state.scene
    order = {e.id: i for i, e in enumerate(story.endings)}
    reached = order[ending.id]

    # What carried it: the ending's own condition, and the goto arm that led into this scene.
    needs = carried(ending.condition.tree if ending.condition else None, final, story)
    needs = [n for n in needs if not (n.kind == "road" and n.scene == here)]
    scene_id, choice_said, decisive = here, "", None
    if path:
        scene_id, choice_id = path[-1]
        before = states[-2] if states else attrs.evolve(state, scene=scene_id, ending=None)
        choice_said = choice_text(story, before, choice_id)
        decisive = story.scenes[scene_id].choice(choice_id) if choice_id != CONTINUE else None
        if decisive is not None and any(b.condition is not None for b in decisive.goto):
            probe = _visiting(final, here, -1)
            arm = decisive.goto[_taken_arm(decisive, probe)]
            if arm.condition is not None:
                needs = carried(arm.condition.tree, probe, story) + needs
    # A flag the deciding choice set is that choice, which the paragraph already quotes; a
    # scene the run did not pass through is no reason worth a sentence.
    said = decisive.set_flags if decisive is not None else frozenset()
    needs = [n for n in _unique(needs) if not (n.kind == "act" and n.wanted and n.flag in said)
             and not (n.kind == "road" and not n.wanted)]

    # The alternatives: the arms of every computed goto the run took that could have led to
    # a resolution; the arms of the other choices open at the deciding scene; and the endings
    # ranked above this one at the scene where the run ended.
    alternatives: dict[str, Alternative] = {}
    also: dict[str, Alternative] = {}

    def offer(alt: Alternative) -> None:
        old = alternatives.get(alt.ending)
        if old is None or _rank(alt, order) < _rank(old, order):
            alternatives[alt.ending] = alt

    def arms(choice: Choice, sid: str, after: State, instead: str = "") -> None:
        probe = _visiting(after, after.scene, -1)
        taken = _taken_arm(choice, probe)
        for i, arm in enumerate(choice.goto):
            target = story.scenes.get(arm.target)
            if (i == taken and not instead) or target is None or not target.resolve:
                continue
            arm_needs = missing(arm.condition.tree if arm.condition else None, probe, story)
            if arm_needs is None:
                continue
            there = _visiting(probe, arm.target, +1)
            if i > taken and not instead:
                # A later arm never gets its turn; name it only if its own condition held too.
                if arm.condition is not None and arm_needs == []:
                    other = _ending_at(story, there)
                    if other is not None and other != ending.id:
                        also.setdefault(other, Alternative(other, story.ending(other).title, (), sid))
                continue
            # The ending this arm would have given: the first that holds there once the forces
            # are met (an ending that needs an act the run never took would fail all the same).
            for other in story.endings:
                other_needs = missing(other.condition.tree if other.condition else None, there, story)
                if other_needs is None or _cost(other_needs)[0]:
                    continue
                if other.id != ending.id:
                    offer(Alternative(other.id, other.title, tuple(_unique(arm_needs + other_needs)), sid, instead))
                break

    # A run whose path replays reads every goto it took, in the state of that moment; a state
    # made by hand (``play --from SCENE --set ...``) only its last, in the state it ended in.
    taken = enumerate(path) if states else [(len(path) - 1, path[-1])] if path else []
    for k, (sid, cid) in taken:
        choice = story.scenes[sid].choice(cid) if cid != CONTINUE else None
        if choice is not None and any(b.condition is not None for b in choice.goto):
            arms(choice, sid, states[k + 1] if states else final)
    if path and states:
        before = states[-2]
        for cid in available(story, before):
            choice = story.scenes[scene_id].choice(cid) if cid not in (CONTINUE, path[-1][1]) else None
            if choice is not None and any(b.condition is not None for b in choice.goto):
                arms(choice, scene_id, step(story, before, cid), choice_text(story, before, cid))

    # Endings ranked above this one at the scene where the run ended, that only lacked force.
    for other in story.endings[:reached]:
        other_needs = missing(other.condition.tree if other.condition else None, final, story)
        if other_needs and not _cost(other_needs)[0]:
            offer(Alternative(other.id, other.title, tuple(_unique(other_needs)), None))

    nearest = min(alternatives.values(), key=lambda a: _rank(a, order), default=None)
    also_list = tuple(sorted(also.values(), key=lambda a: order[a.ending]))
    why = Why(ending.id, ending.title, scene_id, choice_said, tuple(needs), nearest, also_list, ())
    return Why(why.ending, why.title, why.scene, why.choice, why.carried, why.nearest, why.also,
               tuple(_paragraphs(story, state, states, why)))


def _history(story: Story, state: State) -> list[State] | None:
    """Every state of the run, by replaying its path; None when the path does not lead to
    ``state`` (a state made by hand for testing, whose values were set after its road)."""
    try:
        states = states_of(story, state)
    except StepError:
        return None
    last = states[-1]
    if (last.scene, last.values, last.flags) != (state.scene, state.values, state.flags):
        return None
    return states


def _rank(alt: Alternative, order: Mapping[str, int]) -> tuple[int, bool, int, int]:
    """Nearest first: fewest acts lacking, then the run's own road before another choice,
    then fewest points, then the story's order of endings."""
    return (alt.acts, bool(alt.instead), alt.points, order[alt.ending])


def _unique(needs: Iterable[Need]) -> list[Need]:
    out: list[Need] = []
    for n in needs:
        if n not in out:
            out.append(n)
    return out


# ---- words -------------------------------------------------------------------------------

def _paragraphs(story: Story, state: State, states: list[State] | None, why: Why) -> list[str]:
    words = _Words(story, state, states)
    out = []
    scene = story.scenes[why.scene]
    when = pretty_date(scene.date)
    where = f"“{scene.title}”" + (f" ({when})" if when else "")
    if why.choice:
        first = f"It was decided at {where}, when you chose: {_sentence(why.choice)}"
    else:
        first = f"It was decided at {where}."
    acts = [n for n in why.carried if n.kind != "force"]
    forces = [n for n in why.carried if n.kind == "force"]
    reasons = [words.act(n) for n in acts] + [words.force_met(n) for n in forces]
    if reasons:
        first += f" What carried it: {_join(reasons)}."
    ending = story.ending(why.ending)
    if ending is not None and ending.condition is None:
        first += " The conditions of every other ending failed."
    out.append(first)
    if why.nearest is not None:
        out.append(f"The nearest other ending, {why.nearest.title}, {words.lacked(why.nearest)}")
    for alt in why.also:
        out.append(f"{alt.title} was within reach too, but {why.title} comes first.")
    return out


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    return text if text[-1:] in ".!?”\"" else text + "."


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


_OPS = {">=": "at {t}", ">": "above {t}", "<=": "at {t} or less", "<": "below {t}", "==": "at exactly {t}",
        "!=": "anywhere but {t}"}
_MET = {">=": "{t} needed", ">": "more than {t} needed", "<=": "{t} or less needed", "<": "less than {t} needed",
        "==": "exactly {t} needed", "!=": "anything but {t} needed"}


class _Words:
    """Display names for variables, flags and scenes, as this story and this run give them."""

    def __init__(self, story: Story, state: State, states: list[State] | None):
        self.story = story
        self.state = state
        self.states = states
        self._caps: dict[str, bool] | None = None

    def variable(self, name: str) -> str:
        shown = self.story.variable(name).name or name.replace("_", " ")
        return shown[0].lower() + shown[1:] if shown.startswith(("The ", "A ", "An ")) else shown

    def forces(self, need: Need) -> str:
        names = [self.variable(v) for v in need.variables]
        if len(names) == 1 and need.signs[0] == 1:
            return names[0]
        if all(s == 1 for s in need.signs):
            return _join(names) + " together"
        parts = [names[0] if need.signs[0] == 1 else f"minus {names[0]}"]
        for n, s in zip(names[1:], need.signs[1:]):
            parts.append(f"{'plus' if s == 1 else 'less'} {n}")
        return " ".join(parts)

    def force_met(self, need: Need) -> str:
        return f"{self.forces(need)} at {need.had} ({_MET[need.op].format(t=need.target)})"

    def lacked(self, alt: Alternative) -> str:
        """What ``alt`` needed that the run lacked, to follow "The nearest other ending, X, "."""
        forces = [n for n in alt.needs if n.kind == "force"]
        wants = [self.act(n) for n in alt.needs if n.kind != "force"]
        wants += [f"{self.forces(n)} {_OPS[n.op].format(t=n.target)}" for n in forces]
        had = "; you had " + _join([str(n.had) for n in forces]) if forces else ""
        if alt.instead:
            scene = self.story.scenes[alt.at] if alt.at else None
            where = f" at “{scene.title}”" if scene else ""
            text = f"lay behind another choice{where}: {_sentence(alt.instead)}"
            if not wants:
                return text + " The run had all it needed for it."
            return f"{text} Then it needed {_join(wants)}{had.replace('you had', 'you would have had')}."
        if not wants:
            return "needed nothing the run lacked."
        return f"needed {_join(wants)}{had}."

    def act(self, need: Need) -> str:
        if need.kind == "road":
            scene = self.story.scenes.get(need.scene)
            title = f"“{scene.title}”" if scene else need.scene
            return f"passing through {title}" if need.wanted else f"not passing through {title}"
        label = f"“{self.flag_words(need.flag)}”"
        if not need.wanted:
            return f"no {label}"
        where = self.where_set(need.flag)
        return f"{label} ({where})" if where else label

    def where_set(self, flag: str) -> str:
        """The scene and date where the run set ``flag``, or the first scene that can set it;
        nothing when the run's last choice set it (the paragraph has just named that scene)."""
        path = self.state.path
        for k, (sid, cid) in enumerate(path if self.states else ()):
            before, after = self.states[k], self.states[k + 1]
            if flag in after.flags and flag not in before.flags:
                return "" if k == len(path) - 1 else self._scene_words(sid)
        if flag in self.story.characters[self.state.character].flags:
            return "from the start"
        places = sorted((s.date, s.id) for s in self.story.scenes.values()
                        for c in s.choices if flag in c.set_flags
                        and (s.only_for is None or self.state.character in s.only_for)
                        and (c.only_for is None or self.state.character in c.only_for))
        if not places:
            places = sorted((s.date, s.id) for s in self.story.scenes.values() for c in s.choices if flag in c.set_flags)
        return self._scene_words(places[0][1]) if places else ""

    def _scene_words(self, scene_id: str) -> str:
        scene = self.story.scenes[scene_id]
        when = pretty_date(scene.date[:7])
        return f"{scene.title}, {when}" if when else scene.title

    def flag_words(self, flag: str) -> str:
        """``german_october_won`` as "German October won": the id's words, capitalised as the
        story's own prose capitalises them in mid-sentence."""
        caps = self._capitals()
        words = flag.split("_")
        out = [w.capitalize() if caps.get(w) else w for w in words]
        text = " ".join(out)
        return text[0].upper() + text[1:] if text else text

    def _capitals(self) -> dict[str, bool]:
        if self._caps is None:
            lower: dict[str, int] = {}
            upper: dict[str, int] = {}
            texts = [t for text, _ in self.story.texts() for t in text.all()]
            texts += [s.title for s in self.story.scenes.values()]
            for text in texts:
                for m in _WORD.finditer(text):
                    w = m.group(0)
                    if w.islower():
                        lower[w] = lower.get(w, 0) + 1
                    elif w[0].isupper() and w[1:].islower() and _MID.match(text, max(0, m.start() - 2)):
                        upper[w.lower()] = upper.get(w.lower(), 0) + 1
            self._caps = {w: upper.get(w, 0) > lower.get(w, 0) for w in set(upper)}
        return self._caps


_WORD = re.compile(r"[A-Za-z]+")
#: What comes before a word in mid-sentence: a lower-case letter or a comma, then a space.
_MID = re.compile(r"[a-z,;] ")
