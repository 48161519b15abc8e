#!/usr/bin/env bash
# Serve Odoo with our addons on http://localhost:$ZERON_PORT (8069).
# The first time, create the database $ZERON_DB (zeron) with our addons, load
# the telco customers as contracts and run the invoicing once, timing both.
# Later runs keep the data and start in seconds.
set -euo pipefail
# shellcheck source=tools/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

DB="${ZERON_DB:-zeron}"
PORT="${ZERON_PORT:-8069}"
REF_DATE="${ZERON_REF_DATE:-$(date +%F)}"
SERVER=("${ODOO_BIN[@]}" --addons-path="$ADDONS_PATH" -d "$DB" --db-filter="^$DB\$"
    --http-port="$PORT" --gevent-port="$(free_port)" --without-demo=all
    --limit-time-real=3600 --limit-time-cpu=3600)

# Upgrade our addons when their code changed since the database last saw it,
# so a second `make run` on new code does not serve an outdated schema.
addons_hash="$(cd "$REPO_DIR/addons" && find . -type f ! -name '*.pyc' -print0 | sort -z \
    | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)"
seen_hash="$(psql -d "$DB" -tAc "SELECT value FROM ir_config_parameter WHERE key = 'zeron.addons_hash'" 2>/dev/null || true)"
remember_hash() {
    psql -d "$DB" -qc "DELETE FROM ir_config_parameter WHERE key = 'zeron.addons_hash';
        INSERT INTO ir_config_parameter (key, value, create_date, write_date)
        VALUES ('zeron.addons_hash', '$addons_hash', now(), now())"
}

if ! psql -d "$DB" -tAc "SELECT 1" >/dev/null 2>&1; then
    say "Creating database $DB with $ZERON_ADDONS"
    "${ODOO_BIN[@]}" --addons-path="$ADDONS_PATH" -d "$DB" -i "$ZERON_ADDONS" \
        --without-demo=all --stop-after-init --http-port="$(free_port)" \
        --gevent-port="$(free_port)" --log-level=warn
    remember_hash
    seen_hash="$addons_hash"
fi

if [ "$addons_hash" != "$seen_hash" ]; then
    say "Updating $ZERON_ADDONS in $DB (their code changed)"
    "${ODOO_BIN[@]}" --addons-path="$ADDONS_PATH" -d "$DB" -i "$ZERON_ADDONS" -u "$ZERON_ADDONS" \
        --without-demo=all --stop-after-init --http-port="$(free_port)" \
        --gevent-port="$(free_port)" --log-level=warn
    remember_hash
fi

loaded="$(psql -d "$DB" -tAc "SELECT value FROM ir_config_parameter WHERE key = 'zeron.telco_loaded_on'" 2>/dev/null || true)"
if [ -n "$loaded" ]; then
    say "Telco data already loaded (reference date $loaded); serving $DB"
    say "Open http://localhost:$PORT and log in as admin / admin"
    exec "${SERVER[@]}"
fi

"${SERVER[@]}" --logfile="$REPO_DIR/build/zeron-run.log" &
server_pid=$!
trap 'kill "$server_pid" 2>/dev/null || true' INT TERM
mkdir -p "$REPO_DIR/build"
wait_for_server "http://127.0.0.1:$PORT" 180
say "Loading $DATA_CSV for $REF_DATE and invoicing it"
"$PYTHON" "$REPO_DIR/tests/load_telco.py" --url "http://127.0.0.1:$PORT" --db "$DB" \
    --csv "$DATA_CSV" --date "$REF_DATE" --invoice
psql -d "$DB" -qc "INSERT INTO ir_config_parameter (key, value, create_date, write_date)
    VALUES ('zeron.telco_loaded_on', '$REF_DATE', now(), now())"
say "Odoo is serving $DB: open http://localhost:$PORT and log in as admin / admin"
say "(server log: build/zeron-run.log; stop with Ctrl+C)"
wait "$server_pid"
