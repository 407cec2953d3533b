# Two commands matter: `make demo` and `make test`. Both set up .venv on first use.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
GOLD   := $(firstword $(wildcard ../shared/eval/seeds.gold.json) eval/seeds.gold.json)
export PIP_DISABLE_PIP_VERSION_CHECK=1
export HF_HUB_OFFLINE=1
export TRANSFORMERS_OFFLINE=1

.PHONY: setup demo test lint reports eval eval-dev eval-joint bench fuse-eval clean

setup: $(STAMP)

# torch first and pinned exactly: the CPU wheel is local; a looser spec pulls CUDA.
$(STAMP): pyproject.toml requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q torch==2.13.0
	$(PY) -m pip install -q -r requirements.lock
	$(PY) -m pip install -q --no-deps --no-build-isolation -e .
	touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/reconcile report seeds

DEV    := ../shared/dev

test: $(STAMP) lint
	$(PY) -m pytest -q tests
	$(VENV)/bin/reconcile eval --gold $(GOLD) --thresholds eval/thresholds.json seeds
	@if [ -d $(DEV)/gold ]; then $(MAKE) --no-print-directory eval-dev; \
	 elif [ -n "$$RECONCILE_REQUIRE_DEV" ]; then echo "RECONCILE_REQUIRE_DEV is set but $(DEV) is missing" >&2; exit 1; \
	 else echo "$(DEV) not found: dev-set gates skipped"; fi

# real news clusters (../shared/dev): per cluster, per language and overall, gated by eval/thresholds.json "dev"
eval-dev: $(STAMP)
	$(VENV)/bin/reconcile eval --gold-dir $(DEV)/gold --thresholds eval/thresholds.json $(DEV)/corpus

# the same clusters and the 300 distractor articles as one corpus (joint B-cubed)
eval-joint: $(STAMP)
	$(VENV)/bin/reconcile eval --gold-dir $(DEV)/gold --joint $(DEV)/distractors.jsonl $(DEV)/corpus

# style and types: ruff (pyproject.toml [tool.ruff]) and mypy on the package
lint: $(STAMP)
	$(VENV)/bin/ruff check reconcile tests bench
	$(VENV)/bin/mypy reconcile

eval: $(STAMP)
	$(VENV)/bin/reconcile eval --gold $(GOLD) seeds

reports: $(STAMP)
	$(VENV)/bin/reconcile report seeds --format md --output reports/seeds.md
	$(VENV)/bin/reconcile report seeds --format html --output reports/seeds.html
	$(VENV)/bin/reconcile report seeds --format json --output reports/seeds.json

fuse-eval: $(STAMP)
	$(PY) bench/fuse_weather.py ../shared/truth/weather

bench: $(STAMP)
	$(PY) bench/run.py --sizes 1000 10000 --check 10000 --json bench/results.json
	$(PY) bench/extract_speed.py --mb 3

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
