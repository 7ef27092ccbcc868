"""The desktop front end: a pygame window that shows ``view(...)`` and calls ``step(...)``.

Nothing in here decides what happens in the story; the engine does. This package only
draws what the engine says and turns the player's keys and clicks into choices.
"""
