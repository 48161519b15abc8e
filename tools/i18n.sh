#!/usr/bin/env bash
# Export i18n/<addon>.pot of every addon of ours (or those named) from a
# throwaway database where they are installed, as Odoo 18 writes them.
#   bash tools/i18n.sh [addon ...]
# Then bring each i18n/bg.po up to date with the new template, for example
#   msgmerge --update --no-fuzzy-matching --backup=none i18n/bg.po i18n/<addon>.pot
# and translate what is new.
set -euo pipefail
# shellcheck source=tools/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

addons=("$@")
[ "${#addons[@]}" -gt 0 ] || IFS=, read -r -a addons <<< "$ZERON_ADDONS"
DB="zeron_i18n_$$"
trap 'dropdb --if-exists "$DB" >/dev/null 2>&1 || true' EXIT
"${ODOO_BIN[@]}" --addons-path="$ADDONS_PATH" -d "$DB" -i "$(IFS=,; echo "${addons[*]}")" \
    --without-demo=all --stop-after-init --http-port="$(free_port)" \
    --gevent-port="$(free_port)" --log-level=warn --max-cron-threads=0
for addon in "${addons[@]}"; do
    mkdir -p "$REPO_DIR/addons/$addon/i18n"
    "${ODOO_BIN[@]}" --addons-path="$ADDONS_PATH" -d "$DB" --modules="$addon" \
        --i18n-export="$REPO_DIR/addons/$addon/i18n/$addon.pot" --stop-after-init \
        --http-port="$(free_port)" --gevent-port="$(free_port)" --log-level=warn
    say "exported addons/$addon/i18n/$addon.pot"
done
