"""The window, the screen stack and the main loop, and the game's few top-level moves.

The loop redraws only when something changed (an action, a resize, an animation) and
ticks at 60 frames per second while anything moves, 10 when idle, so an idle window
costs almost no CPU. Any unexpected error is caught at this level and shown on the
error screen; the game never dies with a traceback.
"""

from __future__ import annotations

import datetime
import os
import sys
import traceback
from pathlib import Path
from typing import Any, Callable, Sequence

import pygame

from game import saves
from game.desktop import gallery, window
from game.desktop.actions import Action, Kind, from_event
from game.paths import data_dir
from game.desktop.screens.base import Screen
from game.desktop.session import Run
from game.desktop.settings import Settings, load_settings, save_settings
from game.desktop.theme import Theme
from game.compiled import load_checked
from game.engine import State, Story
from game.engine.play import view
from game.paths import story_dir

ACTIVE_FPS = 60
IDLE_FPS = 10
WINDOW_TITLE = "Lenin's Testament"
MIN_SIZE = window.MIN_SIZE


def _prefer_plain_framebuffer() -> None:
    """Ask SDL for its plain window framebuffer rather than one backed by OpenGL.

    A 2D game gains nothing from the GL path, and where GL is software (Mesa llvmpipe,
    Xvfb, virtual machines) it makes every flip of a 1920x1080 window cost 20-35 ms
    instead of about 1.5 ms. The player can still override it in the environment.
    """
    os.environ.setdefault("SDL_FRAMEBUFFER_ACCELERATION", "0")


def load(story: Path | None, mods: Sequence[Path]) -> tuple[Story | None, list[str]]:
    """The story, or None with every problem as ``file:line:col: message``."""
    folder = story or story_dir()
    try:
        # Cached whatever its size: proving the campaign's assumptions takes seconds, and the
        # window should open at once on every launch after the first.
        loaded, problems = load_checked([folder, *mods], min_bytes=0, continuity=False)
    except (OSError, ValueError, RecursionError, MemoryError) as exc:
        return None, [f"{folder}: {exc}"]
    if loaded is None or problems.errors:
        return None, [str(p) for p in problems.errors]
    if not loaded.characters:
        return None, [f"{folder}/story.yaml: the story has no playable characters"]
    return loaded, []


