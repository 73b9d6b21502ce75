# Two commands do all set-up on a fresh machine: `make dev` and `make test`.
PYTHON312 := $(shell scripts/find-python312)
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
export DJANGO_SETTINGS_MODULE := workbench_demo.settings
export PYTHONPATH := $(CURDIR)
export EXCLUDE_SAMPLE_XBLOCKS := yes
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: dev test test-platform venv migrate validate clean i18n-extract i18n-compile screenshots load bench

$(INSTALLED): requirements/*.txt setup.py
	test -x $(PY) || $(PYTHON312) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements/test.txt
	$(PY) -m pip install --quiet --no-deps -e .
	touch $@

venv: $(INSTALLED)

migrate: venv
	mkdir -p var
	$(VENV)/bin/django-admin migrate --run-syncdb --verbosity 0
	$(VENV)/bin/django-admin createcachetable

dev: migrate  ## the workbench with the demo scenarios at http://127.0.0.1:8000/
	$(VENV)/bin/django-admin runserver $(HOST):$(PORT)

validate: venv
	$(VENV)/bin/competency-xblock validate

test: venv  ## every test (the browser tests need Debian's chromium: apt-get install -y chromium)
	$(VENV)/bin/competency-xblock validate
	$(PY) scripts/i18n.py check
	$(PY) -m pytest

# The unit and handler tests (no browser, wheel or load test) on the platform's own pins of
# XBlock, opaque-keys, web-fragments, Django, Celery and edx-django-utils (requirements/platform.txt),
# in their own venv.
PLATFORM_VENV := .venv-platform
PLATFORM_INSTALLED := $(PLATFORM_VENV)/.installed
$(PLATFORM_INSTALLED): requirements/platform.txt setup.py
	test -x $(PLATFORM_VENV)/bin/python || $(PYTHON312) -m venv $(PLATFORM_VENV)
	$(PLATFORM_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(PLATFORM_VENV)/bin/python -m pip install --quiet -r requirements/platform.txt
	$(PLATFORM_VENV)/bin/python -m pip install --quiet --no-deps -e .
	touch $@

test-platform: $(PLATFORM_INSTALLED)  ## unit and handler tests on Open edX's pinned XBlock, opaque-keys, web-fragments, Django
	$(PLATFORM_VENV)/bin/python -c "import importlib.metadata as m; print('platform stack:', *(f'{p}=={m.version(p)}' for p in ('XBlock', 'edx-opaque-keys', 'web-fragments', 'Django', 'celery', 'edx-django-utils')))"
	$(PLATFORM_VENV)/bin/python -m pytest -p no:cacheprovider --ignore=tests/browser --ignore=tests/test_wheel.py \
		--ignore=tests/test_load.py --ignore=tests/test_benchmarks_smoke.py

i18n-extract: venv  ## refresh the .po catalogs in competency_xblock/conf/locale from code, templates and JS
	$(PY) scripts/i18n.py extract

i18n-compile: venv  ## compile the .po catalogs to the .mo files the package ships (committed)
	$(PY) scripts/i18n.py compile

screenshots: venv  ## PNG screenshots of the result, gates, Studio and staff views into docs/screenshots/
	$(PY) scripts/screenshots.py

load: venv  ## 200 learners autosave and submit at once: gunicorn + PostgreSQL (apt-get install -y postgresql)
	$(PY) scripts/loadtest.py --learners $(or $(LEARNERS),200)

BENCH_INSTALLED := $(VENV)/.bench-installed
$(BENCH_INSTALLED): $(INSTALLED) requirements/bench.txt
	$(PY) -m pip install --quiet -r requirements/bench.txt
	touch $@

bench: $(BENCH_INSTALLED)  ## benchmarks against xblock-poll: a table and benchmarks/RESULTS.md (BENCH_ARGS=--quick)
	@# the HTTP benchmark needs Debian's PostgreSQL server; as root, install it if it is missing
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || [ "$$(id -u)" != 0 ] || ! command -v apt-get >/dev/null || \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null)
	$(PY) -m benchmarks $(BENCH_ARGS)

clean:
	rm -rf $(VENV) $(PLATFORM_VENV) var build dist *.egg-info
