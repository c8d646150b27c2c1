# Bastide — `make` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
UV_VERSION := 0.13.9
HOST ?= 0.0.0.0
PORT ?= 8000

.DEFAULT_GOAL := help
.PHONY: help install browser-deps apertium-deps audio-deps nginx-deps postgresql-deps seed demo test test-fast lint check pytest guide-screenshots bench messages lock clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-13s %s\n", $$1, $$2}'

$(BIN)/uv:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet uv==$(UV_VERSION)

$(VENV)/.installed: $(BIN)/uv pyproject.toml uv.lock
	UV_PROJECT_ENVIRONMENT=$(VENV) $(BIN)/uv sync --frozen --quiet
	@touch $@

# Bytecode compiled ahead, so that no process (a gunicorn worker above all) compiles a module
# from source when it first imports it (docs/serving.md#no-slow-tail): the dependencies after
# each sync, our own code when a module changed (nothing to do otherwise: make compares dates).
$(VENV)/.bytecode: $(VENV)/.installed
	$(BIN)/python -m compileall -q -q -j 0 $(VENV)/lib; true
	@touch $@

$(VENV)/.bytecode-own: $(VENV)/.installed $(shell git ls-files '*.py' 2>/dev/null)
	$(BIN)/python -m compileall -q -j 0 -x '(^|/)(\.[a-z]+|node_modules|media|static)(/|$$)' .
	@touch $@

install: $(VENV)/.bytecode $(VENV)/.bytecode-own ## Create .venv, install the locked dependencies, compile the bytecode

browser-deps: ## Chromium, chromedriver, Java (apt-get, as root), axe-core and vnu (npm ci) for tests/browser
	@bin/browser-deps

apertium-deps: ## Apertium and its French → Occitan pair (apt-get, as root) for machine translation
	@bin/apertium-deps

audio-deps: ## ffmpeg (apt-get, as root) for the Occitan recordings
	@bin/audio-deps

nginx-deps: ## nginx-light and its brotli_static module (apt-get, as root) for the front's tests
	@bin/nginx-deps

postgresql-deps: ## PostgreSQL's server (apt-get, as root) for the read replica's tests
	@bin/postgresql-deps || echo "postgresql-deps: tests/test_read_replica.py will skip, saying why"

# While seeding, changes withdraw and bake nothing (each publish of the demo content would
# start a bake in a thread of a command about to exit); `bake --all` then bakes every site once.
# `manage.py seed` runs the steps in one process and indexes once (docs/scaling.md#faster-start).
seed: export BAKING_ENABLED = 0
seed: install ## Migrate, load the registry, provision every site, fill them, create demo accounts, bake the pages
	$(MANAGE) seed
	$(MANAGE) bake --all --parallel 2

# The same, but serving as soon as the content is there: the pages are baked in the background
# meanwhile (var/log/bake.log). Until a site's files are in, Django renders its pages, with the
# same content. Stopping the server stops the bake; the next `make demo` bakes again.
demo: install ## seed, then serve on http://localhost:8000/ while the pages bake (SQLite unless DATABASE_URL is set)
	BAKING_ENABLED=0 $(MANAGE) seed
	@mkdir -p var/log
	@echo "Portal: http://localhost:$(PORT)/   A commune: http://bergerac.localhost:$(PORT)/   Admin: http://localhost:$(PORT)/admin/"
	@echo "Baking the pages in the background (var/log/bake.log); until then Django renders them."
	@BAKING_ENABLED=0 nice -n 10 $(MANAGE) bake --all --parallel 2 > var/log/bake.log 2>&1 & bake=$$!; \
	  trap 'kill $$bake 2>/dev/null' EXIT; \
	  SITE_PORT=$(PORT) $(MANAGE) runserver $(HOST):$(PORT)

lint: install ## ruff (lint and format check)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

check: install ## Django system checks, missing migrations, check --deploy (production settings)
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py check --fail-level WARNING
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py makemigrations --check --dry-run
	@# The production settings as deployed, with a throwaway key (they refuse to start without one).
	DJANGO_SETTINGS_MODULE=config.settings.production \
	SECRET_KEY="$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
	$(BIN)/python manage.py check --deploy --fail-level WARNING

# Both cores: each pytest-xdist worker has its own test database and Redis database
# (config/settings/test.py); the transactional tests (browser tests, backups) share one worker.
PYTEST_WORKERS ?= 2
XDIST := -n $(PYTEST_WORKERS) --dist loadgroup

pytest: install browser-deps apertium-deps audio-deps nginx-deps postgresql-deps ## The whole test suite, browser tests included (PostgreSQL when DATABASE_URL is set, else SQLite)
	$(BIN)/pytest $(XDIST) $(PYTEST_ARGS)

test: lint check pytest ## Everything CI runs

test-fast: install apertium-deps audio-deps nginx-deps postgresql-deps ## The test suite without the browser tests (no Chromium needed), no lint
	$(BIN)/pytest $(XDIST) --ignore=tests/browser $(PYTEST_ARGS)

guide-screenshots: install browser-deps ## Retake the screenshots of docs/guide-secretaire.md (Chromium), to commit
	BASTIDE_GUIDE_SCREENSHOTS=1 $(BIN)/pytest -p no:cacheprovider tests/browser/test_guide_screenshots.py

bench: install ## Benchmarks (print figures)
	$(BIN)/python bench/provision.py
	$(BIN)/python bench/directory.py
	$(BIN)/python bench/search.py

messages: install ## Compile the translation catalogues
	cd locale && for po in */LC_MESSAGES/django.po; do msgfmt --check -o $${po%.po}.mo $$po; done

lock: $(BIN)/uv ## Re-lock the dependencies after editing pyproject.toml
	$(BIN)/uv lock

clean: ## Remove the virtualenv, the SQLite database and media
	rm -rf $(VENV) db.sqlite3 db.sqlite3-wal db.sqlite3-shm media static tests/browser/node_modules
