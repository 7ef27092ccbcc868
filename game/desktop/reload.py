"""Live reload in the window: save a story file, and the game goes on on the new story.

While the game runs with ``--story``/``--mod`` (or ``--author``), the story's files are
polled (their modification times, every half second at most; see
``game.authoring.reload.Watcher``). When one changes and has settled, the story is read
again and the current run replayed on it (``reload_run``): the scene is shown again where
the player was, with a note of what the edit changed; if the path no longer fits, the run
is kept up to where it stops and a message says exactly where. A file that does not load
shows its located errors on the error screen, and the last good story keeps running
underneath (Escape goes back to it); the next good save takes the error screen away.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Sequence

from game.authoring.reload import Reload, Watcher, reload_run

if TYPE_CHECKING:
    from game.desktop.app import App

#: Seconds between two looks at the files.
INTERVAL = 0.5
ERROR_TITLE = "The story could not be reloaded"


class LiveReload:
    """Watches ``folders`` for ``app`` and reloads the story when a file changes."""

    def __init__(self, app: "App", folders: Sequence[Path], clock: Callable[[], float] = time.monotonic,
                 interval: float = INTERVAL, notify: Callable[[str], None] | None = None):
        self.app = app
        #: Shows a reload's message over the game (the author tools' banner).
        self.notify = notify
        self.folders = list(folders)
        self.clock = clock
        files: list[Path] = []
        from game.engine.loader import read_story
        try:
            read_story(self.folders, files_read=files)  # which files to watch (cheap: no checks)
        except Exception:  # pragma: no cover - the watch list is a convenience; reload says what is wrong
            files = []
        from game.authoring.reload import _watch
        self.watcher = Watcher(_watch(self.folders, files), interval)
        #: The last reload, for tests and the author overlay.
        self.last: Reload | None = None

    def poll(self) -> None:
        """Called every frame: reload when the files have changed and settled."""
        if self.watcher.poll(self.clock()):
            self.reload()

    def reload(self) -> Reload:
        """Read the story again now and show what happened."""
        from game.desktop.screens.error import ErrorScreen
        from game.desktop.screens.message import MessageScreen
        from game.desktop.screens.title import TitleScreen
        from game.desktop.session import Run
        app = self.app
        run = app.run
        result = reload_run(self.folders, run.state if run is not None else None, app.story)
        self.last = result
        self.watcher.watch(result.watched)
        self._drop_error_screen()
        if not result.ok:
            errors = list(result.problems) or [result.message]
            app.push(ErrorScreen(ERROR_TITLE, errors, result.message + " Escape goes back to the game.",
                                 can_go_back=app.story is not None))
            return result
        app.story = result.story
        if result.state is not None:
            app.run = Run.from_state(result.story, result.state)
            app.show_run()
            if getattr(app.top, "revealing", False):  # the author has read it: show the whole text at once
                from game.desktop.actions import Action, Kind
                app.top.handle(Action(Kind.KEY))
        else:
            app.run = None
            app.reset(TitleScreen())
        if not result.fits:
            app.push(MessageScreen("The run no longer fits the story", result.message))
        elif self.notify is not None:
            self.notify(result.message)
        app.dirty = True
        return result

    def _drop_error_screen(self) -> None:
        """Take away an error screen an earlier reload put up (the new result replaces it)."""
        from game.desktop.screens.error import ErrorScreen
        for screen in list(self.app.stack):
            if isinstance(screen, ErrorScreen) and screen.title == ERROR_TITLE:
                self.app.pop(screen)
                return
