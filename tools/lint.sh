#!/usr/bin/env bash
# Lint the Zeron addons the way OCA repositories do, without pre-commit's
# remote hook repositories (they live on GitHub, which we cannot reach).
#
#   bash tools/lint.sh          check only; exits non-zero if any check fails
#   bash tools/lint.sh --fix    rewrite files: ruff --fix, ruff format,
#                               prettier --write (no other checks run)
#
# Environment:
#   LINT_ROOT             tree to lint (default: this repository). It must hold
#                         addons/<module>/ and/or tests/.
#   ZERON_LINT_VENV       where the Python tools live (/opt/zeron-lint-venv)
#   ZERON_LINT_NODE_DIR   where the Node tools live (/opt/zeron-lint-node)
#
# The tools are pinned in tools/lint-requirements.txt (PyPI) and
# tools/package.json + tools/package-lock.json (npm). They are installed
# outside the repository, and only when missing or when those files change:
# a stamp file holds a hash of the pinned files, so a second run installs
# nothing.
set -euo pipefail

REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LINT_ROOT="$(cd "${LINT_ROOT:-$REPO_DIR}" && pwd)"
VENV_DIR="${ZERON_LINT_VENV:-/opt/zeron-lint-venv}"
NODE_DIR="${ZERON_LINT_NODE_DIR:-/opt/zeron-lint-node}"
# .prettierrc.cjs looks for the XML plugin here.
export ZERON_LINT_NODE_DIR="$NODE_DIR"

# Configuration always comes from this repository, also when LINT_ROOT points
# at another tree, so a probe tree is judged by the very same rules.
RUFF_CONFIG="$REPO_DIR/.ruff.toml"
PYLINTRC_MANDATORY="$REPO_DIR/.pylintrc-mandatory"
PYLINTRC_INFORMATIVE="$REPO_DIR/.pylintrc"
PRETTIER_CONFIG="$REPO_DIR/.prettierrc.cjs"
PRETTIER_IGNORE="$REPO_DIR/.prettierignore"
PY_REQUIREMENTS="$REPO_DIR/tools/lint-requirements.txt"
NODE_PACKAGE="$REPO_DIR/tools/package.json"
NODE_LOCK="$REPO_DIR/tools/package-lock.json"

# Keep the work tree clean while others edit it: no ruff cache, no
# __pycache__ folders inside the repository.
export RUFF_CACHE_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/zeron-lint/ruff"
export PYTHONDONTWRITEBYTECODE=1

usage() {
    sed -n '2,19p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

MODE=check
for arg in "$@"; do
    case "$arg" in
        --fix) MODE=fix ;;
        -h | --help) usage; exit 0 ;;
        *) echo "lint.sh: unknown argument '$arg' (try --help)" >&2; exit 2 ;;
    esac
done

say() { printf '\n==> %s\n' "$*"; }

# --------------------------------------------------------------------------
# Tool installation
# --------------------------------------------------------------------------

# Hash of everything that decides what gets installed. The interpreter or
# Node version is part of it: a venv or node_modules built for another one
# must be rebuilt.
stamp_of() {
    cat "$@" | sha256sum | cut -d' ' -f1
}

# Two people may run lint.sh at once on a shared machine; the first run
# installs while the other waits, instead of both writing the same venv.
with_install_lock() {
    local lock="$1"
    shift
    mkdir -p "$(dirname "$lock")"
    (
        flock 9
        "$@"
    ) 9>"$lock"
}

# Empty DIR for a fresh install. Only a folder that lint.sh made itself (it
# carries our marker) is removed, so a mistyped ZERON_LINT_VENV cannot wipe
# some other venv.
reset_tool_dir() {
    local dir="$1"
    if [[ -e "$dir" && ! -f "$dir/.zeron-lint-owned" ]] \
        && [[ -n "$(ls -A "$dir" 2>/dev/null)" ]]; then
        echo "lint.sh: refusing to replace $dir: lint.sh did not create it" >&2
        return 1
    fi
    rm -rf "$dir"
    mkdir -p "$dir"
    touch "$dir/.zeron-lint-owned"
}

