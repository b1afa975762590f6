# The only set-up a fresh machine needs: `make run` and `make test`.
VENV := .venv
PY := $(VENV)/bin/python
PIP_STAMP := $(VENV)/.installed
NPM_STAMP := node_modules/.installed

.PHONY: run test lint bench messages chromium demo

$(PIP_STAMP): pyproject.toml
	python3.11 -m venv $(VENV) 2>/dev/null || python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e ".[dev]"
	touch $@

$(NPM_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

run: $(PIP_STAMP) $(NPM_STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	$(PY) manage.py runserver 127.0.0.1:8000

demo: $(PIP_STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo --reset

test: $(PIP_STAMP) $(NPM_STAMP) chromium
	$(VENV)/bin/ruff check .
	$(VENV)/bin/pytest

# Browser tests drive Debian's Chromium; Playwright never downloads a browser here.
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "Installing Debian's chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

lint: $(PIP_STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# Regenerate the translation catalogue after changing UI text (needs GNU gettext).
messages: $(PIP_STAMP)
	$(PY) manage.py makemessages --locale nb --ignore ".venv/*" --ignore "node_modules/*"
	$(PY) manage.py compilemessages --locale nb

# Benchmark (docs/PERFORMANCE.md): SQLite in a throwaway file, then PostgreSQL when
# DATABASE_URL_BENCH names an empty database, or a local server lets the current user create
# the database sammen_bench. Pass sizes with BENCH_ARGS="--children 2000".
BENCH_SQLITE := /tmp/sammen-bench.sqlite3
bench: $(PIP_STAMP)
	rm -f $(BENCH_SQLITE)
	DATABASE_URL=sqlite:///$(BENCH_SQLITE) $(PY) manage.py migrate --noinput -v0
	DATABASE_URL=sqlite:///$(BENCH_SQLITE) $(PY) manage.py bench $(BENCH_ARGS)
	@if [ -n "$$DATABASE_URL_BENCH" ]; then url="$$DATABASE_URL_BENCH"; \
	elif command -v pg_isready >/dev/null 2>&1 && pg_isready -q && psql -d postgres -Atc 'select 1' >/dev/null 2>&1; then \
		dropdb --if-exists sammen_bench && createdb sammen_bench && url="postgres:///sammen_bench"; \
	else echo "No PostgreSQL for the benchmark: set DATABASE_URL_BENCH to an empty database."; exit 0; fi; \
	DATABASE_URL="$$url" $(PY) manage.py migrate --noinput -v0 && \
	DATABASE_URL="$$url" $(PY) manage.py bench $(BENCH_ARGS)
