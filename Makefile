# Everything runs in a project-local virtual environment, created on first use.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
IN ?= seeds
OUT ?= out
SHARED ?= ../shared
DEV ?= $(SHARED)/corpus/dev.jsonl.gz
FLOORS ?= eval/floors-text.json
HTML_FLOORS ?= eval/floors-html.json
PAGE_FLOORS ?= eval/floors-page.json
EVAL_CACHE ?= $(OUT)/eval-cache
HTML_EVAL = $(PY) -m cleaner eval $(DEV) --field html --format html --baseline-field scraped_page \
	--reference trafilatura --reference readability --cache-dir $(EVAL_CACHE)
FUZZ_SECONDS ?= 300
FUZZ_CORPUS ?= $(OUT)/fuzz-corpus

.PHONY: install clean-corpus test eval eval-learn eval-floors bench bench-spark rules-check docs lint fuzz

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

# Every track runs even when an earlier one falls below its floors; the target fails at the end.
eval: $(VENV)/.bench  ## score on the dev set: text track, HTML track next to trafilatura and readability, whole page (all three against floors)
	@test -f $(DEV) || { echo "no dev set at $(DEV) (set DEV=...)"; exit 2; }
	mkdir -p $(OUT)
	status=0; \
	$(PY) -m cleaner eval $(DEV) --field scraped_container --floors $(FLOORS) --json $(OUT)/eval-text.json || status=1; \
	$(HTML_EVAL) --floors $(HTML_FLOORS) --json $(OUT)/eval-html.json || status=1; \
	$(PY) -m cleaner eval $(DEV) --field scraped_page --floors $(PAGE_FLOORS) --json $(OUT)/eval-page.json || status=1; \
	exit $$status

# Learned templates: learn from half of each dev site's pages, clean the other half (exit 1 when a site misses the target).
eval-learn: install  ## learned site templates against the shipped rules alone, text and whole-page tracks
	@test -f $(DEV) || { echo "no dev set at $(DEV) (set DEV=...)"; exit 2; }
	mkdir -p $(OUT)
	$(PY) -m cleaner.learn_eval $(DEV) --field scraped_container --field scraped_page --json $(OUT)/eval-learn.json

eval-floors: $(VENV)/.bench  ## re-pin the HTML track's floors (HTML_FLOORS) a margin under its current scores
	@test -f $(DEV) || { echo "no dev set at $(DEV) (set DEV=...)"; exit 2; }
	$(HTML_EVAL) --write-floors $(HTML_FLOORS)

# A recent pip: older resolvers fail on lxml[html_clean] asked for by both justext and readability-lxml.
$(VENV)/.bench: $(VENV)/.installed
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade 'pip>=24'
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test,bench]'
	touch $@

bench: $(VENV)/.bench  ## throughput (text and HTML tracks, 1 and 2 jobs, next to trafilatura), memory, size scaling
	@test -f $(DEV) || { echo "no dev set at $(DEV) (set DEV=...)"; exit 2; }
	mkdir -p $(OUT)
	$(PY) -m cleaner.bench $(DEV) --json $(OUT)/bench.json $(BENCH_ARGS)

bench-spark: install  ## Spark local[2] next to `cleaner clean` --jobs 1 and 2 on the text track, outputs compared
	@test -f $(DEV) || { echo "no dev set at $(DEV) (set DEV=...)"; exit 2; }
	mkdir -p $(OUT)
	$(PY) -m cleaner.spark_bench $(DEV) --json $(OUT)/bench-spark.json $(SPARK_BENCH_ARGS)

docs: install  ## regenerate docs/rules.md from the rule files and detector docstrings
	$(PY) -m cleaner.docgen > docs/rules.md

fuzz: install  ## fuzz clean(), the HTML reader and the rule loader with atheris for FUZZ_SECONDS (not run by CI)
	@$(PY) -c "import atheris" 2>/dev/null || $(PY) -m pip install --quiet --disable-pip-version-check atheris
	mkdir -p $(FUZZ_CORPUS)
	cp -n tests/fuzz/seeds/* $(FUZZ_CORPUS)/
	$(PY) tests/fuzz/fuzz_clean.py $(FUZZ_CORPUS) -max_total_time=$(FUZZ_SECONDS) -timeout=30 -rss_limit_mb=4096 -artifact_prefix=$(OUT)/fuzz-

lint: install  ## ruff with the project's rule selection (pyproject.toml); installs ruff into .venv if missing
	@$(PY) -m ruff --version >/dev/null 2>&1 || $(PY) -m pip install --quiet --disable-pip-version-check ruff
	$(PY) -m ruff check cleaner tests
