# Two commands for a fresh machine (Python 3.11+ with venv):
#   make demo   install into .venv and evaluate a shipped worked example
#   make test   install into .venv with the test extras and run the whole suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DEMO   ?= definitions/worked-examples/nk-food-sur-place.yaml

.PHONY: demo test venv clean bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

venv: $(BIN)/python

demo: venv
	$(BIN)/python -m pip install --quiet .
	cd /tmp && $(CURDIR)/$(BIN)/refstatus evaluate $(CURDIR)/$(DEMO)

test: venv
	$(BIN)/python -m pip install --quiet '.[test,browser]'
	$(BIN)/python -m pytest

bench: venv
	$(BIN)/python -m pip install --quiet .
	$(BIN)/python bench/evaluate_bench.py

clean:
	rm -rf $(VENV) build dist .pytest_cache .hypothesis
