# `make play` and `make test` set everything up on a fresh machine (Python 3.11+ and make).
#
# They install the exact versions in requirements.lock, checked against its hashes, so a
# fresh machine runs what the suite last passed with. `make lock` refreshes the lock on
# purpose; `make test-latest` runs the suite against the newest releases pyproject.toml
# allows, in a separate environment, so an upgrade is a deliberate step.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LATEST := .venv-latest
PIP_COMPILE_FLAGS := --quiet --extra test --all-build-deps --generate-hashes --allow-unsafe \
	--strip-extras --index-url https://pypi.org/simple

.PHONY: play test test-latest check fuzz lock clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# The lock pins the build backend too, so the editable install needs nothing unhashed.
$(STAMP): requirements.lock pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

play: $(STAMP)
	$(BIN)/testament

test: $(STAMP)
	SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy $(BIN)/python -m pytest

check: $(STAMP)
	$(BIN)/testament check --strict story

# The long run of tests/engine/test_fuzz.py: 3,000 mutated story folders, each checked in a
# child process; prints the tracebacks, hangs, processes over 1 GB and stranded runs found
# (all should be 0) and fails if there is any. FUZZ_SEED=n tries other mutants.
FUZZ_SEED ?= 1
fuzz: $(STAMP)
	$(BIN)/python benchmarks/fuzz_stories.py --mutants 3000 --seed $(FUZZ_SEED)

test-latest:
	$(PYTHON) -m venv $(LATEST)
	$(LATEST)/bin/python -m pip install --quiet --upgrade pip
	$(LATEST)/bin/python -m pip install --quiet --upgrade --upgrade-strategy eager -e '.[test]'
	$(LATEST)/bin/python -m pip list --format=freeze
	SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy $(LATEST)/bin/python -m pytest

lock: $(BIN)/python
	$(BIN)/python -m pip install --quiet pip-tools
	$(BIN)/pip-compile $(PIP_COMPILE_FLAGS) --upgrade -o requirements.lock pyproject.toml

clean:
	rm -rf $(VENV) $(LATEST) build *.egg-info
