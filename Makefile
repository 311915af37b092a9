# `make run` installs, migrates and serves on SQLite; `make test` installs and runs every test.
PYTHON ?= python3.11
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check -q
BENCH_ARGS ?= --update

.PHONY: run test install install-dev migrate bench loadtest clean

$(PY):
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)

# Stamps make a second `make run` reuse what is installed.
$(VENV)/.installed: requirements.txt | $(PY)
	$(PIP) install -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(PIP) install -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

migrate: install
	$(PY) -m quotes db upgrade

run: migrate
	$(PY) -m quotes serve

test: install-dev
	bash scripts/install_browser.sh
	$(PY) -m pytest

# Benchmarks (issue 4) and the load test (issue 5): figures go to BENCHMARKS.md.
bench: install
	$(PY) -m bench $(BENCH_ARGS)

loadtest: install
	scripts/loadtest.sh --update

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
