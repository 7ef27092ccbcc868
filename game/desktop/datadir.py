"""Where the desktop game keeps its own files (settings, the endings gallery, logs)."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "lenins-testament"


def data_dir() -> Path:
    """The user's data folder; ``TESTAMENT_HOME`` overrides it, as it does for saves.

    Tests and portable installs set ``TESTAMENT_HOME`` so nothing touches the real home.
    """
    home = os.environ.get("TESTAMENT_HOME")
    if home:
        return Path(home)
    import platformdirs
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