install_python_tools() {
    local stamp_file="$VENV_DIR/.zeron-lint-stamp"
    local want
    want="$(stamp_of "$PY_REQUIREMENTS" <(python3 --version))"
    if [[ -f "$stamp_file" && "$(cat "$stamp_file")" == "$want" \
        && -x "$VENV_DIR/bin/ruff" && -x "$VENV_DIR/bin/pylint" ]]; then
        return 0
    fi
    say "Installing Python lint tools into $VENV_DIR"
    # Start from an empty venv, so that nothing from an older pin survives.
    reset_tool_dir "$VENV_DIR"
    python3 -m venv "$VENV_DIR"
    local log="$VENV_DIR/pip-install.log"
    # pip's own output is long and noisy; keep it in a log, show it on failure.
    # --only-binary: every pin ships wheels, so no sdist builds code at install.
    if ! "$VENV_DIR/bin/pip" install --disable-pip-version-check --only-binary=:all: \
        -r "$PY_REQUIREMENTS" >"$log" 2>&1; then
        cat "$log" >&2
        echo "lint.sh: pip install failed (log: $log)" >&2
        return 1
    fi
    # Written last: an interrupted install leaves no stamp and is redone.
    echo "$want" >"$stamp_file"
}

install_node_tools() {
    local stamp_file="$NODE_DIR/.zeron-lint-stamp"
    local want
    want="$(stamp_of "$NODE_PACKAGE" "$NODE_LOCK" <(node --version))"
    if [[ -f "$stamp_file" && "$(cat "$stamp_file")" == "$want" \
        && -x "$NODE_DIR/node_modules/.bin/prettier" ]]; then
        return 0
    fi
    say "Installing Node lint tools into $NODE_DIR"
    reset_tool_dir "$NODE_DIR"
    # Install beside a copy of package.json, never inside the repository.
    cp "$NODE_PACKAGE" "$NODE_LOCK" "$NODE_DIR/"
    local log="$NODE_DIR/npm-install.log"
    # npm ci installs exactly the lock file; --ignore-scripts because
    # formatters need no install scripts and should run none.
    if ! (cd "$NODE_DIR" && npm ci --ignore-scripts --no-audit --no-fund) \
        >"$log" 2>&1; then
        cat "$log" >&2
        echo "lint.sh: npm ci failed (log: $log)" >&2
        return 1
    fi
    echo "$want" >"$stamp_file"
}

with_install_lock "$VENV_DIR.lock" install_python_tools
with_install_lock "$NODE_DIR.lock" install_node_tools

RUFF="$VENV_DIR/bin/ruff"
PYLINT="$VENV_DIR/bin/pylint"
OCA_MODULE="$VENV_DIR/bin/oca-checks-odoo-module"
OCA_PO="$VENV_DIR/bin/oca-checks-po"
PRETTIER="$NODE_DIR/node_modules/.bin/prettier"

# --------------------------------------------------------------------------
# What to lint
# --------------------------------------------------------------------------

cd "$LINT_ROOT"

# Folders that never hold our own code.
PRUNE=(-name .git -o -name node_modules -o -name __pycache__ -o -name lib -path '*/static/lib')

