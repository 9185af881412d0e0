# jxcheck: `make run` starts the web app, `make test` runs the whole suite.
# Both create .venv and install on first use.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8501

BUNDLE_PYTHON ?= 3.11

.PHONY: run test eval bench train samples rules-doc bundle lint clean

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	@# setuptools' build chatter goes to a log, shown only if the install fails
	@echo "正在安装依赖到 $(VENV)（首次约需几分钟）…"
	@$(BIN)/pip install -q -e '.[dev]' > $(VENV)/install.log 2>&1 || (cat $(VENV)/install.log; exit 1)
	touch $(STAMP)
	@echo "安装完成：命令行工具在 $(BIN)/jxcheck"

run: $(STAMP)
	$(BIN)/streamlit run app.py --server.port $(PORT)

test: $(STAMP)
	$(BIN)/python -m pytest -q

eval: $(STAMP)
	$(BIN)/python scripts/eval_real.py
	$(BIN)/python scripts/eval_models.py
	$(BIN)/python eval/reading/run.py
	$(BIN)/python scripts/eval_fields.py
	$(BIN)/python scripts/eval_ocr.py

bench: $(STAMP)
	$(BIN)/python scripts/bench.py $(BENCH_ARGS)

train: $(STAMP)
	$(BIN)/python scripts/train.py

samples: $(STAMP)
	$(BIN)/python samples/generate.py

rules-doc: $(STAMP)
	$(BIN)/python scripts/rules_doc.py

# Offline installer for intranet PCs: dist/jxcheck-offline/ (+ .zip), Windows x64 and Linux x64 wheels.
bundle: $(STAMP)
	$(BIN)/python scripts/bundle.py --python $(BUNDLE_PYTHON)

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache
