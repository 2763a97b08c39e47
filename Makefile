# Two entry points: `make run` (the main job) and `make test` (the whole suite).
# Both bootstrap their own virtual environments; nothing is assumed installed.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PEER := .venv-peer
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run report serve test lint typecheck evidence-check pytest peer bench clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# pymsprog pins numpy<2, so the peer lives in its own environment (test-only).
$(PEER)/.installed:
	$(PYTHON) -m venv $(PEER)
	$(PEER)/bin/pip install --quiet --upgrade pip
	$(PEER)/bin/pip install --quiet 'pymsprog==1.0.7'
	touch $@

peer: $(PEER)/.installed

report: $(BIN)/.installed
	$(BIN)/msstem assess examples/profile.json --format html --out $(CURDIR)/out/report.html

run: report
	$(BIN)/msstem serve --host $(HOST) --port $(PORT)

lint: $(BIN)/.installed
	$(BIN)/ruff check src tests bench

typecheck: $(BIN)/.installed
	$(BIN)/mypy

evidence-check: $(BIN)/.installed
	$(BIN)/msstem evidence check

pytest: $(BIN)/.installed $(PEER)/.installed
	MSSTEM_PEER_PYTHON=$(CURDIR)/$(PEER)/bin/python $(BIN)/pytest -n 2 -q
	$(BIN)/pytest -q --doctest-modules src/msstem  # the examples in docstrings

test: lint typecheck evidence-check pytest

bench: $(BIN)/.installed $(PEER)/.installed
	MSSTEM_PEER_PYTHON=$(CURDIR)/$(PEER)/bin/python $(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) $(PEER) out .pytest_cache .mypy_cache .ruff_cache
