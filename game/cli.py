"""The ``testament`` command: play, check, playtest and measure stories.

All console output of the tools goes through here. Every expected failure (a broken
story, a bad save, a wrong argument) ends with a message and exit status 2, never with
a traceback.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Sequence, TextIO

from game.compiled import load_checked
from game.engine.errors import Problems, StoryLoadError, blame
from game.engine.model import Story
from game.paths import story_dir

EXIT_OK, EXIT_WARNINGS, EXIT_ERRORS = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="testament", description="Lenin's Testament: play the game, or check and measure stories.")
    p.add_argument("--replay", dest="top_replay", type=Path, metavar="FILE",
                   help="open the game at the end of the run in FILE (see testament play --replay)")
    p.add_argument("--author", dest="top_author", action="store_true",
                   help="the window with the author's tools: live reload, the debug overlay (F3), jump to scene (F4)")
    sub = p.add_subparsers(dest="command")

    play = sub.add_parser("play", help="play the story (in a window, or with --text in the terminal)")
    play.add_argument("--text", action="store_true", help="play in the terminal instead of a window")
    play.add_argument("--character", help="the character to play (an id such as trotsky)")
    play.add_argument("--story", type=Path, help="story folder (default: the bundled campaign)")
    play.add_argument("--mod", type=Path, action="append", default=[], help="a mod folder to add (may be repeated)")
    play.add_argument("--author", action="store_true",
                      help="in the window: live reload, the debug overlay (F3) and jump to scene (F4), for authors")
    play.add_argument("--replay", type=Path, metavar="FILE",
                      help="play the steps in FILE (a choice id or scene:choice a line), then go on from there")
    play.add_argument("--chapter", type=int, metavar="YEAR",
                      help="begin the chapter of YEAR (1923-1927), in the state the character's historical path gives "
                           "there (needs --character)")
    play.add_argument("--from", dest="from_scene", metavar="SCENE",
                      help="start at SCENE, in the state of the shortest run found to it (for testing a branch)")
    play.add_argument("--set", dest="set_values", action="append", default=[], metavar="NAME=VALUE",
                      help="with --from: give a variable this value (may be repeated)")
    play.add_argument("--flag", dest="set_flags", action="append", default=[], metavar="NAME",
                      help="with --from: set this flag (may be repeated)")
    play.add_argument("--no-flag", dest="clear_flags", action="append", default=[], metavar="NAME",
                      help="with --from: clear this flag (may be repeated)")

    check = sub.add_parser("check", help="validate story folders (a story, then its mods)")
    check.add_argument("dirs", nargs="*", type=Path, help="story folder, then any mod folders (default: the campaign)")
    check.add_argument("--strict", action="store_true", help="exit 1 when there are warnings")
    check.add_argument("--witness", type=Path, metavar="DIR",
                       help="write each violated assumption's witness run to DIR, as a file --replay reads")

    pt = sub.add_parser("playtest", help="random or exhaustive playthroughs: endings, coverage, witnesses")
    pt.add_argument("dirs", nargs="*", type=Path, help="story folder, then any mod folders (default: the campaign)")
    pt.add_argument("--random", type=int, metavar="N", help="play N random runs per character")
    pt.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    pt.add_argument("--character", help="only this character")
    pt.add_argument("--exhaustive", action="store_true", help="prove which endings each character can reach")
    pt.add_argument("--max-states", type=int, default=2_000_000, help="state limit of the exhaustive search")
    pt.add_argument("--time-limit", type=float, default=55.0, help="seconds the exhaustive search may take")
    pt.add_argument("--reach", metavar="SCENE", help="who can reach SCENE, a shortest witness run for each (to --replay), "
                    "and how often random play enters it")

    sc = sub.add_parser("schema", help="print the JSON Schema of scene files or of story.yaml, for editor completion")
    sc.add_argument("kind", nargs="?", choices=["scenes", "manifest"], default="scenes",
                    help="scenes (scene files, the default) or manifest (story.yaml)")
    sc.add_argument("--write", type=Path, metavar="DIR", help="write both schemas into DIR instead of printing one")

    mp = sub.add_parser("map", help="write a map of the story (a timeline of scenes and choices) as an HTML page")
    mp.add_argument("dirs", nargs="*", type=Path, help="story folder, then any mod folders (default: the campaign)")
    mp.add_argument("-o", "--output", type=Path, default=Path("story-map.html"), help="the page to write (default story-map.html)")

    tt = sub.add_parser("test", help="run the story tests in each folder's tests/*.yaml")
    tt.add_argument("dirs", nargs="*", type=Path, help="story folder, then any mod folders (default: the campaign)")

    st = sub.add_parser("stats", help="scenes, choices, words, reading time, minutes per chapter")
    st.add_argument("dirs", nargs="*", type=Path, help="story folder, then any mod folders (default: the campaign)")
    st.add_argument("--wpm", type=_reading_speed, metavar="N",
                    help="reading speed in words a minute for the minutes (default 250, an adult's; 150 suits a 15-year-old)")

    from game.authoring import folders, newmod
    for tool in (check, pt, mp, tt, st):
        folders.add_mod_option(tool)
    newmod.add_parser(sub)
    from game.web import command as web_command
    web_command.add_parser(sub)
    from game.classroom import kit as teacher_kit, report as class_report
    class_report.add_parser(sub)
    teacher_kit.add_parser(sub)
    return p


def report(problems: Problems, out: TextIO) -> None:
    ordered = sorted(problems.items, key=lambda p: (p.location.path, p.location.line, p.location.column))
    for problem in ordered:
        out.write(f"{_printable(str(problem))}\n")


def load_for_tool(dirs: Sequence[Path], err: TextIO, continuity: bool = False) -> Story | None:
    """Load folders for a tool; print every error and return None when it fails.

    Only ``check`` (and what must pass it) proves the assumptions: playing and measuring do not need it."""
    story, problems = load_checked(dirs or [story_dir()], continuity=continuity)
    if story is None:
        report(problems, err)
        err.write(f"{len(problems.errors)} error(s); the story cannot be loaded.\n")
    return story


def cmd_check(args: argparse.Namespace, out: TextIO) -> int:
    dirs = args.dirs or [story_dir()]
    story, problems = load_checked(dirs)
    if story is not None:  # the glossary, timeline and historical paths kept beside the story
        from game.classroom.aids import check_aids
        check_aids(story, problems)
    report(problems, out)
    errors, warnings = len(problems.errors), len(problems.warnings)
    name = ", ".join(str(d) for d in dirs)
    if story is not None:
        choices = sum(len(s.choices) for s in story.scenes.values())
        summary = f"{name}: {len(story.scenes)} scenes, {choices} choices, {len(story.endings)} endings"
    else:
        summary = name
    if story is not None and args.witness is not None:
        _write_witnesses(story, args.witness, out, dirs)
    if errors:
        out.write(f"{summary}: {errors} error(s), {warnings} warning(s)\n")
        return EXIT_ERRORS
    if warnings:
        out.write(f"{summary}: {warnings} warning(s)\n")
        return EXIT_WARNINGS if args.strict else EXIT_OK
    out.write(f"{summary}: no problems\n")
    return EXIT_OK


def _write_witnesses(story: Story, folder: Path, out: TextIO, dirs: Sequence[Path] = ()) -> None:
    """One replay file per violated assumption: ``# character:`` then ``scene:choice`` lines."""
    from game.analysis.continuity import prove_assumptions, witness_lines
    violated = [v for v in prove_assumptions(story) if v.status == "violated"]
    for v in violated:
        path = folder / f"{v.where.replace(':', '-')}.replay"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path.write_text("\n".join([f"# {v.where} assumes: {v.source}", *witness_lines(v)]) + "\n", encoding="utf-8")
        except OSError as exc:
            out.write(f"{path}: could not write the witness: {exc.strerror or exc}\n")
            continue
        where = "".join(f" --story {d}" if i == 0 else f" --mod {d}" for i, d in enumerate(dirs))
        out.write(f"{path}: replay with testament play --text{where} --replay {path}\n")


