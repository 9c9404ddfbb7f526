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
# The project's own JavaScript and CSS, the same way; the host site of tests/host_site stays as
# `wagtail start` generated it.
OWN_FILES := git ls-files -z --cached --others --exclude-standard -- ':!:**/vendor/**' ':!:**/node_modules/**' ':!:tests/host_site/**'
JS_FILES := $(OWN_FILES) '*.js' '*.mjs' '*.cjs'
CSS_FILES := $(OWN_FILES) '*.css'
LINT_BIN := tools/lint/node_modules/.bin

.PHONY: help run test lint format install install-dev assets wheelhouse migrate demo browser-deps proxy-deps check clean bench bench-deps audit lint-py lint-js lint-css

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

VENDOR := sixdegree_cases/static/sixdegree_cases/vendor

$(VENDOR)/.built: node_modules/.package-lock.json scripts/copy-assets.mjs scripts/vendor-assets.json
	node scripts/copy-assets.mjs
	@touch $@

assets: $(VENDOR)/.built ## Install front-end packages from npm and copy them into the plugin's static files

migrate: install ## Apply database migrations (SQLite unless DATABASE_URL is set)
	$(MANAGE) migrate --noinput

demo: migrate ## Load the demo site and its four cases (a second run changes nothing)
	$(MANAGE) load_demo_content

# Page URLs, the API's links and payment returns name the address `make run` serves
# (the demo site follows WAGTAILADMIN_BASE_URL): `make run PORT=8001` keeps them consistent.
run demo: export WAGTAILADMIN_BASE_URL ?= http://$(HOST):$(PORT)

run: install assets demo ## Set up everything and serve the demo on http://127.0.0.1:8000
	$(MANAGE) runserver $(HOST):$(PORT)

# The plugin's dependencies as wheels, pinned by requirements.txt (pip constraints take no
# extras): tests/plugin/test_wheel.py installs the built plugin from here into a fresh venv.
WHEELHOUSE := build/wheelhouse

$(WHEELHOUSE)/.built: pyproject.toml requirements.txt $(VENV)/.installed $(VENDOR)/.built
	mkdir -p $(WHEELHOUSE)
	sed 's/\[[a-z0-9,]*\]//' requirements.txt > build/constraints.txt
	$(PIP) wheel -q -c build/constraints.txt -w $(WHEELHOUSE) .
	rm -f $(WHEELHOUSE)/sixdegree_cases-*.whl
	@touch $@

wheelhouse: $(WHEELHOUSE)/.built ## Download and build the plugin's dependencies as wheels (for the wheel test)

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

test: install-dev assets wheelhouse browser-deps proxy-deps ## Install what the tests need and run the whole suite on PostgreSQL
	DATABASE_URL=$(TEST_DATABASE_URL) $(BIN)/pytest

check: install assets ## Django's system checks
	$(MANAGE) check

# A failing `git ls-files` (no checkout) fails the lint instead of linting nothing.
lint-py lint-js lint-css: .SHELLFLAGS := -o pipefail -c

lint: lint-py lint-js lint-css ## ruff (format and lint), djhtml (templates), ESLint (JS) and Stylelint (CSS)

lint-py: install-dev ## ruff (format and lint) and djhtml (templates)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(TEMPLATES) | xargs -0 $(BIN)/djhtml --check

# ESLint and Stylelint live in their own folder: never in the site's node_modules, never served.
$(LINT_BIN)/.installed: tools/lint/package.json tools/lint/package-lock.json
	npm ci --prefix tools/lint --no-audit --no-fund --ignore-scripts
	@touch $@

lint-js: $(LINT_BIN)/.installed ## ESLint (recommended rules) on the project's own JavaScript
	$(JS_FILES) | xargs -0 $(LINT_BIN)/eslint --max-warnings 0 --config tools/lint/eslint.config.mjs

lint-css: $(LINT_BIN)/.installed ## Stylelint (stylelint-config-standard) on the project's own CSS
	$(CSS_FILES) | xargs -0 $(LINT_BIN)/stylelint --max-warnings 0 --config tools/lint/stylelint.config.mjs --config-basedir tools/lint

format: install-dev ## Reformat Python and templates in place
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .
	$(TEMPLATES) | xargs -0 $(BIN)/djhtml

clean: ## Remove the virtualenv, node_modules, built assets and the SQLite database
	rm -rf $(VENV) node_modules tools/lint/node_modules static/vendor $(VENDOR) static_collected db.sqlite3 build
