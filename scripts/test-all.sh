#!/usr/bin/env bash
# The whole test suite: lint, typecheck, build and every test, with database tests on both engines.
set -euo pipefail
cd "$(dirname "$0")/.."
export TURBO_TELEMETRY_DISABLED=1
export EYEBALL_TEST_REPORT=1

bash scripts/ensure-postgres.sh
rm -rf test-results
turbo run lint typecheck build test --output-logs=new-only --continue
node scripts/test-summary.mjs
