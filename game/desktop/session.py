"""One run of the story as the desktop game holds it: the engine's states, in order.

The engine's ``State`` is immutable and its ``path`` replays it exactly, so undo is just
dropping the last state, and the journal is read off the list. Nothing here draws.
"""

from __future__ import annotations

from typing import Iterator

from attrs import frozen

from game.engine import State, Story, start, step, view
from game.engine.play import choice_text as chosen_text, states_of


@frozen
class JournalEntry:
    """A scene as it was read in this run, and what the player did there."""

    date: str
    place: str
    title: str
    text: str
    #: The text of the choice taken, or "" for the scene the player is in now.
    choice: str = ""
    #: What the choice led to at once.
    reply: str = ""


class Run:
    """The states of one run, oldest first; the last one is where the player is."""

    def __init__(self, story: Story, states: list[State]):
        if not states:
            raise ValueError("a run needs at least its starting state")
        self.story = story
        self.states = states
        #: States undone, the most recent last: redo takes them back while no other choice is made.
        self.undone: list[State] = []

    @classmethod
    def new(cls, story: Story, character: str) -> "Run":
        return cls(story, [start(story, character)])

    @classmethod
    def from_state(cls, story: Story, state: State) -> "Run":
        """Rebuild the history of ``state`` by replaying its path, so undo works after a load."""
        return cls(story, states_of(story, state))

    @property
    def state(self) -> State:
        return self.states[-1]

    @property
    def character(self) -> str:
        return self.state.character

    def choose(self, choice_id: str) -> State:
        """Take a choice through the engine; ``StepError`` if it is not on offer."""
        after = step(self.story, self.state, choice_id)
        if self.undone and self.undone[-1] == after:
            self.undone.pop()  # the same choice again: the rest of the redo trail still holds
        else:
            self.undone.clear()
        self.states.append(after)
        return self.state

    def can_undo(self) -> bool:
        return len(self.states) > 1

    def undo(self) -> bool:
        """Step back one choice; False at the start of the run."""
        if len(self.states) <= 1:
            return False
        self.undone.append(self.states.pop())
        return True

    def can_redo(self) -> bool:
        return bool(self.undone)

    def redo(self) -> bool:
        """Take again the choice last undone; False when nothing was undone since the last choice."""
        if not self.undone:
            return False
        self.states.append(self.undone.pop())
        return True

    def journal(self) -> list[JournalEntry]:
        """Every scene read in this run with the choice made there, oldest first."""
        return list(self._entries())

    def _entries(self) -> Iterator[JournalEntry]:
        story = self.story
        for i, state in enumerate(self.states):
            v = view(story, state)
            scene = v.scene
            choice_text, reply = "", ""
            if i + 1 < len(self.states):
                after = self.states[i + 1]
                choice_text = chosen_text(story, state, after.path[-1][1])
                reply = after.reply
            yield JournalEntry(scene.date, v.place, scene.title, v.text, choice_text, reply)
