"""The real-or-invented sorting worksheet and its answer key, made from the story's own marks.

Every scene's note says whether the scene departs from what really happened
(``note.counterfactual``). A *turn* is where a run can leave history: a choice in a
historical scene whose ``goto`` can lead straight into a counterfactual scene, on a branch
that depends on nothing but the forces and the character (a branch that needs a flag or a
visit follows a departure made earlier, so it is not a new one).

The worksheet pairs, for each year, one or two historical scenes where a turn can be taken
with an invented scene that turn leads to, and shuffles the cards: students sort them into
"really happened" and "invented by the game". The answer key says which is which, what
really happened instead (from the invented scene's note, with its sources), and, for every
turn in the story, which choices keep to history and which can leave it; where the story
folder holds the documented historical path of a character (``game.classroom.historical``),
the choice that man really made is named with the reason.

Because it is built from the story, a mod's scenes and a writer's new marks appear in it
the next time it is made (``testament teacher-kit``).
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict

from attrs import frozen

from game.dates import pretty_date
from game.engine import Story, start
from game.engine.expr import Flag, Visits, walk
from game.engine.model import Branch, Choice, Scene

#: Pairs of cards taken from each year.
PER_YEAR = 2
#: Words of a scene's text shown on its card.
CLUE_WORDS = 34


@frozen
class Turn:
    """In historical scene ``scene``, ``choice`` can lead into counterfactual scene ``target``."""

    scene: str
    choice: str
    target: str
    #: True when the way in depends on the forces (or the character); False when it always goes there.
    conditional: bool


@frozen
class Card:
    letter: str
    scene: Scene
    invented: bool
    clue: str


def _fresh(branch: Branch) -> bool:
    """A branch that depends on no flag and no visit: taking it is a new departure, not one made earlier."""
    return branch.condition is None or not any(isinstance(n, (Flag, Visits)) for n in walk(branch.condition.tree))


def turns(story: Story) -> list[Turn]:
    """Every turn out of history in ``story``, in the story's order."""
    out, seen = [], set()
    for scene in story.scenes.values():
        if scene.note.counterfactual:
            continue
        for choice in scene.choices:
            for branch in choice.goto:
                target = story.scenes.get(branch.target)
                key = (scene.id, choice.id, branch.target)
                if target is not None and target.note.counterfactual and _fresh(branch) and key not in seen:
                    seen.add(key)
                    out.append(Turn(scene.id, choice.id, branch.target, branch.condition is not None))
    return out


def _viewer(story: Story, scene: Scene) -> str:
    """A character who can see ``scene``: the first in the story's order."""
    for cid in story.characters:
        if scene.only_for is None or cid in scene.only_for:
            return cid
    return next(iter(story.characters))


def _render(story: Story, scene: Scene, text) -> str:
    """Text as a run of the scene's first character would show it at the start (no flags set)."""
    return " ".join(text.render(start(story, _viewer(story, scene))).split())


def _first_words(text: str, n: int) -> str:
    words = text.split()
    return " ".join(words[:n]) + (" …" if len(words) > n else "")


def _sentences(text: str, n: int) -> str:
    """The first ``n`` sentences, and one more for each that is a bare label ("Counterfactual.")."""
    parts = re.split(r"(?<=[.!?])\s+(?=[A-Z“\"(])", text.strip())
    short = sum(1 for p in parts[:n] if len(p.split()) < 4)
    return " ".join(parts[:n + short])


def _choice_text(story: Story, scene: Scene, choice: Choice) -> str:
    viewer = next((c for c in story.characters if choice.only_for is None or c in choice.only_for), _viewer(story, scene))
    return " ".join(choice.text.render(start(story, viewer)).split())


def _year(scene: Scene) -> str:
    return scene.date[:4]


