# mmdsl: `make demo` and `make test` set everything up on a fresh machine with Python 3.11+.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
BASE_STAMP := $(VENV)/.installed-base

.PHONY: install browser demo test lint typecheck unit generate clean

install: $(STAMP)

# What `make demo` runs needs only the package itself (lark, jinja2, click: about 30 MB); the test
# tools, DuckDB, Spark and the peer engines come with the dev extra, installed by `make test`.
$(BASE_STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $(BASE_STAMP)

$(STAMP): pyproject.toml $(BASE_STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Headless Chromium (Debian's package) for the test that loads the review document in a browser.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium for the review-document test"; \
	  $$( [ "$$(id -u)" = 0 ] || echo sudo ) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$( [ "$$(id -u)" = 0 ] || echo sudo ) \
	    apt-get install -y -qq --no-install-recommends chromium >/dev/null; }

demo: $(BASE_STAMP)
	$(BIN)/mmdsl compile tables/ -o generated/
	$(BIN)/mmdsl eval tables/myeloma_post_daratumumab.mmdsl --facts examples/patient.json

lint: install
	$(BIN)/ruff check mmdsl tests
	$(BIN)/lint-imports

typecheck: install
	$(BIN)/mypy

unit: install feelin
	$(BIN)/pytest

# feelin, a third-party FEEL engine, for the test that evaluates exported DMN with it
# (tests/dmn/test_feelin.py); into the repository's own node_modules/ (not committed).
FEELIN_VERSION := 8.2.0
FEELIN := node_modules/feelin/package.json

.PHONY: feelin
feelin: $(FEELIN)

$(FEELIN):
	npm install --no-save --no-package-lock --no-audit --no-fund --prefix . feelin@$(FEELIN_VERSION)

test: install browser feelin lint typecheck vscode-test
	$(BIN)/mmdsl check tables/
	$(BIN)/mmdsl fmt --check tables/
	$(BIN)/mmdsl test --require-coverage tables/
	$(BIN)/mmdsl compile --check tables/ -o generated/
	$(BIN)/mmdsl docs --check --diagnostics tables/ -o generated/docs
	$(BIN)/pytest

# The VS Code extension (editors/vscode/): its npm development dependencies (the grammar test
# runner, the packager) into editors/vscode/node_modules/ from package-lock.json; its tests (the
# TextMate grammar's, and the client's against this repository's `mmdsl lsp`); `make vscode`
# packages editors/vscode/mmdsl.vsix (`code --install-extension editors/vscode/mmdsl.vsix`).
VSCODE := editors/vscode
VSCODE_MODULES := $(VSCODE)/node_modules/.package-lock.json

.PHONY: vscode vscode-test
$(VSCODE_MODULES): $(VSCODE)/package.json $(VSCODE)/package-lock.json
	cd $(VSCODE) && npm install --no-audit --no-fund
	touch $(VSCODE_MODULES)

vscode-test: install $(VSCODE_MODULES)
	cd $(VSCODE) && MMDSL_PROGRAM=$(abspath $(BIN)/mmdsl) npm test

vscode: $(VSCODE_MODULES)
	cd $(VSCODE) && npm run package

# Rewrite everything generated from tables/ (commit the result: `make test` checks it is fresh).
generate: install
	$(BIN)/mmdsl compile tables/ -o generated/
	$(BIN)/mmdsl docs --diagnostics tables/ -o generated/docs

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache editors/vscode/node_modules editors/vscode/*.vsix

# The benchmark suite of issue 6 (benchmarks/, under 10 minutes on 2 cores): measures everything
# side by side in one run and rewrites benchmarks/RESULTS.md.
BENCH_STAMP := $(VENV)/.installed-bench

$(BENCH_STAMP): pyproject.toml $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	touch $(BENCH_STAMP)

.PHONY: bench
bench: $(BENCH_STAMP)
	$(BIN)/python -m benchmarks.run

# The long reliability run of issue 5 (docs/reliability.md): 100,000 mutated table files through
# the whole pipeline, the big inputs, and 100,000 random facts per shipped guideline and over
# random guidelines, module against interpreter. A few minutes on 2 cores; prints how many inputs
# it tried and how many failed, exits non-zero on any failure or past FUZZ_MINUTES. New inputs
# every day; FUZZ_SEED=N repeats a run.
FUZZ_SEED ?= $(shell date +%Y%m%d)
FUZZ_MINUTES ?= 20

.PHONY: fuzz
fuzz: install
	$(BIN)/python -m tests.reliability.fuzz --seed $(FUZZ_SEED) --minutes $(FUZZ_MINUTES)
