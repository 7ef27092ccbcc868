"""Which story folders a tool works on: the bundled campaign by default, plus ``--mod DIR``.

``testament check``, ``playtest``, ``stats``, ``map`` and ``test`` take a story folder and
mod folders as arguments, as before, and also ``--mod DIR`` (repeatable), which adds a
mod to the story given or, with none, to the bundled campaign, wherever the game is
installed. A mod given first on its own (``testament check my-branch``) is taken with the
bundled campaign too, with a note saying so, since that is what its author meant.
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence, TextIO

from game.paths import story_dir


def _mod_flag(folder: Path) -> bool | None:
    """True for a folder whose manifest says ``mod: true``, False for a story's, None when
    there is no manifest that can be read (read safely)."""
    from game.engine.errors import Problems
    from game.engine.loader import manifest_of
    from game.engine.yamlsource import YMap, read_yaml
    found = manifest_of(folder)
    if not isinstance(found, tuple):
        return None
    data = read_yaml(found[0], str(found[0]), Problems())
    if not isinstance(data, YMap):
        return None
    return data.get("mod") is True


def is_mod(folder: Path) -> bool:
    """Whether ``folder`` holds a manifest that says ``mod: true`` (False on any doubt)."""
    return _mod_flag(folder) is True


def tool_folders(dirs: Sequence[Path], mods: Sequence[Path], err: TextIO | None = None) -> list[Path]:
    """The story folder then its mods, for a tool given ``dirs`` and ``--mod`` folders.

    A mod given first is put after the story given later (``check my-branch story``), or,
    with no story given, taken with the bundled campaign; either way a note says so.
    """
    folders = list(dirs)
    if folders and is_mod(folders[0]):
        story = next((i for i, d in enumerate(folders[1:], 1) if _mod_flag(d) is False), None)
        if story is not None:
            if err is not None:
                err.write(f"testament: {folders[0]} is a mod and {folders[story]} a story; reading the story first\n")
            folders.insert(0, folders.pop(story))
        else:
            if err is not None:
                err.write(f"testament: {folders[0]} is a mod; taking it with the bundled campaign "
                          f"(as --mod {folders[0]} does)\n")
            folders.insert(0, story_dir())
    if not folders:
        folders = [story_dir()]
    return folders + list(mods)


def add_mod_option(parser) -> None:
    """``--mod DIR`` on a tool's parser."""
    parser.add_argument("--mod", type=Path, action="append", default=[], metavar="DIR",
                        help="a mod folder to add to the story (the bundled campaign by default); may be repeated")
