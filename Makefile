# jxcheck: `make run` starts the web app, `make test` runs the whole suite.
# Both create .venv and install on first use.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8501

.PHONY: run test eval bench train samples rules-doc lint clean

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/streamlit run app.py --server.port $(PORT)

test: $(STAMP)
	$(BIN)/python -m pytest -q

eval: $(STAMP)
	$(BIN)/python scripts/eval_real.py
	$(BIN)/python scripts/eval_models.py
	$(BIN)/python eval/reading/run.py
	$(BIN)/python scripts/eval_fields.py

bench: $(STAMP)
	$(BIN)/python scripts/bench.py $(BENCH_ARGS)

train: $(STAMP)
	$(BIN)/python scripts/train.py

samples: $(STAMP)
	$(BIN)/python samples/generate.py

rules-doc: $(STAMP)
	$(BIN)/python scripts/rules_doc.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
