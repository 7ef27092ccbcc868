"""``testament new-mod DIR``: a small mod that works, to start a branch from.

The mod adds one choice to a campaign scene (with ``extend:``) and one new scene it leads
to, whose choice rejoins the campaign; the scene has a historical note with a source,
each file begins with the ``# yaml-language-server: $schema=`` line that lets an editor
complete and check keys (the schemas are written beside them, in ``schemas/``), and
``tests/`` holds a story test that plays the new road. It is written for the story as it
is now: a character's first scene and one of its exits are chosen, the result is loaded,
checked with ``--strict``'s rules and its test run, and only a mod that passes all three
is written (else the next character is tried).
"""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

from game.engine.model import Story

MANIFEST = "story.yaml"
SCENES = "scenes.yaml"
TESTS = "tests/new-road.yaml"


class NewModError(ValueError):
    """The mod cannot be written (the folder is in use, or no mod passes the checks)."""


def mod_id(folder: Path) -> str:
    """An id for the mod from its folder's name: lower case letters, digits and hyphens."""
    ident = re.sub(r"[^a-z0-9]+", "-", folder.resolve().name.lower()).strip("-")
    return ident or "my-mod"


def new_mod(folder: Path, story_folder: Path, *, character: str | None = None) -> list[Path]:
    """Write a working mod for the story in ``story_folder`` into ``folder``; the files written."""
    from game import schema
    from game.engine.loader import load_story
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise NewModError(f"{folder} already exists and is not an empty folder; give a new folder's name")
    story = load_story(story_folder)
    ident = mod_id(folder)
    cids = [character] if character else list(story.characters)
    if character and character not in story.characters:
        from game.engine.errors import did_you_mean
        hint = did_you_mean(character, story.characters)
        raise NewModError(f"no character '{character}' in this story{'; ' + hint if hint else ''} "
                          f"(choose from {', '.join(story.characters)})")
    why = "the story has no character whose first scene has choices"
    for cid in cids:
        for files in _candidates(story, cid, ident):
            with tempfile.TemporaryDirectory(prefix="new-mod-") as tmp:
                trial = Path(tmp) / ident
                _write(trial, files, schema)
                why = _passes(story_folder, trial)
                if why:
                    continue
                folder.mkdir(parents=True, exist_ok=True)
                written = []
                for path in sorted(trial.rglob("*")):
                    if path.is_file():
                        target = folder / path.relative_to(trial)
                        target.parent.mkdir(parents=True, exist_ok=True)
                        shutil.copyfile(path, target)
                        written.append(target)
                return written
    raise NewModError(f"could not make a mod that passes check for this story: {why}")


def _write(folder: Path, files: dict[str, str], schema) -> None:
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for kind, name in schema.FILE_NAMES.items():
        (folder / "schemas").mkdir(parents=True, exist_ok=True)
        (folder / "schemas" / name).write_text(schema.dumps(kind), encoding="utf-8")


def _passes(story_folder: Path, mod: Path) -> str:
    """Why the mod fails ``check --strict`` or its own test, or ``""`` when it passes both."""
    from game.analysis.storytests import run_tests, story_test_files
    from game.compiled import load_checked
    from game.engine.errors import Problems
    story, problems = load_checked([story_folder, mod])
    if story is not None:
        try:
            from game.classroom.aids import check_aids  # what 'testament check' adds for the classroom
        except ImportError:  # pragma: no cover - the classroom tools are optional here
            check_aids = None
        if check_aids is not None:
            check_aids(story, problems)
    bad = [p for p in problems.items if p.severity in ("error", "warning")]
    if story is None or bad:
        return str(bad[0]) if bad else "it does not load"
    tested = Problems()
    outcomes = run_tests(story, story_test_files([mod]), tested)
    failed = [o for o in outcomes if not o.passed]
    if tested.errors or failed or not outcomes:
        return str(tested.errors[0]) if tested.errors else f"its test fails: {failed[0].failures if failed else 'none ran'}"
    return ""


def _candidates(story: Story, cid: str, ident: str):
    """The files of a mod branching from ``cid``'s first scene, one for each plain exit."""
    from game.engine.play import start, view
    first = story.scenes[story.characters[cid].start]
    if first.resolve:
        return
    place = ", ".join(view(story, start(story, cid)).place.split(", ")[:2]) or "Moscow"  # the city and the building
    names = [v.id for v in story.variables]
    if not names:
        return
    one, two = names[0], names[1 % len(names)]
    year = (first.date or "1923")[:4]
    scene_id = f"{year}-{ident}"
    if scene_id in story.scenes:
        scene_id = f"{year}-{ident}-branch"
    exits = []
    for choice in first.choices:
        if choice.only_for is not None and cid not in choice.only_for:
            continue
        for branch in choice.goto:
            if branch.condition is None and branch.target not in exits:
                exits.append(branch.target)
    for target in exits:
        yield _files(story, cid, ident, first.id, first.date or year, place, scene_id, target, one, two)


