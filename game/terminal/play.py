"""The text front end: plays a story in a terminal, or from piped input.

It is also the accessible way to play: plain text, numbered choices, and commands typed
as words. It only calls the engine's ``start``, ``view`` and ``step``.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Callable, TextIO

from game.dates import pretty_date
from game.analysis.why import HEADING as WHY_HEADING, explain
from game.classroom.forces import forces
from game.classroom.reading import note_opened
from game.classroom.transcript import ADVISORY
from game.engine import State, Story, start, step, view
from game.engine.play import CONTINUE, states_of
from game.terminal.desk import SaveDesk, shown

HELP = ("Type the number of a choice. Other commands: note (the historical note), "
        "who [NAME] (who's who), glossary [WORD], timeline (the real events beside your run), "
        "undo, save [NAME], load [NAME], saves, transcript [FILE], folder [PATH] (where saves go), "
        "reload (read the story files again, after an edit), help, quit.")
WIDTH = 72
#: Longer numbers are never a choice; reading them as integers is what costs (and Python refuses 4,300 digits).
NUMBER_DIGITS = 9


def number(line: str) -> int | None:
    """The number a line is, in any script's decimal digits (``٣`` too); None if it is not one.

    ``str.isdigit`` also accepts ``²`` and ``①``, which ``int`` refuses, so only decimals count.
    A number too long to be any choice is read as 0, which is never one either.
    """
    if not line.isdecimal():
        return None
    return int(line) if len(line) <= NUMBER_DIGITS else 0


def stdin_line() -> str | None:
    """One line of standard input, None at its end: for ``TextGame``'s ``read``.

    Read as bytes: a text stream that meets bytes that are not UTF-8 raises, and drops the
    rest of what it had buffered. Undecodable bytes arrive here as lone surrogates, which
    the game shows as U+FFFD and refuses in names.
    """
    import sys
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:
        line = sys.stdin.readline()
    else:
        raw = stream.readline()
        line = raw.decode("utf-8", "surrogateescape")
    return line if line else None


class TextGame:
    """One run in the terminal: reads lines from ``read``, writes to ``out``."""

    def __init__(self, story: Story, out: TextIO, read: Callable[[], str | None], save_folder: Path | None = None):
        self.story = story
        self.out = out
        self.read = read
        self.desk = SaveDesk(story, save_folder, self.say, self.ask)
        self.history: list[State] = []
        self.state: State | None = None
        from game.terminal.aids import Aids
        self.aids = Aids(story, self.say, self.paragraphs)

    def say(self, text: str = "") -> None:
        self.out.write(text + "\n")

    def paragraphs(self, text: str) -> None:
        for para in text.strip().split("\n\n"):
            self.say(textwrap.fill(" ".join(para.split()), WIDTH))
            self.say()

    def choose_character(self, wanted: str | None) -> str | None:
        chars = list(self.story.characters.values())
        if wanted:
            return wanted
        if len(chars) == 1:
            return chars[0].id
        self.say(f"{self.story.title}\n")
        self.say("Whom will you play?\n")
        for i, c in enumerate(chars, 1):
            self.say(f"  {i}. {c.name}" + (f", {c.title}" if c.title else ""))
            self.say(textwrap.indent(textwrap.fill(" ".join(c.standing.split()), WIDTH - 5), "     "))
            self.say()
        while True:
            line = self.prompt()
            if line is None or line in ("quit", "q"):
                return None
            n = number(line)
            if n is not None and 1 <= n <= len(chars):
                return chars[n - 1].id
            ids = [c.id for c in chars]
            if line in ids:
                return line
            self.say(f"Type a number from 1 to {len(chars)}.")

    def prompt(self) -> str | None:
        """The next line typed, trimmed; None at the end of input, on Ctrl-C or when the terminal is gone."""
        while True:
            self.out.write("> ")
            self.out.flush()
            try:
                line = self.read()
            except UnicodeDecodeError:  # a strict text stream met bytes that are not UTF-8
                self.say("That line was not readable text (it is not UTF-8); please type it again.")
                continue
            except (KeyboardInterrupt, OSError):  # Ctrl-C, or the terminal has gone away
                line = None
            if line is None:
                self.say()
                return None
            return line.strip()

    def ask(self, question: str) -> bool:
        """Put a yes/no question; only yes (or y) is yes, and the end of input is no."""
        self.say(question)
        answer = self.prompt()
        return answer is not None and answer.lower() in ("y", "yes")

    def show(self) -> None:
        assert self.state is not None
        v = view(self.story, self.state)
        self.say()
        if v.reply:
            self.paragraphs(v.reply)
        scene = v.scene
        self.say("=" * WIDTH)
        heading = " | ".join(x for x in (pretty_date(scene.date), v.place) if x)
        if heading:
            self.say(heading)
        self.say(scene.title.upper())
        if scene.note.counterfactual:
            # The window stamps such scenes; here the header says it, before a word is read.
            self.say("[COUNTERFACTUAL: this scene departs from what really happened; type 'note' for the history]")
        self.say("=" * WIDTH)
        self.say()
        self.paragraphs(v.text)
        if v.ending is not None:
            self.show_ending()
            return
        for i, c in enumerate(v.choices, 1):
            if c.enabled:
                self.say(textwrap.fill(f"{i}. {c.text}", WIDTH, subsequent_indent="   "))
            else:
                self.say(textwrap.fill(f"-. {c.text} [{c.locked}]", WIDTH, subsequent_indent="   "))
        self.say()

    def show_ending(self) -> None:
        assert self.state is not None
        end = view(self.story, self.state)
        ending = end.ending
        assert ending is not None
        self.say("*" * WIDTH)
        self.say(f"THE END: {ending.title.upper()}")
        self.say("*" * WIDTH)
        self.say()
        self.paragraphs(end.ending_text)
        why = explain(self.story, self.state)
        if why is not None:
            self.say(WHY_HEADING.upper())
            self.say()
            self.paragraphs("\n\n".join(why.paragraphs))
        if end.epilogue:
            self.say("AFTERWARDS")
            self.say()
            self.paragraphs(ADVISORY)
            self.paragraphs(end.epilogue)
        self.say("THE HIDDEN FORCES, REVEALED")
        self.say()
        for force in forces(self.story, self.state):
            bar = "#" * round(20 * (force.end - force.low) / (force.high - force.low))
            self.say(f"  {force.name:<32} {bar:<20} {force.end:>3} (began at {force.start})")
            for move in force.top_moves[:2]:
                self.say(textwrap.fill(f"{move.delta:+d}  {move.choice_text}", WIDTH, initial_indent="      ",
                                       subsequent_indent="          "))
        if self.state.flags:
            from game.classroom.acts import acts
            self.say()
            self.say("  DECISIVE ACTS")
            for act in acts(self.story, states_of(self.story, self.state)):
                self.say(textwrap.fill(f"{act.words}. {act.how}", WIDTH, initial_indent="    ", subsequent_indent="      "))
        self.say()
        if end.history:
            self.say("WHAT REALLY HAPPENED")
            self.say()
            self.paragraphs(end.history)
        self.aids.reality(self.state)
        path = self.write_transcript(None)
        if path:
            self.say(f"A transcript of this run is in {path}")

    def run(self, character: str | None = None, state: State | None = None, history: list[State] | None = None) -> int:
        """Play from the start; or from ``state`` (a replay, a scene chosen for testing),
        with ``history`` the states that undo walks back through."""
        if state is not None:
            self.state, self.history = state, list(history or [])
        else:
            who = self.choose_character(character)
            if who is None:
                return 0
            self.state = start(self.story, who)
        self.show()
        while self.state.ending is None:
            line = self.prompt()
            if line is None:
                return 0
            if line.lower() in ("quit", "q", "exit"):
                if self.desk.unsaved and not self.ask(
                        "This run is not saved: the autosave could not be written. Quit anyway? (yes/no)"):
                    self.say("Type 'folder PATH' with a folder you can write to, then 'save'.")
                    continue
                return 0
            if not self.command(line):
                continue
        return 0

    def command(self, line: str) -> bool:
        """Act on one line of input; return True when the screen moved on."""
        assert self.state is not None
        word, _, arg = line.partition(" ")
        word = word.lower()
        v = view(self.story, self.state)
        n = number(line)
        if n is not None:
            if not 1 <= n <= len(v.choices):
                self.say(f"Type a number from 1 to {len(v.choices)}, or 'help'.")
                return False
            choice = v.choices[n - 1]
            if not choice.enabled:
                self.say(f"That road is closed: {choice.locked}")
                return False
            self.history.append(self.state)
            self.state = step(self.story, self.state, choice.id)
            self.autosave()
            self.show()
            return True
        if word in ("help", "h", "?"):
            self.say(HELP)
        elif word in ("note", "n"):
            note = v.scene.note
            if v.note:
                note_opened(self.story, self.state)  # the transcript's record tells the teacher what was read
                if note.counterfactual:
                    self.say("[This scene departs from what really happened.]")
                self.paragraphs(v.note)
                for s in note.sources:
                    self.say(f"  Source: {s}")
                self.say()
            else:
                self.say("There is no note for this scene.")
        elif word == "who":
            self.aids.who(arg, self.state)
        elif word == "glossary":
            self.aids.glossary(arg, self.state)
        elif word == "timeline":
            self.aids.timeline(states_of(self.story, self.state))
        elif word in ("undo", "u", "back"):
            if not self.history:
                self.say("You are at the beginning; there is nothing to undo.")
                return False
            self.state = self.history.pop()
            self.show()
            return True
        elif word == "transcript":
            path = self.write_transcript(arg or None)
            if path:
                self.say(f"Transcript written to {shown(str(path), 300)}")
        elif word == "save":
            self.desk.save(self.state, arg.strip())
        elif word == "load":
            self.load(arg.strip())
        elif word == "saves":
            self.desk.list()
        elif word == "folder":
            self.desk.move(arg.strip(), self.state)
        elif word == "reload":  # read the story files again and replay this run on them
            from game.authoring.reload import reload_text_game
            return reload_text_game(self)
        else:
            self.say(f"'{shown(line, 60)}' is not a choice or command. {HELP}")
        return False

    def load(self, name: str) -> None:
        loaded = self.desk.load(name)
        if loaded is None:
            return
        if loaded.problem:
            self.say(loaded.problem)
        # Rebuild the undo history so that undo after a load walks back through the run.
        self.history = states_of(self.story, loaded.state)[:-1]
        self.state = loaded.state
        self.show()

    def write_transcript(self, name: str | None) -> Path | None:
        """Write the run as Markdown: NAME in the transcripts folder, or an explicit path, never over a save."""
        assert self.state is not None
        return self.desk.transcript(self.state, name)

    def autosave(self) -> None:
        """Autosave after every choice; when that fails the desk says so and saves elsewhere."""
        assert self.state is not None
        self.desk.autosave(self.state)


__all__ = ["TextGame", "CONTINUE"]
