#!/usr/bin/env bash
# The whole test suite: lint, typecheck, build and every test, with database tests on both engines.
set -euo pipefail
cd "$(dirname "$0")/.."
export TURBO_TELEMETRY_DISABLED=1
export EYEBALL_TEST_REPORT=1

bash scripts/ensure-postgres.sh
bash scripts/ensure-chromium.sh
rm -rf apps/*/test-results packages/*/test-results
# Static checks in parallel, then one package's tests at a time: each Vitest run already uses every
# core, and database-heavy suites that start subprocesses get flaky when several compete for 2 cores.
status=0
turbo run lint typecheck build --output-logs=new-only --continue || status=$?
turbo run test --output-logs=new-only --continue --concurrency=1 || status=$?
node scripts/test-summary.mjs || status=$?
exit "$status"