class App:
    """The game: window, preferences, the current run and the stack of screens."""

    def __init__(self, story: Story | None, problems: Sequence[str] = (), *, size: tuple[int, int] | None = None,
                 character: str | None = None, saves_folder: Path | None = None,
                 settings: Settings | None = None, states: Sequence[State] = ()):
        _prefer_plain_framebuffer()
        pygame.display.init()
        pygame.font.init()
        pygame.key.set_repeat(400, 40)
        self.story = story
        self.saves_folder = saves_folder
        self.settings = settings if settings is not None else load_settings()
        # With no size asked for, the size and place the player left the window at, fitted
        # to this screen (a 1280x720 window does not fit a 1024x600 one).
        self.desktop = window.desktop_size() if size is None else None
        place = window.placement(self.desktop) if size is None else window.Placement(size)
        self.windowed_size = place.size
        if place.position is not None:
            os.environ["SDL_VIDEO_WINDOW_POS"] = f"{place.position[0]},{place.position[1]}"
        self.surface = self._open_window(place.size)
        os.environ.pop("SDL_VIDEO_WINDOW_POS", None)
        self.theme = Theme(self.settings, self.surface.get_size())
        self.stack: list[Screen] = []
        self.run: Run | None = None
        self.running = True
        self.dirty = True
        from game.desktop.voice import Voice
        self.voice = Voice()
        #: What self-voicing last said: (screen, its whole text, its focused control).
        self.spoken = ("", "", "")
        self.animating = False
        self.frames = 0
        #: The author's tools (live reload, overlay, jump to scene: game.desktop.author), or None in a player's game.
        self.tools: Any = None
        from game.desktop.screens.error import ErrorScreen
        from game.desktop.screens.title import TitleScreen
        if story is None:
            self.push(ErrorScreen("The story could not be loaded", list(problems),
                                  "Fix the story files named above, then start the game again."))
        else:
            self.push(TitleScreen())
            if states:  # a run replayed or built for testing: open at its last state, undo walks back
                if all(s.scene in story.scenes and s.character in story.characters for s in states):
                    self.run = Run(story, list(states))
                    self.show_run()
                else:
                    self.push(ErrorScreen("The run does not fit this story",
                                          ["The story changed while the game was starting; start it again."]))
            elif character:
                if character in story.characters:
                    self.new_game(character)
                else:
                    self.push(ErrorScreen("No such character", [f"There is no character '{character}' in this story.",
                                                                f"Choose from: {', '.join(story.characters)}."]))

    # Window ----------------------------------------------------------------------
    def _open_window(self, size: tuple[int, int]) -> pygame.Surface:
        pygame.display.set_caption(WINDOW_TITLE)
        if self.settings.fullscreen:
            try:
                return pygame.display.set_mode((0, 0), pygame.FULLSCREEN)
            except pygame.error:
                pass
        least = window.min_size(self.desktop)
        return pygame.display.set_mode((max(least[0], size[0]), max(least[1], size[1])), pygame.RESIZABLE)

    @property
    def size(self) -> tuple[int, int]:
        return self.surface.get_size()

    def resize(self, size: tuple[int, int] | None = None) -> None:
        """Re-open the window at ``size`` (or adopt its new size) and lay every screen out again."""
        if size is not None and not self.settings.fullscreen:
            self.windowed_size = size
            self.surface = self._open_window(size)
        else:
            self.surface = pygame.display.get_surface() or self.surface
        self.theme = Theme(self.settings, self.surface.get_size())
        for screen in self.stack:
            screen.resize(self.size)
        self.dirty = True

    def apply_settings(self, settings: Settings) -> None:
        """Use new preferences at once (fonts, sizes, window mode) and keep them for next time."""
        mode_changed = settings.fullscreen != self.settings.fullscreen
        self.settings = settings
        save_settings(settings)
        if mode_changed:
            self.surface = self._open_window(self.windowed_size)
        self.resize()

    # The stack ---------------------------------------------------------------------
    @property
    def top(self) -> Screen:
        return self.stack[-1]

    def push(self, screen: Screen, on_result: Callable[[Any], None] | None = None) -> Screen:
        screen.app = self
        screen.on_result = on_result
        self.stack.append(screen)
        screen.enter()
        screen.resize(self.size)
        self.dirty = True
        return screen

    def pop(self, screen: Screen, result: Any = None) -> None:
        """Take ``screen`` (and anything above it) off the stack and hand back its result."""
        if screen not in self.stack:
            return
        while self.stack:
            top = self.stack.pop()
            top.leave()
            if top is screen:
                break
        self.dirty = True
        if self.stack:
            self.top.resume()
        if screen.on_result is not None:
            screen.on_result(result)

    def reset(self, *screens: Screen) -> None:
        """Replace the whole stack with ``screens``, bottom first."""
        while self.stack:
            self.stack.pop().leave()
        for s in screens:
            self.push(s)

    def find(self, kind: type) -> Screen | None:
        for s in reversed(self.stack):
            if isinstance(s, kind):
                return s
        return None

    # Moves of the game -----------------------------------------------------------
    def new_game(self, character: str) -> None:
        assert self.story is not None
        self.run = Run.new(self.story, character)
        self.show_run()
        from game.desktop.screens.chapter import ChapterCard
        card = ChapterCard.for_scene(self.story, view(self.story, self.run.state))
        if card is not None:  # the first chapter's card opens the run
            self.push(card)

    def show_run(self) -> None:
        """Show the current run: its scene, or its ending if it is over; the title stays below."""
        from game.desktop.screens.ending import EndingScreen
        from game.desktop.screens.scene import SceneScreen
        from game.desktop.screens.title import TitleScreen
        assert self.run is not None
        screen = EndingScreen() if self.run.state.finished else SceneScreen()
        self.reset(TitleScreen(), screen)

    def autosave(self) -> str:
        """Autosave the run; returns a problem in words, or ""."""
        if self.run is None or self.story is None:
            return ""
        try:
            saves.autosave(self.story, self.run.state, self.saves_folder)
        except (OSError, saves.SaveError) as exc:
            return f"The autosave could not be written: {exc}"
        return ""

    def record_ending(self) -> None:
        if self.run is not None and self.story is not None and self.run.state.ending:
            gallery.record(self.story.id, self.run.state.ending, self.run.character,
                           text=view(self.story, self.run.state).ending_text)

    def saves_dir(self) -> Path:
        return self.saves_folder or saves.saves_dir()

    def load_game(self, path: Path) -> bool:
        """Load a save and show it; a broken save shows the error screen. True if it loaded."""
        from game.desktop.screens.error import ErrorScreen
        from game.desktop.screens.message import MessageScreen
        assert self.story is not None
        try:
            loaded = saves.load(path, self.story)
            run = Run.from_state(self.story, loaded.state)
        except saves.SaveError as exc:
            self.push(ErrorScreen("This save cannot be loaded", [str(exc)],
                                  "The game goes on: press Escape to go back.", can_go_back=True))
            return False
        except Exception as exc:  # a save that replays into an engine error
            self.push(ErrorScreen("This save cannot be loaded", [f"{path}: {exc}"],
                                  "The game goes on: press Escape to go back.", can_go_back=True))
            return False
        self.run = run
        self.show_run()
        if loaded.problem:
            self.push(MessageScreen("An older save", loaded.problem))
        return True

    def latest_autosave(self) -> Path | None:
        """The newest autosave of this story that can be read, for Continue."""
        if self.story is None:
            return None
        for item in saves.list_saves(self.saves_dir()):
            if isinstance(item, saves.SaveInfo) and item.path.stem.startswith("autosave") and item.story_id == self.story.id:
                return item.path
        return None

    def quit(self) -> None:
        """Stop at once (after asking, see ``ask_quit``), keeping the window's size and place."""
        self.remember_window()
        self.voice.stop()
        self.running = False

    def ask_quit(self) -> None:
        """Quit after a "Quit the game?" (Quit from a menu, Ctrl+Q, closing the window); asked
        again while the question is open, it quits."""
        from game.desktop.screens.confirm import ConfirmScreen
        if self.stack and getattr(self.top, "quit_question", False):
            self.quit()
            return
        detail = ("Your run is kept: it is saved after every choice, and Continue on the title screen "
                  "takes you back to it." if self.run is not None and not self.run.state.finished else "")
        question = ConfirmScreen("Quit the game?", detail, "Quit", "Keep playing")
        question.quit_question = True
        self.push(question, lambda yes: self.quit() if yes else None)

    def remember_window(self) -> None:
        if self.settings.fullscreen or self.story is None:
            return
        try:
            position = pygame.display.get_window_position()
        except pygame.error:
            position = None
        window.remember(self.windowed_size, position)

    def quick_save(self) -> str:
        """Save the run at once in the quick slot (F5); what happened, in words."""
        if self.run is None or self.story is None:
            return "Nothing to save yet"
        try:
            saves.save(saves.slot_path("quicksave", self.saves_dir()), self.story, self.run.state, "Quick save")
        except (OSError, ValueError) as exc:
            return f"Not saved: {exc}"
        return "Quick-saved · F9 loads it"

    def quick_load(self) -> str:
        """Load the quick slot at once (F9); "" when it loaded, else why not, in words."""
        if self.story is None:
            return ""
        path = saves.slot_path("quicksave", self.saves_dir())
        if not path.exists():
            return "No quick save yet: F5 makes one"
        if self.load_game(path) and self.stack and hasattr(self.top, "flash"):
            self.top.flash("Quick save loaded")
        return ""

    # Input, update, draw -------------------------------------------------------------
    def dispatch(self, action: Action) -> None:
        """Give one action to the top screen (window-level actions are handled here)."""
        self.dirty = True
        try:
            if action.kind == Kind.QUIT:
                self.ask_quit()
            elif action.kind == Kind.RESIZE:
                self.resize(action.pos if not self.settings.fullscreen else None)
            elif action.kind == Kind.FULLSCREEN:
                import attrs
                self.apply_settings(attrs.evolve(self.settings, fullscreen=not self.settings.fullscreen))
            elif action.kind == Kind.VOICE and self.stack and not self.top.takes_text:
                self.toggle_voice()
            elif self.tools is not None and self.tools.handle(action):
                pass
            elif action.kind == Kind.HELP and self.stack and not self.top.takes_text:
                from game.desktop.screens.help import HelpScreen
                if isinstance(self.top, HelpScreen):
                    self.top.dismiss()
                else:
                    self.push(HelpScreen())
            elif self.stack:
                self.top.handle(action)
            if self.settings.self_voicing and not action.is_pointer:
                self.speak_changes()
            elif self.settings.self_voicing and action.kind == Kind.POINT:
                self.speak_changes(focus_only=True)
        except Exception as exc:
            self.crashed(exc)

    # Self-voicing ------------------------------------------------------------------
    def toggle_voice(self) -> None:
        """V: self-voicing on or off (kept in the settings)."""
        import attrs
        on = not self.settings.self_voicing
        self.apply_settings(attrs.evolve(self.settings, self_voicing=on))
        if on:
            self.spoken = ("", "", "")
            if not self.voice.available:
                self.voice.say("Self-voicing is on, but no speech engine is installed: install espeak-ng.")
        else:
            self.voice.stop()
        if self.stack and hasattr(self.top, "flash"):
            self.top.flash(("Self-voicing on" if self.voice.available else "Self-voicing on, but no speech engine "
                            "is installed (espeak-ng)") if on else "Self-voicing off")

    def speak_changes(self, focus_only: bool = False) -> None:
        """Say what changed on the top screen: all of it when it is new, else the focused control."""
        if not self.stack:
            return
        top = self.top
        full = top.voice_text()
        focus = top.voice_focus()
        screen = str(id(top))
        last_screen, last_full, last_focus = self.spoken
        if not focus_only and (screen != last_screen or full != last_full):
            self.voice.say(" ".join(x for x in (full, focus) if x))
        elif focus and focus != last_focus:
            self.voice.say(focus)
        self.spoken = (screen, full, focus)

    def send(self, *actions: Action) -> None:
        """Dispatch actions and settle any animation (for tests)."""
        for action in actions:
            self.dispatch(action)
            self.update(0.0)

    def update(self, dt: float) -> bool:
        try:
            if self.tools is not None:
                self.tools.poll()
            moving = self.top.update(dt) if self.stack else False
        except Exception as exc:
            self.crashed(exc)
            moving = False
        if moving:
            self.dirty = True
        self.animating = moving
        return moving

    def draw(self) -> pygame.Surface:
        """Paint the top opaque screen and every overlay above it."""
        try:
            first = len(self.stack) - 1
            while first > 0 and not self.stack[first].opaque:
                first -= 1
            for screen in self.stack[first:]:
                screen.draw(self.surface)
            if self.tools is not None:
                self.tools.draw(self.surface)
        except Exception as exc:
            self.crashed(exc)
            self.surface.fill((0, 0, 0))
            for screen in self.stack[-1:]:
                screen.draw(self.surface)
        self.dirty = False
        self.frames += 1
        return self.surface

    def crashed(self, exc: BaseException) -> None:
        """An unexpected error: log it, and show it in words instead of dying."""
        from game.desktop.screens.error import ErrorScreen
        where = data_dir() / "error.log"
        try:
            where.parent.mkdir(parents=True, exist_ok=True)
            with open(where, "a", encoding="utf-8") as log:
                log.write(f"--- {datetime.datetime.now().isoformat(timespec='seconds')}\n")
                log.write("".join(traceback.format_exception(exc)))
        except OSError:
            pass
        if isinstance(self.top if self.stack else None, ErrorScreen):
            self.running = False  # the error screen itself failed: give up quietly
            return
        self.push(ErrorScreen("Something went wrong", [f"{type(exc).__name__}: {exc}"],
                              f"The details are in {where}. Press Escape to go back.", can_go_back=True))

    def loop(self, until: Callable[["App"], bool] | None = None) -> None:
        """Run until the player quits (or ``until(app)`` holds, for benchmarks)."""
        clock = pygame.time.Clock()
        dt = 0.0
        if self.settings.self_voicing:
            self.speak_changes()
        while self.running:
            events = pygame.event.get()
            for event in events:
                for action in from_event(event):
                    self.dispatch(action)
                if event.type in (pygame.WINDOWEXPOSED, pygame.WINDOWRESTORED, pygame.WINDOWSHOWN):
                    self.dirty = True
            moving = self.update(dt)
            if self.dirty:
                self.draw()
                pygame.display.flip()
            if until is not None and until(self):
                break
            dt = clock.tick(ACTIVE_FPS if (moving or events) else IDLE_FPS) / 1000.0