# find_files DIR... -- FIND-TESTS: print matching files, sorted, one a line.
find_files() {
    local dirs=()
    while [[ $# -gt 0 && "$1" != "--" ]]; do
        if [[ -d "$1" ]]; then
            dirs+=("$1")
        fi
        shift
    done
    shift
    if [[ ${#dirs[@]} -eq 0 ]]; then
        return 0
    fi
    find "${dirs[@]}" \( "${PRUNE[@]}" \) -prune -o -type f \( "$@" \) -print | sort
}

mapfile -t PY_FILES < <(find_files addons tests -- -name '*.py')
mapfile -t XML_FILES < <(find_files addons -- -name '*.xml')
mapfile -t PO_FILES < <(find_files addons -- -name '*.po' -o -name '*.pot')
# An addon is a folder of addons/ with a manifest.
ADDONS=()
for manifest in addons/*/__manifest__.py; do
    if [[ -f "$manifest" ]]; then
        ADDONS+=("$(dirname "$manifest")")
    fi
done
# pylint gets each addon as a package (so its manifest checks run) and the
# Python files of tests/, which is not an addon.
mapfile -t TEST_PY_FILES < <(find_files tests -- -name '*.py')

echo "Linting $LINT_ROOT: ${#ADDONS[@]} addon(s), ${#PY_FILES[@]} Python," \
    "${#XML_FILES[@]} XML and ${#PO_FILES[@]} PO/POT file(s) [mode: $MODE]"

FAILED=()

# run_check NAME COMMAND...: run one check, remember it if it fails.
run_check() {
    local name="$1"
    shift
    say "$name"
    if "$@" 2>&1; then
        echo "ok: $name"
    else
        echo "FAILED: $name"
        FAILED+=("$name")
    fi
}

skip() { say "$1"; echo "skipped: $2"; }

# The `enable` list of .pylintrc-mandatory, comma-separated.
mandatory_pylint_checks() {
    "$VENV_DIR/bin/python" - "$PYLINTRC_MANDATORY" <<'PY'
import configparser
import sys

config = configparser.ConfigParser()
config.read(sys.argv[1])
value = config["MESSAGES CONTROL"]["enable"]
print(",".join(name.strip() for name in value.split(",") if name.strip()))
PY
}

# Odoo 18.0 renamed the list view's root tag from <tree> to <list>
# (STYLE.md point 10). oca-checks-odoo-module only flags <tree string=...>
# and pylint-odoo does not read views, so look for the bare tag here.
check_no_tree_tag() {
    if grep -nE '<tree([[:space:]/>]|$)' "$@"; then
        echo "use <list> instead of <tree>: Odoo 18.0 view syntax"
        return 1
    fi
}

# --------------------------------------------------------------------------
# --fix: rewrite files, nothing else
# --------------------------------------------------------------------------

if [[ "$MODE" == fix ]]; then
    if [[ ${#PY_FILES[@]} -gt 0 ]]; then
        # Lint fixes first (import sorting, pyupgrade), then formatting.
        # What ruff cannot fix is listed and fails the run.
        run_check "ruff check --fix" "$RUFF" check --config "$RUFF_CONFIG" --fix \
            "${PY_FILES[@]}"
        run_check "ruff format" "$RUFF" format --config "$RUFF_CONFIG" "${PY_FILES[@]}"
    else
        skip "ruff" "no Python files"
    fi
    if [[ ${#XML_FILES[@]} -gt 0 ]]; then
        run_check "prettier --write (XML)" "$PRETTIER" --config "$PRETTIER_CONFIG" \
            --ignore-path "$PRETTIER_IGNORE" --log-level warn --write "${XML_FILES[@]}"
    else
        skip "prettier" "no XML files under addons/"
    fi
else
    # ----------------------------------------------------------------------
    # Checks
    # ----------------------------------------------------------------------
    if [[ ${#PY_FILES[@]} -gt 0 ]]; then
        run_check "ruff check" "$RUFF" check --config "$RUFF_CONFIG" --no-fix \
            "${PY_FILES[@]}"
        run_check "ruff format --check" "$RUFF" format --config "$RUFF_CONFIG" \
            --check --diff "${PY_FILES[@]}"
    else
        skip "ruff" "no Python files"
    fi

    PYLINT_TARGETS=("${ADDONS[@]}" "${TEST_PY_FILES[@]}")
    if [[ ${#PYLINT_TARGETS[@]} -gt 0 ]]; then
        run_check "pylint-odoo (mandatory, .pylintrc-mandatory)" \
            "$PYLINT" --rcfile="$PYLINTRC_MANDATORY" "${PYLINT_TARGETS[@]}"
        # .pylintrc enables the mandatory checks too (so editors using it see
        # everything); switch those off here so each finding prints once.
        # --exit-zero: the optional checks inform and never fail the run.
        say "pylint-odoo (informative, optional checks of .pylintrc; never fails)"
        "$PYLINT" --rcfile="$PYLINTRC_INFORMATIVE" --exit-zero \
            --disable="$(mandatory_pylint_checks)" "${PYLINT_TARGETS[@]}"
        echo "done: informative findings, if any, are listed above"
    else
        skip "pylint-odoo" "no addon and no Python file under tests/"
    fi

    if [[ ${#ADDONS[@]} -gt 0 ]]; then
        # weblate-component-too-long is about OCA's Weblate project names,
        # which we do not use.
        run_check "oca-checks-odoo-module" "$OCA_MODULE" \
            --disable=weblate-component-too-long "${ADDONS[@]}"
    else
        skip "oca-checks-odoo-module" "no addon under addons/"
    fi

    if [[ ${#PO_FILES[@]} -gt 0 ]]; then
        run_check "oca-checks-po" "$OCA_PO" "${PO_FILES[@]}"
    else
        skip "oca-checks-po" "no .po/.pot file under addons/"
    fi

    if [[ ${#XML_FILES[@]} -gt 0 ]]; then
        run_check "no <tree> tag (XML)" check_no_tree_tag "${XML_FILES[@]}"
        run_check "prettier --check (XML)" "$PRETTIER" --config "$PRETTIER_CONFIG" \
            --ignore-path "$PRETTIER_IGNORE" --log-level warn --check "${XML_FILES[@]}"
    else
        skip "prettier" "no XML files under addons/"
    fi
fi

echo
if [[ ${#FAILED[@]} -gt 0 ]]; then
    echo "lint.sh: ${#FAILED[@]} check(s) failed:"
    printf '  - %s\n' "${FAILED[@]}"
    exit 1
fi
echo "lint.sh: all checks passed"