def chosen_start(args: argparse.Namespace, story: Story, out: TextIO, err: TextIO) -> "list | int | None":
    """The states of a run to start from for ``--replay`` or ``--from`` (None without either),
    or an exit status after one message."""
    from game.testruns import ReplayError, StartError, parse_settings, replay_file, start_at
    if args.replay is not None and args.from_scene is not None:
        err.write("testament: give either --replay or --from, not both\n")
        return EXIT_ERRORS
    if getattr(args, "chapter", None) is not None:
        return chapter_start(args, story, out, err)
    if args.from_scene is None and (args.set_values or args.set_flags or args.clear_flags):
        err.write("testament: --set, --flag and --no-flag choose the state of --from SCENE; add --from\n")
        return EXIT_ERRORS
    try:
        if args.replay is not None:
            return replay_file(story, args.replay, args.character)
        if args.from_scene is not None:
            begin = start_at(story, args.from_scene, character=args.character,
                             values=parse_settings(story, args.set_values), flags=args.set_flags,
                             clear=args.clear_flags)
            for note in begin.notes:
                out.write(_printable(note) + "\n")
            return [*begin.history, begin.state]
    except (ReplayError, StartError) as exc:
        err.write(f"testament: {_printable(str(exc))}\n")
        return EXIT_ERRORS
    return None