def _has_screen() -> bool:
    """Whether a real display is there. With none, SDL quietly falls back to an invisible
    'offscreen' window, and the game would run where no one can see it."""
    pygame.display.init()
    driver = pygame.display.get_driver()
    asked = os.environ.get("SDL_VIDEODRIVER", "")
    return driver not in ("offscreen", "dummy") or driver == asked


def _splash() -> None:
    """Open the window at once with the title in it, while the story loads (the first load
    after an install or an edit proves the story's assumptions, which takes seconds)."""
    try:
        _prefer_plain_framebuffer()
        pygame.font.init()
        settings = load_settings()
        if settings.fullscreen:
            return  # the mode change is the App's to make
        place = window.placement(window.desktop_size())
        if place.position is not None:
            os.environ["SDL_VIDEO_WINDOW_POS"] = f"{place.position[0]},{place.position[1]}"
        pygame.display.set_caption(WINDOW_TITLE)
        surface = pygame.display.set_mode(place.size, pygame.RESIZABLE)
        theme = Theme(settings, place.size)
        p = theme.palette
        surface.fill(p.paper)
        w, h = place.size
        title = theme.display(96).render("LENIN'S TESTAMENT", p.ink)
        surface.blit(title, title.get_rect(midbottom=(w // 2, h // 2)))
        note = theme.label(17).render("OPENING THE STORY…", p.red)
        surface.blit(note, note.get_rect(midtop=(w // 2, h // 2 + theme.px(12))))
        pygame.display.flip()
    except pygame.error:
        pass
    finally:
        os.environ.pop("SDL_VIDEO_WINDOW_POS", None)


def run_desktop(story: Path | None = None, mods: Sequence[Path] = (), character: str | None = None,
                states: Sequence[State] = (), author: bool = False) -> int:
    """Open the window and play (at the last of ``states``, when given); the exit status for ``testament``."""
    try:
        if not _has_screen():
            sys.stderr.write("testament: there is no screen to open a window on; "
                             "play in the terminal with: testament play --text\n")
            return 2
        _splash()
        loaded, problems = load(story, list(mods))
        app = App(loaded, problems, character=character, states=states)
        if author or story is not None or mods:  # live reload for a story being written; the overlay with --author
            from game.desktop.author import install
            install(app, [story or story_dir(), *mods], author=author)
        app.loop()
        return 0 if loaded is not None else 2
    except KeyboardInterrupt:
        return 130
    except pygame.error as exc:
        sys.stderr.write(f"testament: the window cannot open ({exc}); play in the terminal with: testament play --text\n")
        return 2
    finally:
        pygame.quit()
