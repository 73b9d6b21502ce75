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

.PHONY: dev test venv migrate validate clean

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

dev: migrate  ## the workbench with the demo scenarios at http://127.0.0.1:8000/
	$(VENV)/bin/django-admin runserver $(HOST):$(PORT)

validate: venv
	$(VENV)/bin/competency-xblock validate

test: venv  ## every test
	$(VENV)/bin/competency-xblock validate
	$(PY) -m pytest

clean:
	rm -rf $(VENV) var build dist *.egg-info
