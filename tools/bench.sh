#!/usr/bin/env bash
# Benchmarks (tests/benchmarks/bench_*.py); not part of make test.
#
#   bash tools/bench.sh [--sizes 1000,5174] [--only NAME] [-- ARGS...]
#
#   1. installs the peer the invoicing benchmark compares us with, OCA's
#      `contract` 18.0, into the venv by pinned version (pip --no-deps; it needs
#      no other OCA module: it depends on base, account, product and portal);
#   2. creates throwaway databases without demo data, only those the chosen
#      benchmarks need: PREFIX_ours with zeron_subscription and PREFIX_peer
#      with contract for the invoicing benchmark, PREFIX_zeron with every addon
#      of ours for any other benchmark;
#   3. runs tests/benchmarks/bench_invoicing.py, then every other
#      tests/benchmarks/bench_*.py, each with the environment below and the
#      arguments `-d $ZERON_BENCH_DB --addons-path $ZERON_BENCH_ADDONS_PATH`
#      (ARGS after `--` go to bench_invoicing.py only);
#   4. drops every database whose name starts with PREFIX.
#
# Environment of each benchmark:
#   ZERON_BENCH_DB          PREFIX_zeron (every addon of ours) when a benchmark
#                           other than the invoicing one runs, else PREFIX_ours
#   ZERON_BENCH_OURS_DB, ZERON_BENCH_PEER_DB  the invoicing benchmark's two
#   ZERON_BENCH_DB_PREFIX   prefix for databases a benchmark creates (dropped
#                           at the end)
#   ZERON_BENCH_ADDONS_PATH Odoo's addons, ours and the peer's
#   ZERON_BENCH_SIZES       --sizes, when given
#   ZERON_BENCH_LOG_DIR     where to write logs and profiles
#   ODOO_PATH, ODOO_SRC     the Odoo 18.0 source tree
#   ZERON_DATA_CSV          the telco customers
#   PYTHON                  the venv's interpreter
#
# Settings: KEEP_DB=1 keeps the databases; ZERON_BENCH_PREFIX reuses the
# databases of an earlier KEEP_DB=1 run with that prefix when they exist.
set -euo pipefail
# shellcheck source=tools/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

CONTRACT_VERSION="18.0.2.6.2"
PREFIX="${ZERON_BENCH_PREFIX:-zeron_bench_$(date +%Y%m%d%H%M%S)_$$}"
LOG_DIR="${ZERON_BENCH_LOG_DIR:-$REPO_DIR/build/bench-logs}"
ONLY=""
BENCH_ARGS=()

usage() { sed -n '2,33p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

while [ $# -gt 0 ]; do
    case "$1" in
        --sizes) export ZERON_BENCH_SIZES="$2"; shift 2 ;;
        --sizes=*) export ZERON_BENCH_SIZES="${1#--sizes=}"; shift ;;
        --only) ONLY="$2"; shift 2 ;;
        --only=*) ONLY="${1#--only=}"; shift ;;
        --) shift; BENCH_ARGS=("$@"); break ;;
        -h | --help) usage; exit 0 ;;
        *) echo "bench.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
    esac
done

mkdir -p "$LOG_DIR"

cleanup() {
    if [ "${KEEP_DB:-0}" = 1 ]; then
        echo "kept the databases ${PREFIX}_*"
        return
    fi
    local db
    for db in $(psql -d postgres -Atc \
        "SELECT datname FROM pg_database WHERE datname LIKE '${PREFIX}\\_%'"); do
        dropdb --if-exists "$db" >/dev/null 2>&1 || true
    done
}
trap cleanup EXIT

say "Peer: OCA contract $CONTRACT_VERSION in $VENV"
installed="$("$PYTHON" -m pip show odoo-addon-contract 2>/dev/null | sed -n 's/^Version: //p' || true)"
if [ "$installed" != "$CONTRACT_VERSION" ]; then
    "$PYTHON" -m pip install --quiet --disable-pip-version-check --no-deps \
        "odoo-addon-contract==$CONTRACT_VERSION"
fi
PEER_ADDONS="$("$PYTHON" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')/odoo/addons"
# the addon must find every module it depends on in the addons path
"$PYTHON" - "$PEER_ADDONS/contract/__manifest__.py" "$ODOO_SRC/odoo/addons,$ADDONS_PATH,$PEER_ADDONS" <<'EOF'
import ast
import os
import sys

manifest = ast.literal_eval(open(sys.argv[1], encoding="utf-8").read())
paths = sys.argv[2].split(",")
missing = [
    dep
    for dep in manifest["depends"]
    if not any(os.path.isdir(os.path.join(path, dep)) for path in paths)
]
if missing:
    sys.exit(f"contract needs modules that are not installed: {missing}")
