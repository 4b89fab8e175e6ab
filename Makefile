# klaster: two commands for a new user (see README): `make run` and `make test`.
# Everything installs into .venv with uv from the lock file; uv itself is
# bootstrapped into .tools with the system Python 3.11.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
UV_VERSION := 0.13.8
UV := .tools/bin/uv
VENV := .venv
BIN := $(VENV)/bin

export KLASTER_WAREHOUSE ?= $(CURDIR)/data/warehouse/klaster.duckdb
export DAGSTER_HOME ?= $(CURDIR)/.dagster_home

.PHONY: install system-deps manifest run test test-fast ui report rollback sql docs screenshots bench lint clean

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/python -m pip install --quiet "uv==$(UV_VERSION)"

# --compile-bytecode: Python then reads the packages' bytecode instead of
# compiling dagster, dbt and Great Expectations again in every process (a
# refresh starts several; PYTHONDONTWRITEBYTECODE, set on some machines, would
# otherwise make that cost permanent: about 30 s per `klaster refresh`).
$(VENV)/.synced: $(UV) pyproject.toml uv.lock
	$(UV) sync --locked --compile-bytecode --python "$(PYTHON)"
	@touch $(VENV)/.synced

install: $(VENV)/.synced

# dbt's manifest is built here, never when Dagster imports the project.
# The project's own bytecode too (only what changed is compiled again).
manifest: install
	@$(BIN)/python -m compileall -q dagster_project tests bench
	@mkdir -p "$(DAGSTER_HOME)"
	cd dbt && ../$(BIN)/dbt parse --profiles-dir . --target build --quiet --no-partial-parse

run: manifest
	$(BIN)/python -m dagster_project.cli refresh

# The dashboard test drives Debian's headless Chromium; installed when missing
# and we may (root, as on CI and the project's machines).
system-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else echo "note: chromium is not installed (apt-get install chromium); the dashboard test will be skipped"; fi; }

# Both cores: two pytest-xdist workers; an idle one takes work from the other
# (worksteal). The resilience proof (a chain of killed and rerun refreshes) is
# scheduled first, the tests that need no refresh fill the time (tests/conftest.py).
PYTEST_WORKERS ?= 2
PYTEST_PARALLEL := -n $(PYTEST_WORKERS) --dist worksteal

test: manifest system-deps
	$(BIN)/pytest $(PYTEST_PARALLEL)

# The fast part: numerics, parsers, readers, definitions, dbt unit tests; no
# refresh. What a developer runs while changing code (the whole suite is `make test`).
test-fast: manifest
	$(BIN)/pytest $(PYTEST_PARALLEL) -m "not slow"

ui: manifest
	$(BIN)/dagster dev -m dagster_project.definitions -h 127.0.0.1 -p 3000

report: install
	$(BIN)/python -m dagster_project.cli report

rollback: install
	$(BIN)/python -m dagster_project.cli rollback

# Read-only DuckDB shell on the published warehouse (safe during a refresh).
sql: install
	$(BIN)/python -m dagster_project.cli sql

# dbt docs: every model, column, source (with provenance) and the report exposures.
docs: manifest
	cd dbt && ../$(BIN)/dbt docs generate --profiles-dir . --target docs --static
	@echo "dbt docs: $(CURDIR)/dbt/target/static_index.html (opens from disk)"

# Regenerate the committed screenshots and the ask-the-warehouse page (after make run).
screenshots: install
	$(BIN)/python -m dagster_project.reports.screenshots --out docs/screenshots --language en --language kk
	$(BIN)/python -m dagster_project.reports.questions --language en --out docs/ask_the_warehouse.md

bench: install
	@for b in bench/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

lint: install
	$(BIN)/ruff check dagster_project tests bench
	$(BIN)/sqlfluff lint dbt/models dbt/macros --processes 2

clean:
	rm -rf $(VENV) .tools dbt/target dbt/logs
