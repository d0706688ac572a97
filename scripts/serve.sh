#!/usr/bin/env bash
# Starts the platform on its embedded default. Until apps/server lands, it prepares the embedded database.
set -euo pipefail
cd "$(dirname "$0")/.."
export TURBO_TELEMETRY_DISABLED=1

pnpm --silent --filter @eyeball/db migrate
if [[ -z "${DATABASE_URL:-}" ]]; then
  echo "Eyeball: the embedded database is ready (PGlite in ${EYEBALL_DATA_DIR:-.eyeball}/db, migrations applied)."
else
  echo "Eyeball: the PostgreSQL database at DATABASE_URL is migrated."
fi
echo "Eyeball: the HTTP server, portal and sandbox testers arrive with apps/server; there is nothing else to start yet."
