"""Historical paths and chapter select: begin any chapter from the state history would give.

``historical.yaml`` in the story folder gives, for each character, a path of choices
through the whole campaign: in every scene his historical run passes through, the choice
closest to what the man really did, with a line saying why (``why``, the answer key a
teacher can read). Replaying that path from the character's start to the first scene of a
year gives the state a chapter begins from, so a class can start in 1925 with the forces
where history left them, not where someone guessed them::

    paths:
      zinoviev:
        - scene: 1923-zinoviev-start
          choice: troika-holds
          why: He and Kamenev stood by Stalin, who sent Lenin a grudging apology.

The file may also hold ``debrief:``, the paragraphs the "What in your story was real?"
page ends with (``game.classroom.real``). A chapter is a year of the story's dates, as the
window's chapter cards count them (``game.desktop.progress``): the January 1928 scenes
belong to 1927.

Writers edit the campaign while these paths stand, so a path is replayed step by step and
the first step that no longer fits is named, with what the story offers there instead
(``replay_path``, ``check``). Paths keep to choices without conditions where they can.
"""

from __future__ import annotations

from attrs import frozen

from game.classroom.aids import Fields, cached, paragraphs, trees
from game.engine.errors import Location, Problems, StepError
from game.engine.model import Story
from game.engine.play import State, available, start, step

FILE = "historical.yaml"
PATH_KEYS = {"scene", "choice", "why"}
TOP_KEYS = {"paths", "debrief"}


@frozen
class Step:
    """One step of a historical path: in ``scene``, the man really did what ``choice`` says."""

    scene: str
    choice: str
    #: Why this is the historical choice, in a line (dates and sources in brief).
    why: str
    location: Location = Location("")


@frozen
class HistoricalPath:
    """The documented historical run of one character."""

    character: str
    steps: tuple[Step, ...]
    location: Location = Location("")

    def step_at(self, scene: str) -> Step | None:
        for s in self.steps:
            if s.scene == scene:
                return s
        return None


@frozen
class Aids:
    """What ``historical.yaml`` holds: the paths by character, and the debrief's paragraphs."""

    paths: dict[str, HistoricalPath]
    debrief: tuple[str, ...] = ()


class PathError(ValueError):
    """A historical path no longer fits the story; ``number`` is the step (1-based) that stopped fitting."""

    def __init__(self, character: str, number: int, message: str, location: Location = Location("")):
        self.character, self.number, self.location = character, number, location
        super().__init__(message)


class ChapterError(ValueError):
    """A chapter cannot be started (no such year, no path for the character, a path that breaks)."""


def read(story: Story, problems: Problems) -> Aids:
    """Every folder's ``historical.yaml``: a mod may add paths for its own characters."""
    f = Fields(problems)
    paths: dict[str, HistoricalPath] = {}
    debrief: list[str] = []
    for tree in trees(story, FILE, problems):
        top = f.mapping(tree, getattr(tree, "loc", Location(FILE)), FILE)
        if top is None:
            continue
        f.keys(top, TOP_KEYS, FILE)
        if "debrief" in top:
            debrief += paragraphs(f.text(top, "debrief", FILE))
        by_character = f.mapping(top.get("paths"), top.where("paths"), "'paths'") if "paths" in top else None
        for who, raw in (by_character or {}).items():
            at = by_character.where_key(who)
            if who not in story.characters:
                from game.engine.errors import did_you_mean
                problems.error(at, f"no character '{who}' in this story", did_you_mean(str(who), story.characters))
                continue
            if who in paths:
                problems.error(at, f"a second historical path for '{who}' (the first is at {paths[who].location})")
                continue
            items = f.seq(raw, by_character.where(who), f"the historical path of '{who}'")
            if items is None:
                continue
            steps = []
            for i, item in enumerate(items):
                m = f.mapping(item, items.where(i), f"step {i + 1} of '{who}'")
                if m is None:
                    continue
                what = f"step {i + 1} of '{who}'"
                f.keys(m, PATH_KEYS, what)
                steps.append(Step(f.text(m, "scene", what), f.text(m, "choice", what), f.text(m, "why", what), m.loc))
            paths[who] = HistoricalPath(who, tuple(steps), at)
    return Aids(paths, tuple(debrief))


def aids(story: Story) -> Aids:
    """The story's historical paths and debrief, read once per loaded story."""
    return cached(story, FILE, read)


def path_for(story: Story, character: str) -> HistoricalPath | None:
    return aids(story).paths.get(character)


