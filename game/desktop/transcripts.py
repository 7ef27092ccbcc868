"""One transcript per finished run, however often its ending screen opens.

The ending screen opens again on Continue, on loading a finished save, and after an undo
and a redo; each used to write a new file. A run is known by its story, character and path
of choices: ``transcripts/index.json`` maps that key to the file written for it, and a
run already written is not written again while its file is still there.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from game.classroom.transcript import transcript_path, write_transcript
from game.engine import State, Story


def run_key(story: Story, state: State) -> str:
    """A short key that is the same for the same run of the same story, and differs otherwise."""
    doc = json.dumps([story.id, str(getattr(story, "version", "")), state.character, [list(s) for s in state.path]])
    return hashlib.sha256(doc.encode("utf-8")).hexdigest()[:20]


def _index_path(folder: Path) -> Path:
    return folder / "index.json"


def _read(folder: Path) -> dict[str, str]:
    try:
        doc = json.loads(_index_path(folder).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {k: v for k, v in doc.items() if isinstance(k, str) and isinstance(v, str)} if isinstance(doc, dict) else {}


def transcript_for(story: Story, state: State, saves_folder: Path) -> Path:
    """The transcript of this finished run: the one written before, or a new one written now.
    ``OSError`` when it cannot be written."""
    first = transcript_path(saves_folder, state.character)
    folder = first.parent
    index = _read(folder)
    key = run_key(story, state)
    known = index.get(key)
    if known:
        path = folder / Path(known).name  # only ever a file in this folder
        if path.is_file():
            return path
    path = first
    n = 2
    while path.exists():  # two runs finished within the same second
        path = first.with_name(f"{first.stem}-{n}{first.suffix}")
        n += 1
    write_transcript(story, state, path)
    index[key] = path.name
    try:
        from game.saves import write_atomically
        write_atomically(_index_path(folder), json.dumps(index, indent=0))
    except OSError:
        pass
    return path
