# Sixdegree: `make help` lists every target.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/pip --disable-pip-version-check
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
# The suite runs on PostgreSQL; pytest-django creates and drops test_<name> itself.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/sixdegree
# The project's own templates (git's view: nothing ignored, nothing from node_modules or build/).
TEMPLATES := git ls-files -z --cached --others --exclude-standard -- '*templates/*.html'

.PHONY: help run test lint format install install-dev assets migrate demo browser-deps proxy-deps check clean bench bench-deps audit

help: ## List the targets
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[36m%-14s\033[0m %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# PyICU (the text checks' Unicode segmentation and confusables) compiles against Debian's ICU.
ICU_DEPS := if ! pkg-config --exists icu-i18n 2>/dev/null; then \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends libicu-dev pkg-config g++; \
	fi

$(VENV)/.installed: requirements.txt $(BIN)/python
	@$(ICU_DEPS)
	$(PIP) install -q -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(BIN)/python
	@$(ICU_DEPS)
	$(PIP) install -q -r requirements-dev.txt
	@touch $@ $(VENV)/.installed

install: $(VENV)/.installed ## Create .venv and install the site's Python packages

install-dev: $(VENV)/.installed-dev ## Install the test and lint tools too

$(VENV)/.installed-bench: requirements-bench.txt $(VENV)/.installed-dev
	$(PIP) install -q -r requirements-bench.txt
	@touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

static/vendor/.built: node_modules/.package-lock.json scripts/copy-assets.mjs
	node scripts/copy-assets.mjs
	@touch $@

assets: static/vendor/.built ## Install front-end packages from npm and copy them into static/vendor

migrate: install ## Apply database migrations (SQLite unless DATABASE_URL is set)
	$(MANAGE) migrate --noinput

demo: migrate ## Load the demo site and its four cases (a second run changes nothing)
	$(MANAGE) load_demo_content

run: install assets demo ## Set up everything and serve the demo on http://127.0.0.1:8000
	$(MANAGE) runserver $(HOST):$(PORT)

browser-deps: ## Install Debian's chromium for the browser tests, if missing
	@if [ ! -x /usr/bin/chromium ]; then \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core; \
	fi

proxy-deps: ## Install Debian's nginx (the buffering reverse proxy of deploy/nginx), if missing
	@if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends nginx; \
	fi

bench-deps: proxy-deps ## Install Debian's wrk (the load generator of `make bench`), if missing
	@if ! command -v wrk >/dev/null; then \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends wrk; \
	fi

bench: $(VENV)/.installed-bench assets browser-deps bench-deps ## Measure the production stack against its floors (loopback, < 10 min): build/bench.json
	$(BIN)/python -m bench

# Lighthouse lives in its own folder: never in the site's node_modules, never served.
tools/audit/node_modules/.package-lock.json: tools/audit/package.json tools/audit/package-lock.json
	npm ci --prefix tools/audit --no-audit --no-fund --ignore-scripts

audit: install-dev assets browser-deps tools/audit/node_modules/.package-lock.json ## Lighthouse (mobile) and axe-core on the demo site, screenshots: build/audit/, build/screens/
	$(BIN)/python -m audit

test: install-dev assets browser-deps proxy-deps ## Install what the tests need and run the whole suite on PostgreSQL
	DATABASE_URL=$(TEST_DATABASE_URL) $(BIN)/pytest

check: install ## Django's system checks
	$(MANAGE) check

lint: install-dev ## ruff (format and lint) and djhtml (templates)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(TEMPLATES) | xargs -0 $(BIN)/djhtml --check

format: install-dev ## Reformat Python and templates in place
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .
	$(TEMPLATES) | xargs -0 $(BIN)/djhtml

clean: ## Remove the virtualenv, node_modules, built assets and the SQLite database
	rm -rf $(VENV) node_modules static/vendor static_collected db.sqlite3 build
