# Amparo: `make run` and `make test` set everything up from nothing.
SHELL := /bin/bash
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export PIP_CACHE_DIR ?= $(HOME)/.cache/pip
# Rasa must never report usage to a third party (nlu/rasa_env.py does the same inside the process).
export RASA_TELEMETRY_ENABLED := false

# Python 3.10 (Rasa 3.6 supports nothing newer): $PYTHON, python3.10 on PATH, pyenv, the system.
define find_python
for c in "$$PYTHON" python3.10 $$(ls -d $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.10*/bin/python3.10 2>/dev/null) /usr/bin/python3.10 /usr/local/bin/python3.10; do \
  [ -n "$$c" ] && "$$c" -c 'import sys; assert sys.version_info[:2] == (3, 10)' >/dev/null 2>&1 && { echo "$$c"; exit 0; }; \
done; \
echo "Python 3.10 is required (Rasa 3.6 supports nothing newer). Install it, e.g. 'apt install python3.10 python3.10-venv', 'pyenv install 3.10', or 'uv python install 3.10', or set PYTHON=/path/to/python3.10." >&2; exit 1
endef

.PHONY: setup run test i18n catalogs model check bench clean

setup: $(STAMP) catalogs model

$(STAMP): requirements.txt requirements-dev.txt constraints.txt pyproject.toml
	@py=$$($(find_python)) || exit 1; \
	[ -x $(BIN)/python ] || { echo "creating $(VENV) with $$py"; "$$py" -m venv $(VENV); }
	$(BIN)/pip install --quiet --upgrade pip wheel
	$(BIN)/pip install -r requirements-dev.txt -c constraints.txt
	$(BIN)/pip install --no-deps -e .
	@touch $@

catalogs: $(STAMP)
	$(BIN)/pybabel compile -d locales -D messages --statistics

model: $(STAMP)
	$(BIN)/amparo train

run: setup
	$(BIN)/amparo run

test: setup
	$(BIN)/pytest -q

# Extract messages from code and knowledge files, update every catalog, compile.
i18n: $(STAMP)
	$(BIN)/pybabel extract -F locales/babel.cfg -k 'M:1c,2' -k 'MP:1c,2,3' --add-comments=TRANSLATORS: \
	  --project=Amparo --no-wrap --sort-by-file -o locales/messages.pot .
	$(BIN)/pybabel update -i locales/messages.pot -d locales -D messages --no-wrap
	$(BIN)/python -m bot.catalogs locales
	$(BIN)/pybabel compile -d locales -D messages --statistics

check: $(STAMP)
	$(BIN)/amparo kb check

# Latency, throughput, a 1,000-user Telegram surge, start-up, memory, training: reports/bench/.
# Optional: INSTALL_SECONDS=<measured install time> to include it in the report.
SURGE_USERS ?= 1000
bench: setup
	$(BIN)/python -m tests.bench --surge-users $(SURGE_USERS) $(if $(INSTALL_SECONDS),--install-seconds $(INSTALL_SECONDS))

clean:
	rm -rf $(VENV) locales/*/LC_MESSAGES/*.mo
