# Every target bootstraps .venv itself: a fresh clone needs only Python 3.11+ and make.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint docs bench fuzz models clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/vigil demo --workspace vigil-data

test: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache
	$(BIN)/python -m pytest -n 2 --dist loadfile

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

docs: $(STAMP)
	$(BIN)/python -c 'from vigil.cli.main import app; from vigil.cli.reference import render; open("docs/cli.md", "w").write(render(app))'

# The mutation fuzzing of every importer's fixtures for ten minutes (make test runs it for half a minute);
# VIGIL_FUZZ_SEED=N for another campaign.
fuzz: $(STAMP)
	VIGIL_FUZZ_SECONDS=$${VIGIL_FUZZ_SECONDS:-600} $(BIN)/python -m pytest tests/sources/test_fuzz.py -n 2

models: $(STAMP)
	nice -n 10 $(BIN)/python -m vigil.models.build_builtin

bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) vigil-data bench/out
