# One command sets up and runs each job; every target installs what it needs first.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
CORPUS ?= data/s2-sample
PORT ?= 8501
HOST ?= 127.0.0.1
FAKE_PORT ?= 8765

.PHONY: setup run demo test check bench clean

$(BIN)/explorer: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(BIN)/explorer

setup: $(BIN)/explorer

# The app, against Semantic Scholar (or whatever S2_API_URL points at), on this machine only
# unless HOST says otherwise (HOST=0.0.0.0 for every interface).
run: setup
	$(BIN)/explorer app --port $(PORT) --host $(HOST)

# The app against the fake Semantic Scholar serving the offline corpus: works with no network.
demo: setup
	$(BIN)/python -m explorer.fake_s2 --corpus $(CORPUS) --port $(FAKE_PORT) & \
	  trap "kill $$!" EXIT; sleep 1; \
	  S2_API_URL=http://127.0.0.1:$(FAKE_PORT) ARXIV_API_URL=http://127.0.0.1:$(FAKE_PORT) \
	  EXPLORER_MIN_INTERVAL=0 EXPLORER_DB=$${EXPLORER_DB:-data/demo.sqlite} \
	  $(BIN)/streamlit run app.py --server.port $(PORT) --server.headless true

test: setup
	$(BIN)/pytest -q

check: setup
	$(BIN)/ruff check explorer tests bench app.py ui pages
	$(BIN)/mypy
	$(BIN)/pytest -q

bench: setup
	$(BIN)/python bench/walk.py
	$(BIN)/python bench/app.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
