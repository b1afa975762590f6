# The only set-up a fresh machine needs: `make run` and `make test`.
VENV := .venv
PY := $(VENV)/bin/python
PIP_STAMP := $(VENV)/.installed
NPM_STAMP := node_modules/.installed

.PHONY: run test lint bench messages chromium demo serve backup restore

$(PIP_STAMP): pyproject.toml
	python3.11 -m venv $(VENV) 2>/dev/null || python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e ".[dev]"
	touch $@

$(NPM_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	rm -f $(NPM_RUNTIME_STAMP)
	touch $@

# The demo runs with debug on (SAMMEN_DEBUG): static files served by runserver, a dev key.
DEV := SAMMEN_DEBUG=true

run: $(PIP_STAMP) $(NPM_STAMP)
	$(DEV) $(PY) manage.py migrate --noinput
	$(DEV) $(PY) manage.py load_demo
	$(DEV) $(PY) manage.py runserver 127.0.0.1:8000

demo: $(PIP_STAMP)
	$(DEV) $(PY) manage.py migrate --noinput
	$(DEV) $(PY) manage.py load_demo --reset

# --- Production (docs/OPERATIONS.md) ---------------------------------------------------------
# Debug off: settings from the environment (SAMMEN_SECRET_KEY at least). `serve` migrates,
# collects the static files and runs gunicorn on SAMMEN_BIND (0.0.0.0:8000) with SAMMEN_WORKERS
# workers: the one command the Dockerfile and tests/ops/test_serve.py run too (sammen/serve.py).
# Production installs what runs, nothing for development: the project without its dev extras,
# and only the npm packages the pages use (`--omit=dev`; the stamps make `make test` put the
# development packages back afterwards on a machine that does both).
RUNTIME_STAMP := $(VENV)/.installed-runtime
NPM_RUNTIME_STAMP := node_modules/.installed-runtime

$(RUNTIME_STAMP): pyproject.toml
	python3.11 -m venv $(VENV) 2>/dev/null || python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e .
	touch $@

$(NPM_RUNTIME_STAMP): package.json package-lock.json
	npm ci --omit=dev --no-audit --no-fund --loglevel=error
	rm -f $(NPM_STAMP)
	touch $@

serve: $(RUNTIME_STAMP) $(NPM_RUNTIME_STAMP)
	$(PY) -m sammen.serve

# The whole database (SQLite or DATABASE_URL's PostgreSQL) to a new file, and back. The file
# holds personal data: keep it as safe as the database. `make backup` writes
# backups/sammen-<date>-<time>.sqlite3|.pgdump unless BACKUP_FILE names the file; `make restore`
# asks before it replaces everything (stop the application first).
BACKUP_FILE ?=
backup: $(RUNTIME_STAMP)
	$(PY) manage.py backup $(BACKUP_FILE)

restore: $(RUNTIME_STAMP)
	@test -n "$(BACKUP_FILE)" || { echo "Name the backup to restore: make restore BACKUP_FILE=backups/…"; exit 2; }
	$(PY) manage.py restore "$(BACKUP_FILE)"

test: $(PIP_STAMP) $(NPM_STAMP) chromium
	$(VENV)/bin/ruff check .
# Security lint of the application code ([tool.bandit] in pyproject.toml says what is accepted),
# then the installed packages against PyPI's vulnerability data (the project itself is skipped;
# scripts/audit_deps.py says how many packages the service could really check).
	$(VENV)/bin/bandit -c pyproject.toml -r sammen -q
	$(PY) scripts/audit_deps.py
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
	$(DEV) $(PY) manage.py makemessages --locale nb --locale nn --ignore ".venv/*" --ignore "node_modules/*" --ignore "staticfiles/*"
	$(DEV) $(PY) manage.py compilemessages --locale nb --locale nn --ignore ".venv/*"

# Benchmark (docs/PERFORMANCE.md): SQLite in a throwaway file, then PostgreSQL in the database
# DATABASE_URL_BENCH names (default: sammen_bench on the local server, role sammen). That
# database is dropped and created afresh for every run, so its name must contain "bench"; the
# database `sammen` (CI) is never touched. Sizes: BENCH_ARGS="--children 2000". The PostgreSQL
# run ends with the load phase (gunicorn on 127.0.0.1, 20 then 50 signed-in users); its options
# go in BENCH_LOAD_ARGS, e.g. BENCH_LOAD_ARGS="--load-seconds 10 --load-users 20".
BENCH_SQLITE ?= /tmp/sammen-bench.sqlite3
DATABASE_URL_BENCH ?= postgres://sammen:sammen@127.0.0.1:5432/sammen_bench
BENCH_LOAD_ARGS ?=
bench: $(PIP_STAMP)
	rm -f $(BENCH_SQLITE)
	$(DEV) DATABASE_URL=sqlite:///$(BENCH_SQLITE) $(PY) manage.py migrate --noinput -v0
	$(DEV) DATABASE_URL=sqlite:///$(BENCH_SQLITE) $(PY) manage.py bench $(BENCH_ARGS)
	@url='$(DATABASE_URL_BENCH)'; base="$${url%%\?*}"; name="$${base##*/}"; admin="$${base%/*}/postgres"; \
	case "$$name" in *bench*) ;; *) echo "Refusing to recreate '$$name': the benchmark database's name must contain 'bench'."; exit 1;; esac; \
	if ! psql "$$admin" -Atqc 'select 1' >/dev/null 2>&1; then \
		echo "PostgreSQL not measured: no server answered for '$$name' (set DATABASE_URL_BENCH)."; exit 0; fi; \
	psql "$$admin" -qc "DROP DATABASE IF EXISTS \"$$name\"" && psql "$$admin" -qc "CREATE DATABASE \"$$name\"" && \
	$(DEV) DATABASE_URL="$$url" $(PY) manage.py migrate --noinput -v0 && \
	$(DEV) DATABASE_URL="$$url" $(PY) manage.py bench $(BENCH_ARGS) $(BENCH_LOAD_ARGS)