def chapter_start(args: argparse.Namespace, story: Story, out: TextIO, err: TextIO) -> "list | int":
    """``--chapter YEAR``: the historical run of ``--character`` up to the chapter's first scene."""
    from game.classroom.historical import ChapterError, chapter_start as historical_start
    if args.replay is not None or args.from_scene is not None:
        err.write("testament: --chapter begins a chapter of the historical path; give it without --replay or --from\n")
        return EXIT_ERRORS
    if not args.character:
        err.write(f"testament: --chapter needs --character (one of {', '.join(story.characters)})\n")
        return EXIT_ERRORS
    try:
        states = historical_start(story, args.character, args.chapter)
    except ChapterError as exc:
        err.write(f"testament: {_printable(str(exc))}\n")
        return EXIT_ERRORS
    from game.dates import pretty_date
    scene = story.scenes[states[-1].scene]
    who = story.characters[args.character].name
    out.write(_printable(f"Chapter {args.chapter}, as {who}: the run so far is his historical path, from his start to "
                         f"\"{scene.title}\" ({pretty_date(scene.date)}); undo walks back along it.") + "\n")
    return states


def cmd_play(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    if args.replay is None and getattr(args, "top_replay", None) is not None:  # testament --replay F play ...
        args.replay = args.top_replay
    if not args.text and args.replay is None and args.from_scene is None and getattr(args, "chapter", None) is None:
        return launch_desktop(args, err)
    story = load_for_tool([args.story or story_dir(), *args.mod], err)
    if story is None:
        return EXIT_ERRORS
    if args.character and args.character not in story.characters:
        from game.engine.errors import did_you_mean
        hint = did_you_mean(args.character, story.characters)
        err.write(f"testament: no character '{args.character}' in this story{'; ' + hint if hint else ''} "
                  f"(choose from {', '.join(story.characters)})\n")
        return EXIT_ERRORS
    states = chosen_start(args, story, out, err)
    if isinstance(states, int):
        return states
    if not args.text:
        return launch_desktop(args, err, states)
    from game.terminal.play import TextGame, stdin_line
    read = stdin_line
    if states:
        return TextGame(story, out, read).run(states[-1].character, state=states[-1], history=states[:-1])
    return TextGame(story, out, read).run(args.character)


def launch_desktop(args: argparse.Namespace | None, err: TextIO, states: list | None = None) -> int:
    try:
        from game.desktop.app import run_desktop
    except ImportError as exc:
        err.write(f"testament: the desktop game cannot start ({exc}); play in the terminal with: testament play --text\n")
        return EXIT_ERRORS
    story = getattr(args, "story", None) if args else None
    mods = getattr(args, "mod", []) if args else []
    author = bool(getattr(args, "author", False) or getattr(args, "top_author", False))
    return run_desktop(story=story, mods=mods, character=getattr(args, "character", None) if args else None,
                       **({"states": states} if states else {}), **({"author": True} if author else {}))


def cmd_playtest(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    story = load_for_tool(args.dirs, err)
    if story is None:
        return EXIT_ERRORS
    if args.character and args.character not in story.characters:
        err.write(f"testament: no character '{args.character}' (choose from {', '.join(story.characters)})\n")
        return EXIT_ERRORS
    if args.reach is not None and args.reach not in story.scenes:
        from game.testruns import StartError, check_scene
        try:
            check_scene(story, args.reach, "--reach")
        except StartError as exc:
            err.write(f"testament: {_printable(str(exc))}\n")
            return EXIT_ERRORS
    from game.analysis import report as analysis_report
    return analysis_report.playtest(story, args, out)


def cmd_stats(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    story = load_for_tool(args.dirs, err)
    if story is None:
        return EXIT_ERRORS
    from game.analysis import report as analysis_report
    return analysis_report.stats(story, out, args.wpm)


def _reading_speed(text: str) -> int:
    """A reading speed for ``--wpm``: a whole number of words a minute, 20 to 2,000."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text[:20]}' is not a whole number of words a minute") from None
    if not 20 <= value <= 2000:
        raise argparse.ArgumentTypeError(f"{value} words a minute is not a reading speed (give 20 to 2000)")
    return value


def cmd_test(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from game.analysis.storytests import run_tests, story_test_files
    dirs = args.dirs or [story_dir()]
    story = load_for_tool(dirs, err)
    if story is None:
        return EXIT_ERRORS
    files = story_test_files(dirs)
    if not files:
        out.write(f"no story tests: none of {', '.join(str(d) for d in dirs)} has a tests/ folder of .yaml files\n")
        return EXIT_OK
    problems = Problems()
    outcomes = run_tests(story, files, problems)
    report(problems, out)
    failed = [o for o in outcomes if not o.passed]
    for o in failed:
        out.write(f"{o.location}: FAILED {o.name}\n")
        for line in o.failures:
            out.write(f"    {line}\n")
    out.write(f"{len(outcomes) - len(failed)} passed, {len(failed)} failed"
              + (f", {len(problems.errors)} malformed" if problems.errors else "") + "\n")
    return EXIT_ERRORS if failed or problems.errors else EXIT_OK


def cmd_map(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from game.analysis.storymap import write_map
    story = load_for_tool(args.dirs, err)
    if story is None:
        return EXIT_ERRORS
    try:
        path = write_map(story, args.output)
    except OSError as exc:
        err.write(f"{args.output}: could not write the map: {exc.strerror or exc}\n")
        return EXIT_ERRORS
    out.write(f"{path}: the map of {story.title} ({len(story.scenes)} scenes); open it in a browser\n")
    return EXIT_OK


def cmd_schema(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from game import schema
    if args.write is None:
        out.write(schema.dumps(args.kind))
        return EXIT_OK
    try:
        args.write.mkdir(parents=True, exist_ok=True)
        for kind, name in schema.FILE_NAMES.items():
            (args.write / name).write_text(schema.dumps(kind), encoding="utf-8")
            out.write(f"{args.write / name}\n")
    except OSError as exc:
        err.write(f"{args.write}: could not write the schemas: {exc.strerror or exc}\n")
        return EXIT_ERRORS
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    _tolerant_output()
    args = _parser().parse_args(argv)
    out, err = sys.stdout, sys.stderr
    try:
        if isinstance(getattr(args, "dirs", None), list) and isinstance(getattr(args, "mod", None), list):
            from game.authoring.folders import tool_folders  # the bundled campaign, then --mod folders
            args.dirs = tool_folders(args.dirs, args.mod, err)
        if args.command is None:
            if args.top_replay is not None:
                return cmd_play(_parser().parse_args(["play", "--replay", str(args.top_replay)]
                                                     + (["--author"] if args.top_author else [])), out, err)
            return launch_desktop(args if args.top_author else None, err)
        if args.command == "check":
            return cmd_check(args, out)
        if args.command == "play":
            return cmd_play(args, out, err)
        if args.command == "playtest":
            return cmd_playtest(args, out, err)
        if args.command == "schema":
            return cmd_schema(args, out, err)
        if args.command == "test":
            return cmd_test(args, out, err)
        if args.command == "map":
            return cmd_map(args, out, err)
        if args.command == "new-mod":
            from game.authoring import newmod
            return newmod.run(args, out, err)
        if args.command == "class-report":
            from game.classroom import report as class_report
            return class_report.run(args, out, err)
        if args.command == "teacher-kit":
            from game.classroom import kit as teacher_kit
            return teacher_kit.run(args, out, err)
        if args.command == "export-web":
            from game.web import command as web_command
            return web_command.run(args, out, err)
        return cmd_stats(args, out, err)
    except StoryLoadError as exc:
        err.write(f"{_printable(str(exc))}\n")
        return EXIT_ERRORS
    except KeyboardInterrupt:
        err.write("\n")
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # a bug, not the user's fault: say where, and exit 2 (1 means warnings)
        return internal_error(exc, err)


#: Set (to anything) to see the traceback of an internal error.
DEBUG_ENV = "TESTAMENT_DEBUG"


def internal_error(exc: BaseException, err: TextIO) -> int:
    """Report an unexpected exception in one message naming the file being read; exit 2."""
    import os
    where = blame(exc.__traceback__)
    try:
        what = f"{type(exc).__name__}: {exc}"
    except Exception:  # str() itself can fail (an int of 5,000 digits in the message)
        what = type(exc).__name__
    if len(what) > 300:
        what = what[:300] + "..."
    place = f"{where}: " if where else ""
    err.write(_printable(f"{place}testament: internal error ({what}); this is a bug in the game, not in your files. "
                         f"Set {DEBUG_ENV}=1 for the details.") + "\n")
    if os.environ.get(DEBUG_ENV):
        import traceback
        traceback.print_exception(exc, file=err)
    return EXIT_ERRORS


#: Characters a message never prints as they are: C0 and C1 controls, DEL, line and
#: paragraph separators and the bidirectional overrides (a message quotes story text,
#: which could otherwise move the cursor, recolour the terminal or reorder the line).
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _printable(text: str) -> str:
    return _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def _tolerant_output() -> None:
    """Never fail to print: a message may quote a name that the terminal cannot encode."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            pass  # not a text file (a test's StringIO), or already closed


if __name__ == "__main__":
    sys.exit(main())
