"""``testament export-web``: the checked story as one HTML file that plays in a browser."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

EXIT_OK, EXIT_ERRORS = 0, 2


def add_parser(sub) -> None:
    web = sub.add_parser("export-web", help="write the game as one HTML file that plays offline in a browser")
    web.add_argument("dirs", nargs="*", type=Path, help="story folder, then any mod folders (default: the campaign)")
    web.add_argument("--mod", type=Path, action="append", default=[], help="a mod folder to add (may be repeated)")
    web.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.html", help="the HTML file to write")


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Load and check the story; refuse (exit 2, every problem located) unless it passes; write the page."""
    from game import savefiles
    from game.cli import report
    from game.compiled import load_checked
    from game.paths import story_dir
    from game.web.build import build_page
    from game.web.export import ExportError

    dirs = list(args.dirs or [story_dir()])
    dirs += [m for m in args.mod if m not in dirs]  # game.cli.main has added the --mod folders already
    story, problems = load_checked(dirs)
    if story is not None:  # as 'testament check' does: the glossary, timeline and historical paths too
        from game.classroom.aids import check_aids
        check_aids(story, problems)
    if story is None or problems.errors:
        report(problems, err)
        err.write(f"{len(problems.errors)} error(s): nothing was exported. "
                  f"The browser plays only a story that passes 'testament check'.\n")
        return EXIT_ERRORS
    try:
        page = build_page(story)
    except ExportError as exc:
        err.write(f"testament: this story cannot be played in the browser: {exc}\n")
        return EXIT_ERRORS
    data = page.encode("utf-8")
    try:
        savefiles.write_atomically(args.output, data)
        savefiles.readable_by_all(args.output)
    except OSError as exc:
        err.write(f"{args.output}: could not write the page: {exc.strerror or exc}\n")
        return EXIT_ERRORS
    warnings = len(problems.warnings)
    note = f" ({warnings} warning(s) from check; see 'testament check')" if warnings else ""
    out.write(f"{args.output}: {story.title}, {len(story.scenes)} scenes, {len(story.characters)} characters, "
              f"{len(data) / 1024:,.0f} KB{note}. Open it in a browser; it needs no server and no network.\n")
    return EXIT_OK
