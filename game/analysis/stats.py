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


# ---- reading time per chapter -----------------------------------------------------------

#: A chapter a class can read in one sitting: the classroom guide's aim, in minutes.
LESSON_MINUTES = 20
#: A natural break must be a scene at least this share of every character's runs pass through.
BREAK_REACH = 0.9


@frozen
class ChapterTime:
    """What one character's runs read, on average, in one chapter (a year of the story)."""

    #: The chapter's year, or ``ending`` for the ending's pages.
    chapter: str
    character: str
    #: Mean words of the scenes' titles and texts, the choices on offer and the replies.
    words: float
    #: Mean words of the scenes' historical notes and their sources, for a reader who opens them all.
    note_words: float
    #: Runs that entered the chapter.
    runs: int

    def minutes(self, wpm: float, notes: bool = False) -> float:
        return (self.words + (self.note_words if notes else 0.0)) / wpm


@frozen
class ChapterBreak:
    """A moment where a chapter can pause: a day of the story that every character's runs
    reach (in one of its scenes: ``1926-forest`` or the variants dated the same day), near
    the middle of the chapter's reading."""

    chapter: str
    #: The scene most runs enter on that day.
    scene: str
    #: The smallest share, over the characters, of runs that reach the day.
    reached: float
    #: Mean share of the chapter's words read before it (0.5 is the middle).
    position: float
    #: Every scene of that day the runs entered, most entered first.
    scenes: tuple[str, ...] = ()


def _scene_words(story: Story, view_: "object") -> tuple[int, int]:
    """(words, note words) a reader meets on arriving at a scene: its title, the reply of the
    choice that led there, its text, every choice on offer (and why a closed one is closed);
    the note and its sources."""
    v = view_
    words = count_words(v.scene.title) + count_words(v.reply) + count_words(v.text)
    words += sum(count_words(c.text) + count_words(c.locked) for c in v.choices)
    notes = count_words(v.note) + sum(count_words(s) for s in v.scene.note.sources) if v.note else 0
    return words, notes


def chapter_times(story: Story, runs: int = READING_RUNS, seed: int = READING_SEED,
                  characters: "list[str] | None" = None) -> tuple[list[ChapterTime], dict[str, ChapterBreak]]:
    """Mean reading per chapter and character over seeded random runs (the texts as each run
    renders them), and for each chapter a natural break: the scene every character's runs
    pass through (``BREAK_REACH``) nearest the middle of the chapter's reading."""
    from game.desktop.progress import span
    from game.engine.play import start, step, view

    sp = span(story)

    def chapter(scene_id: str) -> str:
        number = sp.chapter(story.scenes[scene_id].date)
        return str(sp.years[number - 1]) if number else "-"

    order = [str(y) for y in sp.years]
    times: list[ChapterTime] = []
    # chapter -> day -> character -> (runs reaching it, sum of positions)
    reach: dict[str, dict[str, dict[str, list[float]]]] = {}
    visited: dict[str, int] = {}
    for cid in characters or list(story.characters):
        total: dict[str, list[float]] = {}
        entered: dict[str, int] = {}
        count = 0
        for r in random_runs(story, cid, runs, seed):
            count += 1
            state = start(story, cid)
            per: dict[str, list[int]] = {}
            arrivals: list[tuple[str, str, int]] = []  # (chapter, scene, words read in the chapter before it)
            states = [state]
            for _, choice in r.path:
                state = step(story, state, choice)
                states.append(state)
            for st in states:
                v = view(story, st)
                ch = chapter(st.scene)
                acc = per.setdefault(ch, [0, 0])
                arrivals.append((ch, st.scene, acc[0]))
                w, n = _scene_words(story, v)
                acc[0] += w
                acc[1] += n
                if v.ending is not None:
                    e = per.setdefault("ending", [0, 0])
                    e[0] += count_words(v.ending_text) + count_words(v.epilogue) + count_words(v.history)
            for ch, (w, n) in per.items():
                t = total.setdefault(ch, [0.0, 0.0])
                t[0] += w
                t[1] += n
                entered[ch] = entered.get(ch, 0) + 1
            seen: set[tuple[str, str]] = set()
            for ch, sid, before in arrivals:
                day = story.scenes[sid].date
                visited[sid] = visited.get(sid, 0) + 1
                if (ch, day) in seen or ch not in per or not per[ch][0]:
                    continue
                seen.add((ch, day))
                cell = reach.setdefault(ch, {}).setdefault(day, {}).setdefault(cid, [0.0, 0.0])
                cell[0] += 1
                cell[1] += before / per[ch][0]
        for ch in order + ["ending"]:
            if ch in total:
                n = entered[ch]
                times.append(ChapterTime(ch, cid, total[ch][0] / n, total[ch][1] / n, n))
        reach.setdefault("_runs", {}).setdefault("_", {})[cid] = [float(count), 0.0]
    counts = {c: int(v[0]) for c, v in reach.pop("_runs", {}).get("_", {}).items()}
    breaks: dict[str, ChapterBreak] = {}
    for ch, scenes in reach.items():
        candidates = []
        for day, by in scenes.items():
            if len(by) < len(counts):
                continue  # a day some character never reaches is no break for a class
            share = min(by[c][0] / counts[c] for c in counts)
            position = sum(by[c][1] / by[c][0] for c in counts) / len(counts)
            if 0.15 <= position <= 0.85:
                same_day = sorted((sid for sid, sc in story.scenes.items() if sc.date == day and sid in visited),
                                  key=lambda sid: -visited[sid])
                candidates.append(ChapterBreak(ch, same_day[0], share, position, tuple(same_day)))
        # Near the middle among the scenes nearly every run passes; failing those, the most travelled.
        common = [b for b in candidates if b.reached >= BREAK_REACH]
        if common:
            breaks[ch] = min(common, key=lambda b: (abs(b.position - 0.5), -b.reached))
        elif candidates:
            breaks[ch] = max(candidates, key=lambda b: (round(b.reached, 2), -abs(b.position - 0.5)))
    return times, breaks
