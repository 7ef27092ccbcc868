"""Size and reading time of a story: scenes, choices, endings, words, minutes.

Word counts answer "how much has been written for this character?", so they count only
what he could ever be shown: scenes open to him (and reachable in the scene graph) in
his text variant, choices and replies visible to him, and every ending's text, epilogue
and history in his variant. Reading time answers "how long is one playthrough?", so it
is measured on seeded random runs rather than guessed from totals.
"""

from __future__ import annotations

import re
from collections import deque

from attrs import frozen

from game.analysis.randomplay import random_runs
from game.engine.model import Story, Text
from game.engine.play import CONTINUE

#: Adult silent reading speed: Brysbaert's meta-analysis (Journal of Memory and Language,
#: 2019) finds about 238 words a minute for non-fiction and 260 for fiction in English;
#: the story's scenes read as fiction, its notes as non-fiction.
WORDS_PER_MINUTE = 250
#: Random runs per character used to estimate reading time.
READING_RUNS = 200
READING_SEED = 1

_WORD = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")


def count_words(text: str) -> int:
    """Words in ``text``: runs of letters/digits, with inner apostrophes and hyphens ("don't", "1923-24")."""
    return len(_WORD.findall(text)) if text else 0


def text_words(text: Text, character: str | None) -> int:
    """Words of one variant (``character``), or of every variant when ``character`` is None."""
    if character is None:
        return sum(count_words(t) for t in text.all())
    return count_words(text.longest(character))


@frozen
class CharacterStats:
    """What one character can read, and how long a typical playthrough takes him."""

    character: str
    scenes: int
    choices: int
    words: int
    #: Mean words read per random playthrough.
    words_per_run: float
    reading_minutes: float


@frozen
class StoryStats:
    scenes: int
    choices: int
    endings: int
    #: Every word of every variant.
    words: int
    characters: tuple[CharacterStats, ...]


def scenes_open_to(story: Story, character: str) -> list[str]:
    """Scenes the character can enter as far as the graph goes (conditions ignored), in story order."""
    first = story.characters[character].start
    seen = {first}
    queue = deque([first])
    while queue:
        scene = story.scenes[queue.popleft()]
        targets = [b.target for c in scene.choices if c.only_for is None or character in c.only_for for b in c.goto]
        if scene.fallback:
            targets.append(scene.fallback)
        for t in targets:
            sc = story.scenes[t]
            if t not in seen and (sc.only_for is None or character in sc.only_for):
                seen.add(t)
                queue.append(t)
    return [sid for sid in story.scenes if sid in seen]


def _ending_words(story: Story, character: str | None) -> int:
    return sum(text_words(e.text, character) + text_words(e.epilogue, character) + text_words(e.history, character)
               for e in story.endings)


def total_words(story: Story) -> int:
    """Every word in every variant of every scene, choice, reply and ending."""
    n = _ending_words(story, None)
    for scene in story.scenes.values():
        n += text_words(scene.text, None)
        for c in scene.choices:
            n += text_words(c.text, None) + text_words(c.reply, None)
    return n


def character_words(story: Story, character: str) -> tuple[int, int, int]:
    """(scenes, choices, words) the character can possibly see."""
    scenes = scenes_open_to(story, character)
    words = _ending_words(story, character)
    choices = 0
    for sid in scenes:
        scene = story.scenes[sid]
        words += text_words(scene.text, character)
        for c in scene.choices:
            if c.only_for is None or character in c.only_for:
                choices += 1
                words += text_words(c.text, character) + text_words(c.reply, character)
    return len(scenes), choices, words


def mean_words_per_run(story: Story, character: str, runs: int = READING_RUNS, seed: int = READING_SEED) -> float:
    """Mean words read over seeded random runs: scenes entered, choices chosen, replies, the ending."""
    scene_words: dict[str, int] = {}
    choice_words: dict[tuple[str, str], int] = {}
    ending_words: dict[str, int] = {
        e.id: text_words(e.text, character) + text_words(e.epilogue, character) + text_words(e.history, character)
        for e in story.endings}

    def scene_w(sid: str) -> int:
        if sid not in scene_words:
            scene_words[sid] = text_words(story.scenes[sid].text, character)
        return scene_words[sid]

    def choice_w(key: tuple[str, str]) -> int:
        if key not in choice_words:
            c = story.scenes[key[0]].choice(key[1]) if key[1] != CONTINUE else None
            choice_words[key] = 0 if c is None else text_words(c.text, character) + text_words(c.reply, character)
        return choice_words[key]

    total = count = 0
    for r in random_runs(story, character, runs, seed):
        count += 1
        total += sum(scene_w(s) + choice_w((s, c)) for s, c in r.path) + scene_w(r.last_scene)
        if r.ending is not None:
            total += ending_words[r.ending]
    return total / count if count else 0.0


def story_stats(story: Story, runs: int = READING_RUNS, seed: int = READING_SEED) -> StoryStats:
    """Totals for the story and, per character, what he can read and how long a run takes."""
    per = []
    for cid in story.characters:
        scenes, choices, words = character_words(story, cid)
        mean = mean_words_per_run(story, cid, runs, seed)
        per.append(CharacterStats(cid, scenes, choices, words, mean, mean / WORDS_PER_MINUTE))
    return StoryStats(
        scenes=len(story.scenes),
        choices=sum(len(s.choices) for s in story.scenes.values()),
        endings=len(story.endings),
        words=total_words(story),
        characters=tuple(per),
    )
