# Two commands for a newcomer: `make run` and `make test`. Python 3.11+ and make are all they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# Test processes: one per core (pytest-xdist). Tests are handed out one by one in pytest-django's
# order, so on each process the transactional tests, which empty the database, still come last.
PYTEST_WORKERS ?= auto
STAMP := $(VENV)/.installed

.PHONY: run test lint format bench messages audit clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

run: $(STAMP)
	PORT=$(PORT) bash bin/run-demo

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/python manage.py makemigrations --check --dry-run
	# The machine running lint is not the server: it has no signing key, may have no CJK font
	# (certificates.W001) and no shared cache (accounts.W001); all are checked where the site is
	# deployed.
	DJANGO_SETTINGS_MODULE=lms.settings.production DJANGO_SECRET_KEY=check-deploy-$$(printf '%060d' 0) CERTIFICATE_KEY_AUTOGENERATE=true \
		DJANGO_SILENCED_SYSTEM_CHECKS=certificates.W001,accounts.W001 $(BIN)/python manage.py check --deploy --fail-level WARNING

# MARKS narrows every run (CI's SQLite run: MARKS="not postgres and not redis"). The browser
# tests (a live server and chromium) run in a process of their own after the others: what a live
# server does to the test database's restored data must not meet another test. The tests marked
# serial start servers and workers and kill them: they run alone, last. "No tests ran" (5) is
# fine where MARKS leaves none of them.
SELECT = $(if $(MARKS), and ($(MARKS)))
test: lint
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) -m "not serial and not browser$(SELECT)" $(PYTEST_ARGS)
	$(BIN)/python -m pytest -p no:xdist -m "browser and not serial$(SELECT)" $(PYTEST_ARGS) || [ $$? -eq 5 ]
	$(BIN)/python -m pytest -p no:xdist -m "serial$(SELECT)" $(PYTEST_ARGS) || [ $$? -eq 5 ]

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

messages: $(STAMP)
	$(BIN)/python manage.py makemessages -l zh_Hans --ignore=.venv --ignore=var
	$(BIN)/python manage.py compilemessages --ignore=.venv

bench: $(STAMP)
	$(BIN)/python -m bench
	$(BIN)/python -m bench.certificates
	$(BIN)/python -m bench.compliance

# Known vulnerabilities of the installed packages, by pip-audit in a venv of its own (its
# dependencies stay out of the project's). It needs a vulnerability database on the network:
# PyPI's per-release data (AUDIT_SERVICE=pypi) or OSV (AUDIT_SERVICE=osv). --strict fails on a
# package it could not look up: without it an unreachable database reads "No known
# vulnerabilities found" and passes.
AUDIT_VENV := .venv-audit
AUDIT_SERVICE ?= pypi
PIP_AUDIT_VERSION ?= 2.10.1

$(AUDIT_VENV)/bin/pip-audit:
	$(PYTHON) -m venv $(AUDIT_VENV)
	$(AUDIT_VENV)/bin/python -m pip install --quiet "pip-audit==$(PIP_AUDIT_VERSION)"

audit: $(STAMP) $(AUDIT_VENV)/bin/pip-audit
	$(BIN)/python -m pip freeze --exclude-editable > $(AUDIT_VENV)/requirements.txt
	cd $(AUDIT_VENV) && bin/pip-audit --strict --no-deps --disable-pip --progress-spinner off \
		--vulnerability-service $(AUDIT_SERVICE) -r requirements.txt

clean:
	rm -rf $(VENV) $(AUDIT_VENV) var db.sqlite3
