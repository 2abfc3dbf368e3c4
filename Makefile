# Two commands matter: `make run` to try the platform, `make test` to run every test.
PYTHON ?= python3
PORT ?= 5000
WORKERS ?= 3
JOB_WORKERS ?= 2
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app training
STAMP := $(VENV)/.installed

.PHONY: install run serve worker test test-postgres bench messages check clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	scripts/ensure-system-libs
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)  ## create .venv and install the project with its dev extras

run: $(STAMP)  ## migrate, load courses, seed demo accounts, serve on 127.0.0.1:$(PORT)
	$(FLASK) db upgrade
	$(FLASK) courses sync
	$(FLASK) demo seed --if-empty
	$(BIN)/python -m training.jobs --workers 1 & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
		$(FLASK) run --host 127.0.0.1 --port $(PORT)

serve: $(STAMP)  ## production-like: gunicorn, migrations, never demo accounts
	$(FLASK) db upgrade
	$(FLASK) courses sync
	$(BIN)/gunicorn --workers $(WORKERS) --bind 127.0.0.1:$(PORT) --access-logfile - \
		--timeout 60 --graceful-timeout 30 --max-requests 2000 --max-requests-jitter 200 'training:create_app()'

test: $(STAMP)  ## the whole suite (SQLite, or TEST_DATABASE_URL), browser tests included, one worker per core
	scripts/ensure-browser
	$(BIN)/python -m pytest -n auto $(PYTEST_ARGS)

# The markup sweeps (every page and every lesson through axe, at 320 and 1280 px) check HTML, which
# is the same whichever database served it: they run once, in `make test`, to keep CI short.
test-postgres: $(STAMP)  ## the whole suite against a fresh PostgreSQL database (markup sweeps run in `make test`)
	scripts/with-postgres-db $(MAKE) test PYTEST_ARGS='-m "not sweep"'

worker: $(STAMP)  ## background jobs (mail...): one worker process with JOB_WORKERS threads, on JOBS_URL
	$(BIN)/python -m training.jobs --workers $(JOB_WORKERS)

bench: $(STAMP)  ## throughput of key pages against a trivial route, under gunicorn
	$(BIN)/python bench/run.py
	$(BIN)/python bench/grading.py
	$(BIN)/python bench/certificate_pdf.py

messages: $(STAMP)  ## extract every interface string into translations/messages.pot (and update catalogues)
	$(BIN)/pybabel extract --mapping babel.cfg --keywords _l --keywords lazy_gettext --omit-header --sort-by-file --output translations/messages.pot .
	for catalogue in translations/*/LC_MESSAGES/messages.po; do [ -e "$$catalogue" ] || continue; \
		$(BIN)/pybabel update --input-file translations/messages.pot --output-file "$$catalogue"; done

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache
