# Sojourn: `make run` (demo data + web UI) and `make test` (the whole suite) on a fresh machine.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
UV := .tools/bin/uv
VENV := .venv
export UV_PYTHON_DOWNLOADS := never
export UV_NO_PROGRESS := 1
SYSTEM_PACKAGES := postgresql chromium fonts-noto-cjk openjdk-17-jre-headless
# What building pyicu (followthemoney's ICU binding, a source distribution only) needs.
BUILD_PACKAGES := libicu-dev pkg-config g++

.PHONY: run test lint typecheck pytest pytest-postgres env env-dev build-deps system-deps docs lock clean

run: env
	$(VENV)/bin/sojourn migrate --verbosity 0
	$(VENV)/bin/sojourn demo

test: system-deps env-dev lint typecheck pytest pytest-postgres

# uv lives in a project-local tools venv, installed from a hash-pinned lock.
$(UV): requirements/tools.txt
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements/tools.txt
	touch $(UV)

$(VENV)/bin/python: | $(UV)
	$(UV) venv --quiet --python $(PYTHON) $(VENV)

env: build-deps $(UV) $(VENV)/bin/python
	$(UV) pip sync --quiet --require-hashes --python $(VENV)/bin/python requirements/main.txt
	$(UV) pip install --quiet --no-deps --no-build-isolation --python $(VENV)/bin/python -e .

env-dev: build-deps $(UV) $(VENV)/bin/python
	$(UV) pip sync --quiet --require-hashes --python $(VENV)/bin/python requirements/dev.txt
	$(UV) pip install --quiet --no-deps --no-build-isolation --python $(VENV)/bin/python -e .

# Debian packages, installed when we are root: $(1) is the list, $(2) what they are for.
define apt_install
	@if [ "$$(id -u)" = 0 ]; then \
	  missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	  if [ -n "$$missing" ]; then \
	    echo "installing Debian packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	  fi; \
	else echo "not root: using the system's $(2) as installed"; fi
endef

# ICU headers and a C++ compiler, for the Python environment itself.
build-deps:
	$(call apt_install,$(BUILD_PACKAGES),ICU headers and C++ compiler)

# The tests' PostgreSQL server, Chromium, a CJK font and a JDK.
system-deps:
	$(call apt_install,$(SYSTEM_PACKAGES),PostgreSQL server and Chromium and fonts and JDK)

lint:
	$(VENV)/bin/ruff check src tests bench scripts

typecheck:
	$(VENV)/bin/mypy src

# The whole suite on SQLite, browser tests included.
pytest:
	SOJOURN_HOME=$(CURDIR)/var/test $(VENV)/bin/pytest -q

# Everything that touches the database again, on a throwaway PostgreSQL cluster.
pytest-postgres:
	SOJOURN_HOME=$(CURDIR)/var/test-pg $(VENV)/bin/python scripts/with_postgres.py -- \
	  $(VENV)/bin/pytest -q -m "not browser and not pure"

docs: env-dev
	$(VENV)/bin/python scripts/gen_docs.py

# Re-lock after changing dependencies in pyproject.toml.
# main.txt is compiled under dev.txt's versions, so `make run` and `make test` run the same ones
# (followthemoney pulls mypy into the runtime through sqlalchemy[mypy]; django-stubs holds it to 1.x).
lock: $(UV)
	$(UV) pip compile --quiet --generate-hashes --no-header --python $(PYTHON) --python-version 3.11 --extra dev pyproject.toml -o requirements/dev.txt
	$(UV) pip compile --quiet --generate-hashes --no-header --python $(PYTHON) --python-version 3.11 -c requirements/dev.txt pyproject.toml -o requirements/main.txt
	$(UV) pip compile --quiet --generate-hashes --no-header --python $(PYTHON) --python-version 3.11 requirements/tools.in -o requirements/tools.txt

clean:
	rm -rf $(VENV) .tools var/test var/test-pg test-output
