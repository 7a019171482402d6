# Podcast Appearance Analytics — every command sets up what it needs first.
#   make run    set up, load the bundled sample, start Airflow and the dashboard (Ctrl-C stops)
#   make test   set up (plus Chromium for browser tests), lint, run the whole test suite
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
UV := $(PYTHON) -m uv
UV_VERSION := 0.13.8
STAMP := $(VENV)/.synced
SITE := $(VENV)/lib/python3.11/site-packages

.PHONY: run test setup browsers lint sql status lock clean help

help:
	@echo "make run | make test | make sql Q=\"SELECT ...\" | make status | make lint | make lock | make clean"

run: setup
	$(PY) -m paa run

test: setup browsers
	$(VENV)/bin/ruff check .
	$(PY) -m pytest -m "not slow" --headless -p no:cacheprovider

setup: $(STAMP)

# The lock is the constraint (Airflow's constraint files are not reachable); bytecode is compiled
# because without it every Airflow command starts several seconds slower.
$(STAMP): requirements.txt
	@$(UV) --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet "uv==$(UV_VERSION)"
	@test -x $(PY) || $(UV) venv --quiet -p 3.11 $(VENV)
	$(UV) pip sync --quiet -p $(PY) --require-hashes --compile-bytecode requirements.txt
	@echo "$(CURDIR)" > $(SITE)/paa_repo.pth
	@touch $@

# Chromium and its driver for the browser tests, from Debian's packages, only when missing.
browsers:
	@if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then \
		echo "installing chromium and chromium-driver (Debian packages)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			--no-install-recommends chromium chromium-driver >/dev/null; \
	fi

lint: setup
	$(VENV)/bin/ruff check .

sql: setup
	@$(PY) -m paa sql "$(Q)"

status: setup
	@$(PY) -m paa status

lock:
	$(UV) pip compile requirements.in -p 3.11 --generate-hashes -o requirements.txt

clean:
	rm -rf state
