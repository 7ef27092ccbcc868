"""The engine is pure: importing it pulls in no front end."""

import subprocess
import sys


def test_engine_imports_no_pygame():
    code = "import sys, game.engine, game.engine.check; print('pygame' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
