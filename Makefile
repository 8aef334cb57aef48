# Awesome Curator — everything a newcomer needs is `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# Local development runs with DEBUG on; production never uses this Makefile target.
DEV_ENV := DJANGO_DEBUG=true

.DEFAULT_GOAL := help
.PHONY: help install run serve demo reset-demo test screenshots lint format check lock clean

help:
	@echo "make run        install, migrate, load the demo list and accounts, serve on http://$(HOST):$(PORT)/"
	@echo "make reset-demo start over: move the local database aside, migrate, load the demo"
	@echo "make test       install the test extras and run the whole suite (SQLite by default)"
	@echo "make lint       ruff check, ruff format --check and mypy"
	@echo "make format     ruff format and ruff check --fix"
	@echo "make screenshots  re-take docs/screenshots/ with the browser tests"
	@echo "make lock       re-pin transitive dependencies into constraints.txt"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Re-install whenever the pins change; the stamp makes a second `make test` start at once.
$(VENV)/.installed: pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"
	touch $@

install: $(VENV)/.installed

run: install
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEV_ENV) $(BIN)/python manage.py load_demo
	$(DEV_ENV) $(BIN)/python manage.py runserver $(HOST):$(PORT)

# Serve without reloading migrations or the demo (used by tests that need a running site).
serve: install
	$(DEV_ENV) $(BIN)/python manage.py runserver $(HOST):$(PORT)

demo: install
	$(DEV_ENV) $(BIN)/python manage.py load_demo

# Start over with a fresh demo. The old database is kept beside it (renamed), never deleted;
# with DATABASE_URL set this refuses, since that database is not the local one.
LOCAL_DB := var/awesome-curator.sqlite3
reset-demo: install
	@if [ -n "$$DATABASE_URL" ]; then echo "reset-demo: DATABASE_URL is set; this only resets $(LOCAL_DB)"; exit 1; fi
	@if [ -f $(LOCAL_DB) ]; then mv $(LOCAL_DB) $(LOCAL_DB).$$(date +%Y%m%d-%H%M%S).bak && echo "Moved the old database to $(LOCAL_DB).*.bak"; fi
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEV_ENV) $(BIN)/python manage.py load_demo

# PYTEST_ARGS lets CI and developers pass options, e.g. make test PYTEST_ARGS="-k models -x".
test: install
	$(DEV_ENV) $(BIN)/python -m pytest $(PYTEST_ARGS)

# Re-take the screenshots of docs/screenshots/ (the browser tests take them; this keeps them).
screenshots: install
	$(DEV_ENV) UPDATE_SCREENSHOTS=1 $(BIN)/python -m pytest tests/browser -q

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(DEV_ENV) $(BIN)/mypy config catalog curation

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

check: install
	$(DEV_ENV) $(BIN)/python manage.py check
	$(DEV_ENV) $(BIN)/python manage.py makemigrations --check --dry-run

lock: | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^awesome-curator' > constraints.txt

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .coverage htmlcov
