"""The desktop front end: a pygame window that shows ``view(...)`` and calls ``step(...)``.

Nothing in here decides what happens in the story; the engine does. This package only
draws what the engine says and turns the player's keys and clicks into choices.
"""

import os as _os

# pygame prints a greeting on import; a game's terminal is not the place for it.
_os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
