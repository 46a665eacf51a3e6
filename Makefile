# mmdsl: `make demo` and `make test` set everything up on a fresh machine with Python 3.11+.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test lint typecheck unit generate clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: install
	$(BIN)/mmdsl compile tables/ -o generated/
	$(BIN)/mmdsl eval tables/myeloma_post_daratumumab.mmdsl --facts examples/patient.json

lint: install
	$(BIN)/ruff check mmdsl tests

typecheck: install
	$(BIN)/mypy

unit: install
	$(BIN)/pytest

test: install lint typecheck
	$(BIN)/mmdsl check tables/
	$(BIN)/mmdsl compile --check tables/ -o generated/
	$(BIN)/pytest

generate: install
	$(BIN)/mmdsl compile tables/ -o generated/

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache
