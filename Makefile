# Leerkring — `make run` serves the app with demo data; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
VENDOR := static/vendor
STAMP := $(VENV)/.installed
# `make run PORT=8000`: the port to serve on; links in mail and .ics files follow it
# (BASE_URL, unless given).
PORT ?= 5000

.PHONY: run test test-sqlite test-postgres lint install vendor translations db clean cluster cluster-down faults faults-short

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

$(VENDOR)/.built: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p $(VENDOR)
	cp node_modules/@utrecht/component-library-css/dist/index.css $(VENDOR)/utrecht.css
	cp node_modules/@utrecht/design-tokens/dist/theme.css $(VENDOR)/tokens.css
	touch $(VENDOR)/.built

install: $(STAMP) vendor translations

vendor: $(VENDOR)/.built

# Compile the catalogues to (gitignored) .mo files. Fuzzy entries are left out, so
# they show the Dutch source text; placeholder mismatches fail the build.
translations: $(STAMP)
	$(BIN)/pybabel -q compile -d community/translations

# Development only: the demo accounts share a password printed in the README.
db: install
	LEERKRING_ENV=development $(FLASK) db upgrade
	LEERKRING_ENV=development $(FLASK) seed
	LEERKRING_ENV=development $(FLASK) demo --if-empty

# Development server (Flask's, with the debugger off) on http://127.0.0.1:$(PORT).
run: db
	LEERKRING_ENV=development MAIL_BACKEND=$${MAIL_BACKEND:-file} \
		BASE_URL=$${BASE_URL:-http://127.0.0.1:$(PORT)} \
		$(FLASK) run --host 127.0.0.1 --port $(PORT)

test: install
	$(BIN)/python -m pytest -n auto -p no:cacheprovider
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		echo "== again on PostgreSQL ($$TEST_DATABASE_URL) =="; \
		$(BIN)/python -m pytest -n auto -p no:cacheprovider -m "not browser" --postgres; \
	else \
		echo "TEST_DATABASE_URL is not set: the PostgreSQL run was skipped."; \
	fi

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# Benchmarks (docs/PERFORMANCE.md): the key pages in process against the typical Flask
# application (CPU time) and under load with gunicorn and wrk against the typical page and
# the cookie-only reference, on the `large` data set, and search latency on the `search` set
# (1,000,000 contributions), on SQLite; on PostgreSQL as well when BENCH_DATABASE_URL and
# BENCH_SEARCH_DATABASE_URL name two databases the benchmark may empty. The first run
# generates the data (minutes). `make bench-check`: the same suite on `small`, short runs,
# SQLite only, nothing written into the docs (a check that it works, not a measurement).
.PHONY: bench bench-check
bench-check: install
	$(BIN)/python bench/run.py --database sqlite --scale small --duration 2 --repetitions 1 \
		--cpu-rounds 20

bench: install
	$(BIN)/python bench/run.py --database sqlite --scale large --write-docs
	$(BIN)/python bench/search_bench.py --database sqlite --write-docs
	@if [ -n "$$BENCH_DATABASE_URL" ]; then \
		$(BIN)/python bench/run.py --database postgresql --scale large --write-docs; \
	else echo "BENCH_DATABASE_URL is not set: the PostgreSQL load benchmark was skipped."; fi
	@if [ -n "$$BENCH_SEARCH_DATABASE_URL" ]; then \
		BENCH_DATABASE_URL=$$BENCH_SEARCH_DATABASE_URL \
		$(BIN)/python bench/search_bench.py --database postgresql --write-docs; \
	else echo "BENCH_SEARCH_DATABASE_URL is not set: the PostgreSQL search benchmark was skipped."; fi

clean:
	rm -rf $(VENV) node_modules $(VENDOR) instance

# Refresh the English catalogue after adding or changing Dutch strings: extract the
# msgids from community/ and templates/ into a gitignored template, merge them into
# the committed en/messages.po, then fill in every new empty msgstr by hand.
# tests/test_translations.py fails until the catalogue is complete.
.PHONY: messages
MESSAGES_POT := community/translations/messages.pot

messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l --ignore-dirs '.* __pycache__' \
		--add-comments TRANSLATORS: --project Leerkring \
		-o $(MESSAGES_POT) community templates
	$(BIN)/pybabel update -i $(MESSAGES_POT) -d community/translations -l en \
		--no-fuzzy-matching --init-missing

# The production topology on loopback (docs/DEPLOY.md): nginx with TLS, two gunicorn
# nodes, a worker, PostgreSQL, Redis, clamd and an SMTP server; stopped by PID.
cluster: install
	deploy/cluster.sh up

cluster-down:
	deploy/cluster.sh down

# The fault suite against the running cluster (docs/RELIABILITY.md).
faults: cluster
	$(BIN)/python -m bench.faults.run --report docs/RELIABILITY.md

faults-short: cluster
	$(BIN)/python -m bench.faults.run --short