def _stable(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def cards(story: Story, per_year: int = PER_YEAR) -> list[Card]:
    """The worksheet's cards: for each year, historical scenes where a turn can be taken and an
    invented scene each leads to, shuffled in a fixed order and lettered."""
    by_scene: dict[str, list[Turn]] = defaultdict(list)
    for t in turns(story):
        by_scene[t.scene].append(t)
    by_year: dict[str, list[str]] = defaultdict(list)
    for sid in by_scene:
        by_year[_year(story.scenes[sid])].append(sid)
    chosen: list[tuple[Scene, bool]] = []
    used: set[str] = set()
    for year in sorted(by_year):
        # Scenes every character can meet first, then those whose turn depends on the forces.
        ranked = sorted(by_year[year], key=lambda s: (story.scenes[s].only_for is not None,
                                                      not any(t.conditional for t in by_scene[s])))
        taken = 0
        for sid in ranked:
            options = [t for t in by_scene[sid] if t.target not in used and not story.scenes[t.target].resolve]
            if not options or sid in used:
                continue
            best = sorted(options, key=lambda t: (not t.conditional, list(story.scenes).index(t.target)))[0]
            chosen += [(story.scenes[sid], False), (story.scenes[best.target], True)]
            used |= {sid, best.target}
            taken += 1
            if taken == per_year:
                break
    chosen.sort(key=lambda c: _stable(c[0].id))
    out = []
    for i, (scene, invented) in enumerate(chosen):
        letter = chr(ord("A") + i) if i < 26 else f"A{chr(ord('A') + i - 26)}"
        out.append(Card(letter, scene, invented, _first_words(_render(story, scene, scene.text), CLUE_WORDS)))
    return out


def worksheet(story: Story) -> str:
    """The students' sheet, as Markdown."""
    lines = [f"# Real or invented? A sorting worksheet for {story.title}", "",
             "Name: ____________________  Character you played: ____________________", "",
             "Every card below is a scene from the game. Some happened; some were invented so that you "
             "could change history. Sort them. Use what you remember from your run, the scene's date, "
             "and the historical notes (key N in the window, `note` in the terminal).", "",
             "For each card, tick **Real** or **Invented**, and give one reason.", "",
             "| Card | Date | Scene | Real | Invented | Your reason |", "|---|---|---|---|---|---|"]
    for c in cards(story):
        lines.append(f"| {c.letter} | {pretty_date(c.scene.date)} | **{_md(c.scene.title)}**: {_md(c.clue)} | ☐ | ☐ | |")
    lines += ["", "## Then discuss", "",
              "1. Pick one card you sorted as invented. Which choice in the game led there, and what would "
              "have had to be different in 1923-27 for it to happen?",
              "2. Pick one card you sorted as real. How did you know? Name the source the note cites.",
              "3. The game lets you leave history at many points. Which departure seems most plausible to "
              "you, and which least? Why?", ""]
    return "\n".join(lines)


def answer_key(story: Story) -> str:
    """The teacher's answer key, as Markdown: each card, then every turn in the story."""
    lines = [f"# Answer key: Real or invented? ({story.title})", "",
             "Made from the story's own marks: a scene whose historical note says it departs from what "
             "really happened is *invented*; every other scene is *real* (its events happened, though "
             "the words the game gives the characters are mostly the writers').", "",
             "## The cards", "", "| Card | Scene | Answer | What really happened |", "|---|---|---|---|"]
    for c in cards(story):
        if c.invented:
            note = _sentences(_render(story, c.scene, c.scene.note.text), 2)
            src = "; ".join(c.scene.note.sources[:2])
            lines.append(f"| {c.letter} | {_md(c.scene.title)} ({pretty_date(c.scene.date)}) | **Invented** | "
                         f"{_md(note)}" + (f" *Sources: {_md(src)}.*" if src else "") + " |")
        else:
            lines.append(f"| {c.letter} | {_md(c.scene.title)} ({pretty_date(c.scene.date)}) | **Real** | "
                         f"{_md(_sentences(_render(story, c.scene, c.scene.note.text), 1))} |")
    lines += ["", "## Every turn in the story, and the historical choices", "",
              "Where a run can leave history: in each historical scene below, the choices marked "
              "*can leave history* may lead straight into an invented scene (some only when the hidden "
              "forces allow it); the others keep to what happened."]
    documented = _documented(story)
    if documented:
        lines.append(" Where the game records what the man really did, his choice is named, with the reason.")
    lines.append("")
    by_scene: dict[str, list[Turn]] = defaultdict(list)
    for t in turns(story):
        by_scene[t.scene].append(t)
    for sid, ts in by_scene.items():
        scene = story.scenes[sid]
        lines += [f"### {_md(scene.title)} ({pretty_date(scene.date)})", ""]
        leaving = defaultdict(list)
        for t in ts:
            leaving[t.choice].append(t)
        for choice in scene.choices:
            text = _md(_choice_text(story, scene, choice))
            who = _who(story, choice)
            if choice.id in leaving:
                targets = ", ".join(sorted({_md(story.scenes[t.target].title) for t in leaving[choice.id]}))
                when = " (when the forces allow)" if all(t.conditional for t in leaving[choice.id]) else ""
                lines.append(f"- *Can leave history*{when}: {text}{who} → {targets}")
            else:
                lines.append(f"- Keeps to history: {text}{who}")
            for character, why in documented.get((sid, choice.id), []):
                lines.append(f"  - **What {story.characters[character].name} really did.** {_md(why)}")
        lines.append("")
    return "\n".join(lines)


def _who(story: Story, choice: Choice) -> str:
    if choice.only_for is None or set(choice.only_for) >= set(story.characters):
        return ""
    names = [story.characters[c].name.split()[-1] for c in story.characters if c in choice.only_for]
    return f" *({', '.join(names)})*"


def _documented(story: Story) -> dict[tuple[str, str], list[tuple[str, str]]]:
    """(scene, choice) -> [(character, why)] from the story's historical paths, when it has them."""
    try:
        from game.classroom import historical
    except ImportError:
        return {}
    out: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for character in story.characters:
        try:
            path = historical.path_for(story, character)
        except Exception:  # a file being written, or one that does not fit the story: the key does without it
            path = None
        for step in (path.steps if path is not None else ()):
            out[(step.scene, step.choice)].append((character, step.why))
    return out


def _md(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return text.replace("|", "\\|").replace("\n", " ")
