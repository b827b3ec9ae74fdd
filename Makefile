# Shouwang build and test harness. `make help` lists the targets; docs/testing.md explains them.
#
# Every target works from a fresh clone: `make venv` builds .venv from pyproject.toml and
# requirements/constraints.txt, and the other targets depend on it.

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:
# `make test` runs its steps in the order listed, one at a time, even under -j.
.NOTPARALLEL:

# python3.11, else python3 (the venv recipe checks that it is 3.11).
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3 2>/dev/null)
VENV := .venv
STAMP := $(VENV)/.installed
SHOUWANG := $(VENV)/bin/shouwang
PYTEST := $(VENV)/bin/pytest
RUFF := $(VENV)/bin/ruff
IS_PY311 := import sys; sys.exit(sys.version_info[:2] != (3, 11))

DEMO_HOST ?= 127.0.0.1
DEMO_PORT ?= 8000
CHROMIUM ?= /usr/bin/chromium

# Checks and tests use the test settings (pyproject's pytest config sets the same for pytest).
TEST_ENV := DJANGO_SETTINGS_MODULE=shouwang.config.test_settings
# `make check` needs no real database: an in-memory SQLite one (ignoring DATABASE_URL).
CHECK_ENV := $(TEST_ENV) DATABASE_URL=sqlite://:memory:

# Compile the translations (if there are any), installing Debian's gettext for msgfmt when
# it is missing and we are root.
define COMPILEMESSAGES
if [ -d shouwang/locale ]; then \
  if ! command -v msgfmt >/dev/null 2>&1; then \
    if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
      echo "msgfmt missing: installing Debian's gettext"; \
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends gettext; \
    else \
      echo "error: msgfmt missing; install gettext (Debian: apt-get install gettext)" >&2; exit 1; \
    fi; \
  fi; \
  $(1) $(SHOUWANG) compilemessages --ignore=$(VENV); \
fi
endef

# Run pytest; exit 5 ("no tests collected") is a failure, said out loud.
define RUN_PYTEST
rc=0; $(1) || rc=$$?; \
if [ $$rc -eq 5 ]; then echo "error: pytest collected no tests (exit 5): that is a failure" >&2; fi; \
exit $$rc
endef

.PHONY: help venv constraints demo test lint check messages test-sqlite test-postgres \
        test-browser bench clean assets

# help: list the targets.
help:
	@echo "make venv           create .venv (Python 3.11) and install Shouwang with its test extra"
	@echo "make demo           migrate, load demo data and run the server on $(DEMO_HOST):$(DEMO_PORT)"
	@echo "make test           lint, check, test-sqlite, test-postgres, test-browser, in that order"
	@echo "make lint           ruff check and ruff format --check"
	@echo "make check          migrations up to date, Django system checks, translations compile"
	@echo "make test-sqlite    pytest on SQLite"
	@echo "make test-postgres  pytest on a throwaway PostgreSQL server (scripts/with-postgres)"
	@echo "make test-browser   pytest -m browser in Debian's headless Chromium"
	@echo "make bench          pytest -m benchmark bench/"
	@echo "make assets         npm ci and copy ECharts into shouwang/static/vendor/ (served locally)"
	@echo "make constraints    regenerate requirements/constraints.txt"
	@echo "make clean          remove .venv and var/"
	@echo "(the report PDF needs a Chinese font: apt-get install fonts-noto-cjk; its test uses poppler-utils)"

# venv: .venv with Shouwang installed editable, pinned by requirements/constraints.txt.
# The stamp file makes a re-run free until pyproject.toml or the constraints change.
venv: $(STAMP)

$(STAMP): pyproject.toml requirements/constraints.txt
	@if [ -x $(VENV)/bin/python ] && ! $(VENV)/bin/python -c '$(IS_PY311)'; then \
	  echo "$(VENV) is not Python 3.11: recreating it"; rm -rf $(VENV); \
	fi
	@if [ ! -x $(VENV)/bin/python ]; then \
	  py="$(PYTHON)"; \
	  if [ -z "$$py" ]; then echo "error: neither python3.11 nor python3 found" >&2; exit 1; fi; \
	  if ! "$$py" -c '$(IS_PY311)'; then \
	    echo "error: $$py is Python $$("$$py" -c 'import platform; print(platform.python_version())'); Shouwang needs 3.11 (set PYTHON=...)" >&2; \
	    exit 1; \
	  fi; \
	  echo "creating $(VENV) with $$py"; \
	  "$$py" -m venv $(VENV); \
	fi
	$(VENV)/bin/python -m pip install --quiet --upgrade pip
	$(VENV)/bin/python -m pip install --quiet -c requirements/constraints.txt -e '.[test]'
	@touch $@

