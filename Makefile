# The two commands: `make run` (start the platform with demo data) and `make test` (the whole check).
.PHONY: run test check venv lint format clean-db bench

VENV_PY := .venv/bin/python

run: venv
	$(VENV_PY) -m ekommune.launcher run

test: check

check: venv
	scripts/ensure-chromium.sh
	$(VENV_PY) -m ekommune.launcher check

venv:
	scripts/bootstrap.sh

# A short run of each benchmark against its ceiling measured in the same run (docs/performance.md).
bench: venv
	$(VENV_PY) bench/suite.py

format: venv
	.venv/bin/ruff format src bench
	.venv/bin/ruff check --fix src bench

# Deletes the embedded database's data folder (demo data is loaded again by `make run`).
clean-db:
	rm -rf var/pgdata
