# caseapp: `make run` serves on http://127.0.0.1:5000, `make test` runs every check. Both set themselves up.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app caseapp
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test install translations setup lint typecheck pytest serve bench security clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

translations: install
	$(BIN)/python scripts/i18n.py compile

setup: install translations
	$(FLASK) setup --url http://$(HOST):$(PORT)

run: setup
	$(FLASK) run --host $(HOST) --port $(PORT)

# production-style serving: several gunicorn workers (see README, "Operations")
serve: setup
	$(BIN)/gunicorn --config python:caseapp.ops.gunicorn_conf --workers 3 --bind $(HOST):$(PORT) 'wsgi:app'

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy caseapp

pytest: install translations
	$(BIN)/pytest $(PYTEST_ARGS)

# bandit over the application code (any skip is a `# nosec BXXX - reason` on its line); pip-audit over the
# installed dependencies (says loudly, without failing, when its vulnerability service is unreachable)
security: install
	$(BIN)/bandit --quiet --recursive caseapp
	$(BIN)/python scripts/pip_audit_check.py

# figures at city scale as ratios to baselines measured in the same run, on SQLite and PostgreSQL (a throwaway
# cluster when run as root with Debian's postgresql); writes docs/benchmarks.md. BENCH_FULL=1: 100k / 1M.
bench: install translations
	$(BIN)/python benchmarks/suite.py $(if $(BENCH_FULL),--full) $(BENCH_ARGS)

test: lint typecheck security pytest

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache test-artifacts
