# Everything runs in a project-local virtual environment, created on first use.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
IN ?= seeds
OUT ?= out
SHARED ?= ../shared
DEV ?= $(SHARED)/corpus/dev.jsonl.gz
FLOORS ?= eval/floors-text.json

.PHONY: install clean-corpus test eval bench rules-check docs lint

$(VENV)/.installed: setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

install: $(VENV)/.installed

clean-corpus: install  ## clean IN (default seeds/) into OUT (default out/)
	$(PY) -m cleaner clean $(IN) -o $(OUT)

test: install  ## the whole test suite
	$(PY) -m pytest -q

rules-check: install  ## validate every rule file and run every rule's examples
	$(PY) -m cleaner rules check

eval: install  ## score on the dev set: text track against pinned floors, then the whole-page track
	@test -f $(DEV) || { echo "no dev set at $(DEV) (set DEV=...)"; exit 2; }
	mkdir -p $(OUT)
	$(PY) -m cleaner eval $(DEV) --field scraped_container --floors $(FLOORS) --json $(OUT)/eval-text.json
	$(PY) -m cleaner eval $(DEV) --field scraped_page --json $(OUT)/eval-page.json

bench: install  ## documents per second on the dev set's text track, one process
	@test -f $(DEV) || { echo "no dev set at $(DEV) (set DEV=...)"; exit 2; }
	mkdir -p $(OUT)
	$(PY) -m cleaner.bench $(DEV)

docs: install  ## regenerate docs/rules.md from the rule files and detector docstrings
	$(PY) -m cleaner.docgen > docs/rules.md
