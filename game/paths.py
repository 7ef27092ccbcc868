"""Where the bundled story and assets are, in a source checkout and in an installed game."""

from __future__ import annotations

import os
import sys
from pathlib import Path

_CHECKOUT = Path(__file__).resolve().parent.parent
_INSTALLED = Path(sys.prefix) / "share" / "lenins-testament"


def _first(name: str) -> Path:
    for base in (_CHECKOUT, _INSTALLED):
        if (base / name).is_dir():
            return base / name
    return _CHECKOUT / name


def story_dir() -> Path:
    """The campaign folder (``TESTAMENT_STORY`` overrides)."""
    return Path(os.environ["TESTAMENT_STORY"]) if os.environ.get("TESTAMENT_STORY") else _first("story")


def assets_dir() -> Path:
    return _first("assets")
