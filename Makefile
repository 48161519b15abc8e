# Zeron for Odoo 18. `make run` serves a database with the telco customers
# invoiced; `make test` runs every test against a real Odoo and PostgreSQL.
# ODOO_SRC (default /opt/odoo/18.0) points at the Odoo 18.0 source tree.

.PHONY: help setup run test lint fmt bench

help:
	@echo "make run    serve Odoo with our addons and the telco data on :8069"
	@echo "make test   lint, then every test on a throwaway database"
	@echo "make lint   ruff, pylint-odoo, OCA checks, prettier (check only)"
	@echo "make fmt    rewrite files with ruff and prettier"
	@echo "make bench  benchmarks (not part of make test)"

setup:
	@bash tools/setup.sh

run: setup
	@bash tools/run.sh

test: setup lint
	@bash tools/test.sh

lint:
	@bash tools/lint.sh

fmt:
	@bash tools/lint.sh --fix

bench: setup
	@bash tools/bench.sh
