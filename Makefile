# TIP: `make demo` runs the platform with demo data; `make test` runs every check.
# Both install what they need into .venv/ and node_modules/ first.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
TIP := $(BIN)/tip
PG_URL ?= postgres://postgres@127.0.0.1:5432/test

.PHONY: demo test install assets translations lint typecheck migrations-check \
        test-sqlite test-postgres test-browser browser-deps gettext-deps pdf-deps messages lock \
        bench-training bench-language clean

$(BIN)/.installed: pyproject.toml requirements/lock.txt
	@$(PYTHON) -c 'import sys; sys.exit("TIP needs Python 3.11 or newer; this is " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements/lock.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

build/static/tip/tip.css: node_modules/.installed assets/tip.scss
	npm run --silent build

install: $(BIN)/.installed pdf-deps
assets: build/static/tip/tip.css
translations: install
	$(TIP) compile-translations

# Re-extract every interface message into the Welsh catalogue (see docs/translations.md).
messages: install gettext-deps
	cd src/tip && $(abspath $(TIP)) makemessages --locale cy --no-location --no-obsolete

gettext-deps:
	@sh scripts/ensure-gettext.sh

# The PDF and PNG exports need Pango and fonts (WeasyPrint renders them).
pdf-deps: $(BIN)/.installed
	@sh scripts/ensure-pdf-deps.sh $(BIN)/python

demo: install assets translations
	mkdir -p var/static
	$(TIP) migrate --no-input
	$(TIP) seed-demo
	$(TIP) serve

lint: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: install
	$(BIN)/mypy src

migrations-check: install
	DJANGO_SETTINGS_MODULE=tip.settings.test $(TIP) makemigrations --check --dry-run

test-sqlite: install assets translations gettext-deps
	env -u DATABASE_URL $(BIN)/pytest -m "not browser" -q

# PostgreSQL is the production database: the suite runs on it whenever one answers. In CI a
# missing server is a failure, not a skip.
test-postgres: install assets translations gettext-deps
	@if DATABASE_URL="$${DATABASE_URL:-$(PG_URL)}" $(BIN)/python scripts/pg_available.py; then \
		DATABASE_URL="$${DATABASE_URL:-$(PG_URL)}" $(BIN)/pytest -m "not browser" -q; \
	elif [ -n "$$CI" ]; then \
		echo "PostgreSQL did not answer at $${DATABASE_URL:-$(PG_URL)}; CI must not skip it." >&2; exit 1; \
	else \
		echo "SKIPPED: the PostgreSQL run (no server answered at $${DATABASE_URL:-$(PG_URL)})."; \
	fi

browser-deps:
	@sh scripts/ensure-chromium.sh

test-browser: install assets translations browser-deps
	env -u DATABASE_URL $(BIN)/pytest -m browser -q

test: lint typecheck migrations-check test-sqlite test-postgres test-browser

# The training load test (docs/benchmarks.md): national-scale data in its own PostgreSQL
# databases (dropped and made again), gunicorn with production settings, 50 Locust users.
# Not part of `make test`. Options through BENCH_ARGS, e.g. BENCH_ARGS="--reuse --run-time 60".
BENCH_PG_URL ?= postgres://postgres@127.0.0.1:5432/tip_bench
bench-training: install assets
	@DATABASE_URL="$(dir $(BENCH_PG_URL))postgres" $(BIN)/python scripts/pg_available.py || \
		{ echo "The benchmark needs PostgreSQL at $(dir $(BENCH_PG_URL))" >&2; exit 1; }
	$(BIN)/python benchmarks/bench_training.py --database-url $(BENCH_PG_URL) \
		--small-database-url $(BENCH_PG_URL)_small $(BENCH_ARGS)

# The language checker against alex (docs/benchmarks.md): 5.5 MB of synthetic case notes checked
# by both on one core, and a 2,000-word note through the API. Not part of `make test`; about two
# minutes. Options through BENCH_ARGS, e.g. BENCH_ARGS="--skip-alex --repeat 5".
bench-language: install node_modules/.installed
	$(BIN)/python benchmarks/bench_language.py $(BENCH_ARGS)

# Re-pin Python dependencies after editing pyproject.toml.
lock: install
	$(BIN)/pip-compile --quiet --extra dev --strip-extras --no-emit-index-url \
		--no-emit-find-links --output-file requirements/lock.txt pyproject.toml

clean:
	rm -rf $(VENV) node_modules build var/static .pytest_cache .mypy_cache .ruff_cache
