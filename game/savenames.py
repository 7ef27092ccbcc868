"""From the name a player gives a save to the file it lives in: distinct names, distinct files.

The old rule kept ASCII letters and digits and turned everything else into a hyphen, so
``Троцкий`` and ``Бухарин`` both became ``slot.json`` and ``a b`` and ``a/b`` were one file.
Now a plain name (lowercase ASCII letters, digits, ``-`` and ``_``, as the game's own
``slot-3`` and ``quicksave``) is its own file name, and any other name becomes a readable
slug of its letters and digits in any script plus ``~`` and a short hash of the whole name.
Plain names cannot contain ``~``, so the two kinds never meet, and the hash tells apart
names that differ only in case or punctuation, even on a case-insensitive disk.

Names the game uses for itself (``autosave``, ``autosave-3``, "Autosave 5") are refused, so
a player's save is never overwritten by the autosave rotation.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

#: Longest save name accepted, in characters.
MAX_NAME = 200
#: Longest readable part of a file name made from a name, in characters.
SLUG = 40

_PLAIN = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")
# Names Windows reserves for devices, whatever the extension.
_DEVICES = {"con", "prn", "aux", "nul"} | {f"{p}{n}" for p in ("com", "lpt") for n in range(1, 10)}


class BadName(ValueError):
    """A name that cannot be a save's, with the reason in words."""


def check(name: str) -> str:
    """``name`` tidied (spaces trimmed, Unicode composed), or ``BadName`` saying why it cannot be used."""
    if any("\ud800" <= c <= "\udfff" for c in name):  # bytes that were not UTF-8, escaped
        raise BadName("a save name must be readable text, and this one has bytes that are not UTF-8")
    name = unicodedata.normalize("NFC", name.strip())
    if not name:
        raise BadName("a save needs a name")
    if len(name) > MAX_NAME:
        raise BadName(f"a save name can be at most {MAX_NAME} characters (this one has {len(name):,})")
    if any(unicodedata.category(c) in ("Cc", "Cs") for c in name):
        raise BadName("a save name cannot contain control characters")
    if is_reserved(name):
        raise BadName(f"'{name}' is kept for the game's own autosaves; choose another name")
    return name


def is_reserved(name: str) -> bool:
    """Whether ``name`` reads as one of the autosaves (case, spaces and punctuation aside)."""
    letters = "".join(c for c in unicodedata.normalize("NFKC", name).casefold() if c.isalnum())
    return letters.startswith("autosave")


def file_stem(name: str) -> str:
    """The file name (without ``.json``) of a save called ``name``; ``check`` it first."""
    if _PLAIN.fullmatch(name) and name not in _DEVICES:
        return name
    keep = "".join(c if c.isalnum() or unicodedata.category(c).startswith("M") or c in "-_" else "-" for c in name)
    slug = re.sub(r"-{2,}", "-", keep).strip("-_")[:SLUG].rstrip("-_") or "save"
    digest = hashlib.sha256(name.encode("utf-8")).hexdigest()[:10]
    return f"{slug}~{digest}"


def legacy_stem(name: str) -> str:
    """The file name earlier versions of the game gave ``name``, to find the saves they wrote."""
    return re.sub(r"[^A-Za-z0-9_-]+", "-", name).strip("-") or "slot"
