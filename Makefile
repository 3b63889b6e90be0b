# Sojourn: `make run` (demo data + web UI) and `make test` (the whole suite) on a fresh machine.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
UV := .tools/bin/uv
VENV := .venv
export UV_PYTHON_DOWNLOADS := never
export UV_NO_PROGRESS := 1
SYSTEM_PACKAGES := postgresql chromium fonts-noto-cjk openjdk-17-jre-headless

.PHONY: run test lint typecheck pytest pytest-postgres env env-dev system-deps docs lock clean

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

env: $(UV) $(VENV)/bin/python
	$(UV) pip sync --quiet --require-hashes --python $(VENV)/bin/python requirements/main.txt
	$(UV) pip install --quiet --no-deps --no-build-isolation --python $(VENV)/bin/python -e .

env-dev: $(UV) $(VENV)/bin/python
	$(UV) pip sync --quiet --require-hashes --python $(VENV)/bin/python requirements/dev.txt
	$(UV) pip install --quiet --no-deps --no-build-isolation --python $(VENV)/bin/python -e .

# Debian packages the tests use (PostgreSQL server, Chromium, a CJK font, a JDK), when we are root.
system-deps:
	@if [ "$$(id -u)" = 0 ]; then \
	  missing=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	  if [ -n "$$missing" ]; then \
	    echo "installing Debian packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	  fi; \
	else echo "not root: using the system's postgresql, chromium and fonts as installed"; fi

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
lock: $(UV)
	$(UV) pip compile --quiet --generate-hashes --no-header --python $(PYTHON) --python-version 3.11 pyproject.toml -o requirements/main.txt
	$(UV) pip compile --quiet --generate-hashes --no-header --python $(PYTHON) --python-version 3.11 --extra dev pyproject.toml -o requirements/dev.txt
	$(UV) pip compile --quiet --generate-hashes --no-header --python $(PYTHON) --python-version 3.11 requirements/tools.in -o requirements/tools.txt

clean:
	rm -rf $(VENV) .tools var/test var/test-pg test-output