print(f"    contract {manifest['version']} depends on {manifest['depends']}: present")
EOF
BENCH_ADDONS_PATH="$ADDONS_PATH,$PEER_ADDONS"

db_exists() { [ "$(psql -d postgres -Atc "SELECT 1 FROM pg_database WHERE datname = '$1'")" = 1 ]; }

# create_db NAME MODULES: a database with MODULES installed, without demo data
create_db() {
    local db="$1" modules="$2" log="$LOG_DIR/install-$1.log"
    if db_exists "$db"; then
        echo "    reusing database $db"
        return
    fi
    if ! "${ODOO_BIN[@]}" --addons-path="$BENCH_ADDONS_PATH" -d "$db" -i "$modules" \
        --stop-after-init --without-demo=all --max-cron-threads=0 \
        --http-interface=127.0.0.1 --http-port="$(free_port)" \
        --gevent-port="$(free_port)" --log-level=warn --logfile="$log"; then
        echo "installing $modules on $db failed, log: $log" >&2
        tail -n 20 "$log" >&2
        return 1
    fi
    echo "    created database $db with $modules"
}

# the benchmarks to run: the invoicing one first, then the others by name
benches=()
for bench in "$REPO_DIR/tests/benchmarks/bench_invoicing.py" \
    "$REPO_DIR"/tests/benchmarks/bench_*.py; do
    name="$(basename "$bench" .py)"
    name="${name#bench_}"
    if [ ! -f "$bench" ] || { [ -n "$ONLY" ] && [ "$ONLY" != "$name" ]; } \
        || [[ " ${benches[*]} " == *" $bench "* ]]; then
        continue
    fi
    benches+=("$bench")
done
if [ ${#benches[@]} -eq 0 ]; then
    echo "bench.sh: no benchmark named '$ONLY' in tests/benchmarks/" >&2
    exit 2
fi
wants_peer=0
wants_all=0
for bench in "${benches[@]}"; do
    case "$(basename "$bench")" in
        bench_invoicing.py) wants_peer=1 ;;
        *) wants_all=1 ;;
    esac
done

say "Databases under the prefix $PREFIX"
start=$SECONDS
pids=()
install_failed=0
# at most two installs at once: one core each
if [ "$wants_peer" = 1 ]; then
    create_db "${PREFIX}_ours" zeron_subscription &
    pids+=($!)
    create_db "${PREFIX}_peer" contract &
    pids+=($!)
fi
if [ "$wants_all" = 1 ]; then
    if [ ${#pids[@]} -gt 0 ]; then
        wait "${pids[0]}" || install_failed=1
        pids=("${pids[@]:1}")
    fi
    create_db "${PREFIX}_zeron" "$ZERON_ADDONS" &
    pids+=($!)
fi
for pid in "${pids[@]}"; do
    wait "$pid" || install_failed=1
done
if [ "$install_failed" = 1 ]; then
    exit 1
fi
echo "    took $((SECONDS - start))s"

export ZERON_BENCH_OURS_DB="${PREFIX}_ours"
export ZERON_BENCH_PEER_DB="${PREFIX}_peer"
# every addon of ours when another benchmark runs, else zeron_subscription
if [ "$wants_all" = 1 ]; then
    export ZERON_BENCH_DB="${PREFIX}_zeron"
else
    export ZERON_BENCH_DB="${PREFIX}_ours"
fi
export ZERON_BENCH_DB_PREFIX="$PREFIX"
export ZERON_BENCH_ADDONS_PATH="$BENCH_ADDONS_PATH"
export ZERON_BENCH_LOG_DIR="$LOG_DIR"
export ODOO_PATH="$ODOO_SRC" ODOO_SRC PYTHON
export ZERON_DATA_CSV="$DATA_CSV"

failed=()
for bench in "${benches[@]}"; do
    name="$(basename "$bench" .py)"
    name="${name#bench_}"
    args=(-d "$ZERON_BENCH_DB" --addons-path "$BENCH_ADDONS_PATH")
    if [ "$name" = invoicing ]; then
        args+=("${BENCH_ARGS[@]}")
    fi
    say "Benchmark $name"
    start=$SECONDS
    if "$PYTHON" "$bench" "${args[@]}" 2>&1 | tee "$LOG_DIR/bench-$name.log"; then
        echo "    took $((SECONDS - start))s, log: $LOG_DIR/bench-$name.log"
    else
        echo "    FAILED after $((SECONDS - start))s, log: $LOG_DIR/bench-$name.log"
        failed+=("$name")
    fi
done

if [ ${#failed[@]} -gt 0 ]; then
    say "Failed benchmarks: ${failed[*]}"
    exit 1
fi