# constraints: regenerate requirements/constraints.txt, the pinned transitive set, from a
# scratch venv in /tmp (if the editable install fails, pyproject's dependencies and test
# extra are installed directly).
constraints:
	@tmp=$$(mktemp -d /tmp/shouwang-constraints.XXXXXX); trap 'rm -rf "$$tmp"' EXIT; \
	py="$(PYTHON)"; "$$py" -c '$(IS_PY311)' || { echo "error: $$py is not Python 3.11" >&2; exit 1; }; \
	"$$py" -m venv "$$tmp/venv"; \
	"$$tmp/venv/bin/python" -m pip install --quiet --upgrade pip; \
	if ! "$$tmp/venv/bin/python" -m pip install --quiet -e '.[test]'; then \
	  echo "editable install failed: installing pyproject's dependencies directly" >&2; \
	  "$$tmp/venv/bin/python" -c 'import tomllib; p = tomllib.load(open("pyproject.toml", "rb"))["project"]; print("\n".join(p["dependencies"] + p["optional-dependencies"]["test"]))' > "$$tmp/direct.txt"; \
	  "$$tmp/venv/bin/python" -m pip install --quiet -r "$$tmp/direct.txt"; \
	fi; \
	mkdir -p requirements; \
	{ \
	  echo "# Pinned transitive dependencies of Shouwang (direct ones are pinned in pyproject.toml)."; \
	  echo "# Used as pip constraints by \`make venv\`: pip install -c requirements/constraints.txt -e '.[test]'"; \
	  echo "#"; \
	  echo "# Generated, do not edit by hand. Regenerate with \`make constraints\`, which installs"; \
	  echo "# pip install -e '.[test]' into a scratch Python 3.11 venv in /tmp and writes"; \
	  echo "# pip freeze --exclude-editable here."; \
	  "$$tmp/venv/bin/python" -m pip freeze --exclude-editable; \
	} > requirements/constraints.txt.new; \
	mv requirements/constraints.txt.new requirements/constraints.txt; \
	echo "wrote requirements/constraints.txt"

# assets: third-party browser files, from the npm registry pinned by package-lock.json, copied
# into shouwang/static/vendor/ (git-ignored: never committed, never from a CDN). Redone only
# when the lock file changes.
ECHARTS := shouwang/static/vendor/echarts/echarts.min.js
assets: $(ECHARTS)

$(ECHARTS): package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "error: npm missing (Debian: apt-get install nodejs npm)" >&2; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	@mkdir -p $(dir $@)
	cp node_modules/echarts/dist/echarts.min.js $@

# demo: a local demo on $(DEMO_HOST):$(DEMO_PORT) with demo data; the demo command prints the
# demo logins. The database and static files live in var/; the secret key is made once.
demo: export SECRET_KEY_FILE := $(CURDIR)/var/secret_key
demo: venv assets
	@mkdir -p var
	@if [ ! -s var/secret_key ]; then \
	  (umask 077 && $(VENV)/bin/python -c 'import secrets;print(secrets.token_urlsafe(50))' > var/secret_key); \
	  echo "created var/secret_key"; \
	fi
	$(SHOUWANG) migrate --noinput
	@$(call COMPILEMESSAGES,)
	$(SHOUWANG) collectstatic --noinput
	$(SHOUWANG) demo --if-empty
	$(SHOUWANG) runserver $(DEMO_HOST):$(DEMO_PORT)

# test: everything CI runs, in order (stops at the first failure).
test: venv lint check test-sqlite test-postgres test-browser

# lint: ruff's linter and formatter, checking only (`ruff format .` fixes the format).
lint: venv
	$(RUFF) check .
	$(RUFF) format --check .

# check: translations compile (see messages), migrations match the models, Django's system
# checks pass.
check: venv assets messages
	$(CHECK_ENV) $(SHOUWANG) makemigrations --check --dry-run
	$(CHECK_ENV) $(SHOUWANG) check

# messages: compile the translations (.mo files are not committed; the test targets need them).
messages: venv
	@$(call COMPILEMESSAGES,$(CHECK_ENV))

# test-sqlite: the test suite on SQLite (any DATABASE_URL in the environment is ignored).
test-sqlite: venv messages
	@$(call RUN_PYTEST,env -u DATABASE_URL $(TEST_ENV) $(PYTEST))

# test-postgres: the test suite on a throwaway PostgreSQL server. Without PostgreSQL it is
# skipped, loudly, except under CI=true or REQUIRE_POSTGRES=1, where that is a failure.
test-postgres: venv messages
	@$(call RUN_PYTEST,$(TEST_ENV) scripts/with-postgres $(PYTEST))

# test-browser: end-to-end tests in Debian's headless Chromium (never a Playwright browser
# download). Without Chromium it is skipped, loudly, except under CI=true or
# REQUIRE_BROWSER=1, where that is a failure.
test-browser: venv assets messages
	@if [ ! -x "$(CHROMIUM)" ]; then \
	  if [ "$${CI:-}" = true ] || [ "$${REQUIRE_BROWSER:-}" = 1 ]; then \
	    echo "error: $(CHROMIUM) missing (Debian: apt-get install chromium)" >&2; exit 1; \
	  fi; \
	  echo ""; \
	  echo "#############################################################################"; \
	  echo "##  SKIPPED: browser tests, $(CHROMIUM) not installed (apt-get install chromium)"; \
	  echo "##  Set REQUIRE_BROWSER=1 (or CI=true) to make this a failure."; \
	  echo "#############################################################################"; \
	  echo ""; \
	  exit 0; \
	fi; \
	$(call RUN_PYTEST,env -u DATABASE_URL $(TEST_ENV) PLAYWRIGHT_CHROMIUM_EXECUTABLE=$(CHROMIUM) PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 $(PYTEST) -m browser)

# bench: the timing benchmarks under bench/ (not part of `make test`).
bench: venv
	$(TEST_ENV) $(PYTEST) -m benchmark bench/ -p no:cacheprovider

# clean: remove the virtualenv and var/ (demo database, static files, secret key).
clean:
	rm -rf $(VENV) var
