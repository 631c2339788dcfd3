# PeerTrain — the two commands are `make run` and `make test` (`make dev` while developing).
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run dev test test-embedded bench fuzz lint fmt check install install-dev migrate seed

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(VENV)/.installed $@

# Test tools from the npm registry (the HTML checker), when npm is here; its tests say so
# when it isn't. --ignore-scripts: the package's own script would fetch a Java runtime.
NODE_TOOLS := $(if $(shell command -v npm),node_modules/.package-lock.json)
node_modules/.package-lock.json: package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev $(NODE_TOOLS)

migrate: install
	$(BIN)/python manage.py migrate --noinput

seed: migrate
	$(BIN)/python manage.py seed_demo

## Serve http://127.0.0.1:8000 (gunicorn, threaded workers) with a Celery worker and beat
## beside it; any of them that exits is started again. Ctrl-C stops all.
run: seed
	$(BIN)/python -m peertrain.launcher

## The same with Django's auto-reloading development server instead of gunicorn.
dev: seed
	$(BIN)/python -m peertrain.launcher --dev

## The whole suite, on whatever DATABASE_URL / REDIS_URL say (embedded default if unset).
test: install-dev
	$(BIN)/pytest

## The suite on the embedded default (SQLite + filesystem broker), whatever the environment.
test-embedded: install-dev
	env -u DATABASE_URL -u REDIS_URL -u PEERTRAIN_REQUIRE_SERVICES $(BIN)/pytest -m "not e2e"

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

fmt: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check: lint
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(MAKE) test

## Generated input to every form endpoint, many examples per route (make test runs a few).
fuzz: install-dev
	FUZZ_SIZE=full $(BIN)/pytest tests/fuzz -q

## Benchmarks and fault scenarios at full size (needs DATABASE_URL pointing at PostgreSQL,
## and REDIS_URL for the fault scenarios); prints figures.
bench: install-dev
	BENCH_SIZE=full $(BIN)/pytest tests/load tests/faults -s -q
