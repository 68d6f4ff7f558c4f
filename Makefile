# akhbar — every target sets itself up first (`setup` is idempotent and cheap when done).
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.txt | sha1sum | cut -c1-12)
LAKE ?= ./data/lake
DEMO_DATE ?= 2026-11-28  # the demo site's newest day; rerunning `make demo` replaces it
PYTEST_ARGS ?=

.PHONY: setup system-deps demo test bench lint train-ner-ar freeze clean

setup: $(STAMP) system-deps

$(STAMP): requirements.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip==26.3
	$(PY) -m pip install --quiet --no-deps -r requirements.txt
	$(PY) -m pip check
	@rm -f $(VENV)/.installed-*
	@touch $@

# Debian's Chromium for the Airflow UI test (a browser download is impossible here).
system-deps:
	@bash scripts/system-deps.sh

demo: setup
	$(PY) -m demo --lake $(LAKE) --date $(DEMO_DATE)

test: setup
	bash scripts/services.sh
	$(PY) -m ruff check .
	$(PY) -m pytest $(PYTEST_ARGS)

# Every benchmark runs even if an earlier one misses its target; the exit code reports any miss.
BENCHES := bench/extraction.py bench/ner.py bench/lake.py bench/crawl.py
bench: setup
	@failed=""; for b in $(BENCHES); do echo "== $$b"; $(PY) $$b || failed="$$failed $$b"; done; \
	if [ -n "$$failed" ]; then echo "benchmarks that missed their target:$$failed"; exit 1; fi

lint: setup
	$(PY) -m ruff check .

train-ner-ar: setup
	$(PY) -m processing.entities.train_ar $(NER_ARGS)

freeze:
	(head -1 requirements.txt; $(PY) -m pip freeze --exclude-editable) > requirements.tmp && mv requirements.tmp requirements.txt

clean:
	rm -rf $(VENV) data build test-output
