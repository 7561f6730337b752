PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test lint bench score clean

$(BIN)/python:
	$(PY) -m venv $(VENV)

# The extraction hot path is compiled with mypyc at install (setup.py lists the modules), so a change to
# extractors/ reinstalls. DUBAN_PURE_PYTHON=1 skips the compiler.
EXTRACTOR_SOURCES := $(wildcard extractors/*.py)

$(STAMP): $(BIN)/python pyproject.toml setup.py $(EXTRACTOR_SOURCES)
	$(BIN)/pip install -q --upgrade pip
	# Old builds go first: if the compiler fails now, the .py files must not be shadowed by stale .so files.
	rm -f extractors/*.so *__mypyc*.so
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# The main job: the bot when Slack tokens are set, otherwise the extraction on the bundled speech.
run: $(STAMP)
	$(BIN)/duban run

lint: $(STAMP)
	$(BIN)/ruff check extractors checklists bot tests
	$(BIN)/mypy

test: lint
	$(BIN)/pytest -q

# `make bench PG_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test` adds the PostgreSQL figures.
bench: $(STAMP)
	$(BIN)/duban bench all $(if $(PG_URL),--pg-url $(PG_URL),)

score: $(STAMP)
	$(BIN)/duban eval --gold tests/data/gold_seeds.json --texts tests/data/speeches

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache build extractors/*.so *__mypyc*.so
