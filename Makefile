# Dealer CRM. Quick start: `make demo` (serves http://127.0.0.1:8000) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PG_TEST_URL ?= postgresql://postgres@127.0.0.1:5432/test
PYTEST_WORKERS ?= 2

.PHONY: demo serve test lint test-sqlite test-postgres test-dates browser-deps vendor messages clean bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.runtime: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e ".[dev]"
	touch $@ $(VENV)/.runtime

demo: $(VENV)/.runtime
	$(BIN)/dealercrm demo

serve: $(VENV)/.runtime
	$(BIN)/dealercrm serve

test: $(VENV)/.dev browser-deps lint test-sqlite test-postgres
	@echo "make test: lint, SQLite suite and PostgreSQL suite all passed"

lint: $(VENV)/.dev
	$(BIN)/ruff check src bench conftest.py
	$(BIN)/ruff format --check src bench conftest.py
	DJANGO_SETTINGS_MODULE=dealercrm.settings_test $(BIN)/dealercrm check --fail-level WARNING
	DJANGO_SETTINGS_MODULE=dealercrm.settings_test $(BIN)/dealercrm makemigrations --check --dry-run
	$(BIN)/python scripts/check_messages.py

test-sqlite: $(VENV)/.dev
	@echo "== test suite on SQLite =="
	env -u DATABASE_URL $(BIN)/pytest -n $(PYTEST_WORKERS) -q

# CI's machine runs PostgreSQL on 127.0.0.1:5432; start it if it is stopped.
test-postgres: $(VENV)/.dev
	@scripts/ensure_postgres.sh "$(PG_TEST_URL)"
	@echo "== test suite on PostgreSQL ($(PG_TEST_URL)) =="
	DATABASE_URL=$(PG_TEST_URL) $(BIN)/pytest -n $(PYTEST_WORKERS) -q

# The SQLite suite with the clock set to awkward days (a leap day, a year's last minutes in
# China, a later year): finds tests that pass only on the day they were written.
CLOCKS ?= 2028-02-29T09:00+08:00 2026-12-31T23:50+08:00 2031-01-20T08:00+08:00
test-dates: $(VENV)/.dev
	@for when in $(CLOCKS); do \
	  echo "== test suite on SQLite, clock at $$when =="; \
	  env -u DATABASE_URL $(BIN)/pytest -n $(PYTEST_WORKERS) -q --clock $$when || exit 1; \
	done

# Debian's chromium for the browser tests (Playwright's own browser download does not work here).
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

vendor:
	scripts/vendor.sh

messages: $(VENV)/.dev
	cd src/dealercrm && DEALERCRM_HOME=../../var ../../$(BIN)/dealercrm makemessages -l zh_Hans --no-obsolete --ignore 'static/*'
	cd src/dealercrm && DEALERCRM_HOME=../../var ../../$(BIN)/dealercrm compilemessages

clean:
	rm -rf $(VENV) var

# Scale figures (100,000 customers by default; BENCH_CUSTOMERS=10000 for a quick look).
bench: $(VENV)/.dev
	$(BIN)/python bench/run.py
