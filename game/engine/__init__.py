"""The pure story engine: loading, validating and playing stories.

Nothing here draws, waits or reads the clock; front ends call ``view`` and ``step``.
"""

from game.engine.errors import Location, Problem, StoryLoadError, StepError
from game.engine.model import Character, Choice, Ending, Scene, Story, Variable
from game.engine.loader import load_story
from game.engine.play import ChoiceView, State, View, replay, start, states_of, step, view

__all__ = [
    "Character", "Choice", "ChoiceView", "Ending", "Location", "Problem", "Scene",
    "State", "StepError", "Story", "StoryLoadError", "Variable", "View",
    "load_story", "replay", "start", "states_of", "step", "view",
]
