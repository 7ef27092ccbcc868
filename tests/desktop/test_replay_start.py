"""The window opened at the end of a replayed run (testament --replay FILE): the scene shows, undo walks back."""

from __future__ import annotations

from conftest import PALACE, press, screen_names

from game.desktop.actions import Kind
from game.desktop.app import App, load
from game.desktop.settings import Settings
from game.testruns import parse_replay, play_replay, start_at


def _app(states) -> App:
    loaded, problems = load(PALACE, [])
    return App(loaded, problems, settings=Settings(text_speed="instant"), states=states)


def test_the_game_opens_at_the_end_of_the_replay_and_undo_walks_back():
    loaded, _ = load(PALACE, [])
    road = start_at(loaded, "square", character="trotsky")
    states = [*road.history, road.state]
    text = "# character: trotsky\n" + "".join(f"{s}:{c}\n" for s, c in road.state.path)
    assert play_replay(loaded, parse_replay(text.encode())) == states
    app = _app(states)
    assert app.run is not None and app.run.state.scene == "square"
    assert screen_names(app)[-1] == "SceneScreen"
    for _ in road.state.path:
        press(app, Kind.UNDO)
    assert app.run.state.path == () and app.run.state.scene == loaded.characters["trotsky"].start


def test_a_replay_that_ends_in_an_ending_opens_the_ending_screen():
    loaded, _ = load(PALACE, [])
    ended = next(s for s in loaded.scenes.values() if s.resolve)
    road = start_at(loaded, ended.id, character="trotsky")
    app = _app([*road.history, road.state])
    assert screen_names(app)[-1] == "EndingScreen"


def test_a_run_that_does_not_fit_the_story_is_an_error_screen_not_a_crash():
    loaded, _ = load(PALACE, [])
    state = start_at(loaded, "square", character="trotsky").state
    import attrs
    app = _app([attrs.evolve(state, scene="no-such-scene")])
    assert screen_names(app)[-1] == "ErrorScreen"
