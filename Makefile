# Two commands set everything up: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SAMPLE := sample_budgets/llr-2019-24.pcbook
STAMP  := $(VENV)/.installed
TSTAMP := $(VENV)/.installed-test

.PHONY: run test lint bench sample clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(TSTAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP) $@

## Install the app and open it on your own copy of the LLR sample book.
run: $(STAMP)
	$(BIN)/pcbudget open --sample

## Install the test extras, check style and layering, run the whole suite.
test: $(TSTAMP) lint
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest

lint: $(TSTAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports

## Timings at national scale, printed beside their targets (not run in CI).
bench: $(TSTAMP)
	$(BIN)/python benchmarks/bench_engine.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python benchmarks/bench_gui.py
	$(BIN)/python benchmarks/bench_io.py

## Rebuild the sample book from its reviewable text source.
sample: $(STAMP)
	rm -f $(SAMPLE)
	$(BIN)/pcbudget new $(SAMPLE) --sample llr

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
