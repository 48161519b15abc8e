# Shared settings of tools/*.sh; sourced, not run.
# shellcheck shell=bash
REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ODOO_SRC="${ODOO_SRC:-/opt/odoo/18.0}"
VENV="${ZERON_VENV:-/opt/zeron-venv}"
PYTHON="$VENV/bin/python"
ODOO_BIN=("$PYTHON" "$ODOO_SRC/odoo-bin")
ADDONS_PATH="$ODOO_SRC/addons,$REPO_DIR/addons"
# every addon of ours, in dependency order
ZERON_ADDONS="${ZERON_ADDONS:-$(cd "$REPO_DIR/addons" && ls -d zeron_*/ 2>/dev/null | tr -d / | paste -sd, -)}"
DATA_CSV="${ZERON_DATA_CSV:-$REPO_DIR/../shared/data/telco-customer-churn.csv}"

say() { printf '==> %s\n' "$*"; }

# A TCP port nobody listens on, for a throwaway Odoo server.
free_port() {
    "$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Wait until the Odoo server at $1 answers, or fail after $2 seconds.
wait_for_server() {
    local url="$1" timeout="${2:-120}" waited=0
    until curl -sf -o /dev/null -X POST -H 'Content-Type: application/json' \
        -d '{"jsonrpc":"2.0","method":"call","params":{}}' "$url/web/webclient/version_info"; do
        sleep 1
        waited=$((waited + 1))
        if [ "$waited" -ge "$timeout" ]; then
            echo "Odoo did not answer at $url within ${timeout}s" >&2
            return 1
        fi
    done
}