def _q(text: str) -> str:
    """Text as a YAML double-quoted scalar."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _files(story: Story, cid: str, ident: str, branch_from: str, date: str, place: str, scene_id: str,
           rejoin: str, one: str, two: str) -> dict[str, str]:
    who = story.characters[cid].name
    title = ident.replace("-", " ").capitalize()
    detour, back = f"{ident}-detour", "back-to-the-road"
    manifest = f"""\
# yaml-language-server: $schema=schemas/story.schema.json
# A mod for {story.title}, made by `testament new-mod`: one new choice in the
# scene '{branch_from}', and one new scene it leads to, '{scene_id}', whose choice
# rejoins the story at '{rejoin}'. From the folder that holds this one:
#   testament check --strict --mod {ident}     check it with the campaign (warnings fail too)
#   testament play --text --mod {ident} --character {cid}
#   testament test --mod {ident}               run its story tests (tests/*.yaml)
#   testament map --mod {ident} -o map.html    see where it sits in the story
# The format is in docs/story-format.md and the workflow in docs/authoring.md
# (testament new-mod prints where they are installed).
mod: true
id: {ident}
title: {_q(title)}
version: 1
files: [{SCENES}]
"""
    scenes = f"""\
# yaml-language-server: $schema=schemas/scenes.schema.json
# Your branch. 'extend' adds choices to a scene of the campaign without touching its
# files; 'scenes' holds your own. Every id must be new; every goto names a scene.
extend:
  - scene: {branch_from}
    choices:
      - id: {detour}
        for: [{cid}]
        text: Put everything down for an hour and walk the corridors, to hear what is being said.
        effects: {{ {one}: +1 }}
        goto: {scene_id}

scenes:
  - id: {scene_id}
    date: {date}
    place: {_q(place)}
    title: An hour in the corridors
    for: [{cid}]
    text: |
      This is your scene. Write here what {who} sees and hears, in the second person and the present tense, in short paragraphs.

      A blank line starts a new paragraph. The choices below are what the player can do next.
    note:
      text: |
        The historical note: say what really happened at this date, and, since this scene is invented, how it departs from it ('counterfactual: true' marks it so for the reader). Name your sources below, author, title and year.
      sources:
        - "E. H. Carr, The Interregnum, 1923-1924 (1954)"
      counterfactual: true
    choices:
      - id: {back}
        text: Go back to your desk; what you heard will keep.
        effects: {{ {two}: +1 }}
        goto: {rejoin}
"""
    tests = f"""\
# Story tests of this mod: testament test --mod {ident}
# A test plays a path (scene:choice a line) as a character and says what must hold.
tests:
  - name: {cid} can take the new road and rejoin the story
    character: {cid}
    path:
      - {branch_from}:{detour}
      - {scene_id}:{back}
    expect:
      visited: [{scene_id}]
      scene: {rejoin}
      text: [This is your scene]
"""
    return {MANIFEST: manifest, SCENES: scenes, TESTS: tests}


def add_parser(sub) -> None:
    p = sub.add_parser("new-mod", help="write a small working mod into DIR, to start a branch from")
    p.add_argument("folder", type=Path, metavar="DIR", help="the new mod's folder (it must not exist, or be empty)")
    p.add_argument("--story", type=Path, help="the story the mod is for (default: the bundled campaign)")
    p.add_argument("--character", help="the character whose first scene the mod branches from")


def run(args, out, err) -> int:
    from game.paths import docs_dir, story_dir
    try:
        written = new_mod(args.folder, args.story or story_dir(), character=args.character)
    except NewModError as exc:
        err.write(f"testament: {exc}\n")
        return 2
    for path in written:
        out.write(f"{path}\n")
    story = f" {args.story}" if args.story else ""
    play = f" --story {args.story}" if args.story else ""
    out.write(f"A mod that passes check --strict is in {args.folder}. Next:\n"
              f"  testament check --strict{story} --mod {args.folder}\n"
              f"  testament play --text{play} --mod {args.folder}\n"
              f"  testament test{story} --mod {args.folder}\n"
              f"The story format and the authoring guide: {docs_dir()}\n")
    return 0
