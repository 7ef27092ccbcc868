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


def docs_dir() -> Path:
    """The guides: story format, authoring, campaign, classroom."""
    return _first("docs")


APP_NAME = "lenins-testament"


def data_dir() -> Path:
    """The user's data folder: saves, settings, the endings gallery, transcripts.

    ``TESTAMENT_HOME`` overrides it (and the cache folder), so tests and portable
    installs never touch the real home.
    """
    home = os.environ.get("TESTAMENT_HOME")
    if home:
        return Path(home)
    import platformdirs
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def cache_dir() -> Path:
    """The user's cache folder: compiled stories, safe to delete at any time."""
    home = os.environ.get("TESTAMENT_HOME")
    if home:
        return Path(home) / "cache"
    import platformdirs
    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))