# ---- replaying ------------------------------------------------------------------------------

def replay_path(story: Story, path: HistoricalPath) -> list[State]:
    """Every state of the historical run, from the start to its ending.

    ``PathError`` names the first step that no longer fits: the scene the run is really
    in, the choice that is missing or closed (and its condition), what is on offer instead.
    """
    who = path.character
    state = start(story, who)
    states = [state]
    for number, s in enumerate(path.steps, 1):
        here = f"step {number} of the historical path of '{who}' ({s.scene}: {s.choice})"
        if state.ending is not None:
            raise PathError(who, number, f"{here}: the run has already ended, with '{state.ending}', at scene "
                                         f"'{state.scene}'; the path has {len(path.steps) - number + 1} step(s) too many",
                            s.location)
        if state.scene != s.scene:
            before = (f", where step {number - 1} ('{path.steps[number - 2].choice}' in "
                      f"'{path.steps[number - 2].scene}') now leads" if number > 1 else ", the character's start")
            raise PathError(who, number, f"{here}: the run is at scene '{state.scene}'{before}, not at '{s.scene}'; "
                                         f"its choices there: {', '.join(available(story, state))}", s.location)
        scene = story.scenes[state.scene]
        choice = scene.choice(s.choice)
        offered = available(story, state)
        if choice is None:
            raise PathError(who, number, f"{here}: scene '{scene.id}' has no choice '{s.choice}'; "
                                         f"on offer: {', '.join(offered)}", s.location)
        if s.choice not in offered:
            reason = ""
            if choice.only_for is not None and who not in choice.only_for:
                reason = f"it is only for {', '.join(sorted(choice.only_for))}"
            elif choice.condition is not None and not choice.condition(state):
                reason = f"its condition '{choice.condition.source}' is false in this run"
            elif choice.once:
                reason = "it can be taken only once and was taken before"
            raise PathError(who, number, f"{here}: the choice is not on offer now ({reason}); "
                                         f"on offer: {', '.join(offered)}", s.location)
        try:
            state = step(story, state, s.choice)
        except StepError as exc:  # pragma: no cover - available() said it was on offer
            raise PathError(who, number, f"{here}: {exc}", s.location) from None
        states.append(state)
    if state.ending is None:
        raise PathError(who, len(path.steps) + 1,
                        f"the historical path of '{who}' ends after step {len(path.steps)}, but the run goes on at "
                        f"scene '{state.scene}' (choices: {', '.join(available(story, state))})", path.location)
    return states


def historical_run(story: Story, character: str) -> list[State]:
    """The replayed historical run of ``character`` (``ChapterError`` if it has none or it breaks)."""
    path = path_for(story, character)
    if path is None:
        raise ChapterError(f"the story has no historical path for '{character}' (add one to {FILE})")
    try:
        return replay_path(story, path)
    except PathError as exc:
        raise ChapterError(f"{exc.location}: {exc}" if exc.location.path else str(exc)) from None


# ---- chapters -------------------------------------------------------------------------------

def chapters(story: Story) -> tuple[int, ...]:
    """The story's chapters: its years, as the window's chapter cards count them."""
    from game.desktop.progress import span
    return span(story).years


def chapter_of(story: Story, scene_id: str) -> int | None:
    """The chapter (a year) a scene belongs to, or None for an undated scene."""
    from game.desktop.progress import span
    sp = span(story)
    number = sp.chapter(story.scenes[scene_id].date)
    return sp.years[number - 1] if number else None


def chapter_start(story: Story, character: str, year: int) -> list[State]:
    """The historical run of ``character`` up to and including the first scene of chapter
    ``year``: the last state is where the chapter begins, the others what undo walks back to."""
    years = chapters(story)
    if year not in years:
        raise ChapterError(f"there is no chapter {year}; the chapters are {', '.join(str(y) for y in years)}")
    states = historical_run(story, character)
    for i, state in enumerate(states):
        if chapter_of(story, state.scene) == year:
            return states[: i + 1]
    raise ChapterError(f"the historical path of '{character}' never reaches {year}")


def check(story: Story, problems: Problems) -> None:
    """Every historical path must replay from its character's start to an ending."""
    found = read(story, problems)
    for path in found.paths.values():
        try:
            replay_path(story, path)
        except PathError as exc:
            problems.error(exc.location, str(exc), "choose a choice the story still offers there; "
                           "prefer one without conditions")
