# Every target sets itself up: .venv is created and the project installed on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install test demo run lint bench clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

test: $(STAMP)
	$(BIN)/python -m pytest

demo: $(STAMP)
	$(BIN)/enavant demo

run: $(STAMP)
	$(BIN)/enavant run

lint: $(STAMP)
	$(BIN)/ruff check bot tests benchmarks
	$(BIN)/ruff format --check bot tests benchmarks

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_updates.py --json
	$(BIN)/python benchmarks/bench_delivery.py --json
	$(BIN)/python benchmarks/bench_matching.py --json
	$(BIN)/python benchmarks/bench_fuzz.py --json
	$(BIN)/python benchmarks/bench_occupation_search.py --json

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache .ruff_cache
