#!/usr/bin/env bash
# The whole test suite: lint, typecheck, build and every test, with database tests on both engines.
set -euo pipefail
cd "$(dirname "$0")/.."
export TURBO_TELEMETRY_DISABLED=1
export EYEBALL_TEST_REPORT=1

bash scripts/ensure-postgres.sh
bash scripts/ensure-chromium.sh
rm -rf apps/*/test-results packages/*/test-results tooling/*/test-results
# Static checks in parallel, then one package's tests at a time: each Vitest run already uses every
# core, and database-heavy suites that start subprocesses get flaky when several compete for 2 cores.
status=0
turbo run lint typecheck build --output-logs=new-only --continue || status=$?
test_status=0
turbo run test --output-logs=new-only --continue --concurrency=1 || test_status=$?
# A package whose run the watchdog ended (no test progress for minutes: a stuck worker, see
# tooling/vitest/watchdog-reporter.js) is run once more, loudly; real test failures are never rerun.
stuck=(apps/*/test-results/watchdog.json packages/*/test-results/watchdog.json tooling/*/test-results/watchdog.json)
rerun_status=0
reran=0
for report in "${stuck[@]}"; do
  [ -e "$report" ] || continue
  dir="${report%/test-results/watchdog.json}"
  echo "::warning::the watchdog ended the tests of $dir: $(tr -d '\n' < "$report")"
  rm -f "$report"
  reran=1
  (cd "$dir" && pnpm run test) || rerun_status=$?
done
if [ "$reran" = 1 ] && [ "$rerun_status" = 0 ]; then test_status=0; fi
[ "$test_status" = 0 ] || status=$test_status
[ "$rerun_status" = 0 ] || status=$rerun_status
node scripts/test-summary.mjs || status=$?
exit "$status"
