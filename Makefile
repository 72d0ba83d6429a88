# Two commands set everything up: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SAMPLE := sample_budgets/llr-2019-24.pcbook
STAMP  := $(VENV)/.installed
TSTAMP := $(VENV)/.installed-test

.PHONY: run test lint bench sample clean package package-check package-untrimmed

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
	$(BIN)/ruff check src tests benchmarks scripts packaging
	$(BIN)/ruff format --check src tests benchmarks scripts packaging
	$(BIN)/mypy
	$(BIN)/lint-imports

## Timings at national scale, printed beside their targets (not run in CI).
bench: $(TSTAMP)
	$(BIN)/python benchmarks/bench_engine.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python benchmarks/bench_gui.py
	$(BIN)/python benchmarks/bench_io.py
	$(BIN)/python benchmarks/bench_months.py
	$(BIN)/python benchmarks/bench_pcns.py

## Rebuild the sample book from its reviewable text source.
sample: $(STAMP)
	rm -f $(SAMPLE)
	$(BIN)/pcbudget new $(SAMPLE) --sample llr --shipped

## A one-folder bundle of the app (PyInstaller) in build/dist/pcbudget, with icons.
package: $(STAMP)
	$(BIN)/python -m pip install --quiet "pyinstaller>=6.6"
	QT_QPA_PLATFORM=offscreen $(BIN)/python scripts/make_icons.py
	$(BIN)/pyinstaller --noconfirm --log-level WARN --distpath build/dist --workpath build/work \
		packaging/pcbudget.spec

## The same bundle without trimming, to measure what trimming saves (into build/untrimmed).
package-untrimmed: $(STAMP)
	PCBUDGET_NO_TRIM=1 $(BIN)/pyinstaller --noconfirm --log-level WARN --distpath build/untrimmed \
		--workpath build/work-untrimmed packaging/pcbudget.spec
	du -sh build/untrimmed/pcbudget

## Smoke test of the built bundle: the CLI, the GUI offscreen, its size and cold start.
package-check:
	bash packaging/package_check.sh build/dist/pcbudget

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
