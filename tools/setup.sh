#!/usr/bin/env bash
# Install what `make run` and `make test` need, only where it is missing:
# Debian packages, a virtualenv with Odoo's and our requirements, a running
# PostgreSQL with a superuser role for the current OS user.
set -euo pipefail
# shellcheck source=tools/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

# --- Odoo source --------------------------------------------------------------
if [ ! -f "$ODOO_SRC/odoo-bin" ] || ! grep -q "^version_info = (18, 0" "$ODOO_SRC/odoo/release.py" 2>/dev/null; then
    cat >&2 <<MSG
Odoo 18.0 source not found at $ODOO_SRC.
Provide an Odoo 18.0 source tree (the one holding odoo-bin, odoo/ and addons/)
and point ODOO_SRC at it, for example:
    ODOO_SRC=/path/to/odoo-18.0 make test
Where the network reaches Odoo's public repository, this gets one:
    git clone --depth 1 --branch 18.0 https://github.com/odoo/odoo.git /opt/odoo/18.0
No test is run without it.
MSG
    exit 1
fi

# --- Debian packages ------------------------------------------------------------
DEB_PACKAGES=(postgresql libpq-dev libldap2-dev libsasl2-dev chromium wkhtmltopdf curl)
missing=()
for package in "${DEB_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
        || missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
    say "Installing Debian packages: ${missing[*]}"
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# --- virtualenv -----------------------------------------------------------------
# Odoo pins cbor2 5.4.2, which does not build on Python 3.11: take 5.4.6.
requirements="$(mktemp)"
trap 'rm -f "$requirements"' EXIT
sed 's/^cbor2==5\.4\.2/cbor2==5.4.6/' "$ODOO_SRC/requirements.txt" > "$requirements"
stamp="$(cat "$requirements" "$REPO_DIR/requirements.txt" | sha256sum | cut -d' ' -f1)"
if [ "$(cat "$VENV/.zeron-stamp" 2>/dev/null)" != "$stamp" ]; then
    say "Installing Odoo's and our Python requirements into $VENV"
    [ -x "$PYTHON" ] || python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q --upgrade pip wheel 'setuptools<70' cython 'setuptools_scm<8'
    "$VENV/bin/pip" install -q --no-build-isolation -r "$requirements" -r "$REPO_DIR/requirements.txt"
    echo "$stamp" > "$VENV/.zeron-stamp"
fi

# --- PostgreSQL -----------------------------------------------------------------
if ! pg_isready -q 2>/dev/null; then
    say "Starting PostgreSQL"
    if command -v pg_ctlcluster >/dev/null; then
        cluster="$(pg_lsclusters -h | awk 'NR == 1 {print $1 " " $2}')"
        # shellcheck disable=SC2086
        pg_ctlcluster $cluster start
    else
        service postgresql start
    fi
    for _ in $(seq 30); do pg_isready -q && break; sleep 1; done
fi
user="$(id -un)"
if ! psql -d postgres -tAc "SELECT 1" >/dev/null 2>&1; then
    say "Creating the PostgreSQL role $user"
    su postgres -c "createuser --superuser $user"
fi
