# Blockwork: `make run` starts the app on the embedded default; `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/blockwork
TEST_REDIS_URL ?= redis://127.0.0.1:6379/1
PORT ?= 8000

.PHONY: run test lint format services lock clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.lock | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.lock
	touch $@

$(VENV)/.dev: requirements-dev.lock | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.lock
	touch $@ $(VENV)/.runtime

## run: install, migrate SQLite, seed the demo and serve on http://localhost:$(PORT)/
run: $(VENV)/.runtime
	env -u DATABASE_URL -u REDIS_URL $(BIN)/python manage.py migrate --no-input
	env -u DATABASE_URL -u REDIS_URL $(BIN)/python manage.py seed_demo
	env -u DATABASE_URL -u REDIS_URL $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

## test: the whole suite against real PostgreSQL and Redis, with headless Chromium
test: $(VENV)/.dev services
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) DEBUG=1 CONN_MAX_AGE=0 \
	  $(BIN)/python -m pytest $(PYTEST_ARGS); status=$$?; \
	  if [ $$status -eq 5 ]; then echo "pytest collected no tests: that is a failure, not a pass." >&2; exit 1; fi; \
	  exit $$status

## services: start PostgreSQL and Redis if they are down, install Chromium if missing
services:
	@.ci/services

## lint: ruff and mypy, as CI runs them
lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .

format: $(VENV)/.dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## lock: re-resolve the locked dependencies from pyproject.toml
lock: | $(BIN)/python
	$(BIN)/pip install --quiet pip-tools
	$(BIN)/pip-compile -q --strip-extras --no-emit-index-url --no-emit-find-links -o requirements.lock pyproject.toml
	$(BIN)/pip-compile -q --strip-extras --no-emit-index-url --no-emit-find-links --extra dev -o requirements-dev.lock pyproject.toml

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
