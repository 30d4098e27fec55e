# The two commands of the README's quick start:
#   make demo   set everything up, then run the main job (the eager-vs-static comparison)
#   make test   set everything up, then run the linter and the test suite
# Both create .venv (Python >= 3.10) and install what they need, Debian's graphviz included when
# `dot` is missing and apt-get can be used.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: demo test lint bench setup clean

demo: $(STAMP)
	$(VENV)/bin/dualgraph compare --out report

test: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m pytest

bench: $(STAMP)
	$(VENV)/bin/dualgraph bench

setup: $(STAMP)

$(STAMP): pyproject.toml
	@bash .ci/ensure-system-packages
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || { \
	  echo "python3 -m venv failed: on Debian run 'apt-get install python3-venv'"; exit 1; }
	$(PY) -m pip install --quiet --no-input --upgrade pip
	$(PY) -m pip install --quiet --no-input -e '.[test,compare,onnx]'
	@rm -f $(VENV)/.installed-*
	@touch $@

clean:
	rm -rf $(VENV) report .pytest_cache .ruff_cache .hypothesis
