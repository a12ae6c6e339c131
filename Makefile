# Faseport: two commands. `make run` starts the demo site; `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
PORT ?= 5000
export FLASK_APP := wsgi:app
export FASEPORT_ENV ?= dev

.PHONY: run test setup vendor pango translations db demo-data test-deps test-sqlite test-postgres bench messages clean

run: setup db demo-data
	@echo "Faseport kjører på http://127.0.0.1:$(PORT)"
	$(VENV)/bin/flask run --host 127.0.0.1 --port $(PORT)

# --- set-up ---------------------------------------------------------------------------
$(VENV)/.installed: requirements.txt requirements-dev.txt
	@command -v $(PYTHON) >/dev/null || { echo "Fant ikke $(PYTHON). Installer Python 3.11."; exit 1; }
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q -r requirements-dev.txt
	touch $@

setup: $(VENV)/.installed vendor pango translations

# WeasyPrint (the decision PDFs) needs Pango and a fallback font from the system.
pango:
	@bash scripts/install_pango.sh

vendor:
	@if command -v npm >/dev/null; then \
	  npm ci --no-audit --no-fund --loglevel=error && $(PY) scripts/vendor.py; \
	else \
	  echo "npm mangler: sidene henter htmx og Designsystemet fra CDN i stedet for static/vendor/."; \
	fi

# The compiled catalogues (translations/*/LC_MESSAGES/messages.mo) are build output, never
# committed: bokmål (nb), nynorsk (nn) and English (en) are compiled from their .po files.
translations: $(VENV)/.installed
	$(VENV)/bin/pybabel compile -d translations --statistics

db: setup
	mkdir -p instance
	$(VENV)/bin/flask db upgrade

# Demo projects only with the embedded directory; a real one starts empty (and says so).
demo-data: db
	$(VENV)/bin/flask demo load --only-with-demo-directory

# --- tests ----------------------------------------------------------------------------
test-deps:
	bash scripts/install_test_deps.sh

test: setup test-deps test-sqlite test-postgres

test-sqlite: translations
	$(PY) -m pytest -q -p no:cacheprovider

test-postgres: translations
	$(PY) -m tests.support.postgres -- $(PY) -m pytest -q -p no:cacheprovider -m "not sqlite_only and not own_database"

# Speed at municipal scale: 1 000, 10 000 and 50 000 projects, each page against a
# hand-written floor and against itself at 1 000 (databases cached in instance/bench/;
# DATABASE_URL=postgresql+psycopg://… runs it on PostgreSQL). Never the demo database.
bench: setup
	$(PY) scripts/bench.py
	$(PY) scripts/bench_signin.py

# Extract the bokmål message ids and bring every catalogue up to date with them: nb gets
# each new id as its own text, nn and en get it empty for the translators (never a fuzzy
# guess). Then translate the new entries in translations/{nn,en}/LC_MESSAGES/messages.po.
messages: setup
	mkdir -p instance
	$(VENV)/bin/pybabel extract -F babel.cfg --project=Faseport -o instance/messages.pot .
	$(VENV)/bin/pybabel update -i instance/messages.pot -d translations --no-fuzzy-matching
	$(PY) scripts/bokmal_catalogue.py translations/nb/LC_MESSAGES/messages.po

clean:
	rm -rf $(VENV) node_modules static/vendor instance test-artifacts
