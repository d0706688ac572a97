#!/usr/bin/env bash
# The GitHub Action's step (action.yml maps its inputs to INPUT_* variables): runs `eyeball run --wait --github`,
# so the job summary and step outputs are written, and turns a failed test into success when asked.
set -uo pipefail

: "${INPUT_URL:?the url input is required}"
: "${INPUT_DESCRIPTION:?the description input is required}"
# The integrator CLI bundled into one file (apps/cli/scripts/bundle.ts): Node.js only, no install.
cli="${EYEBALL_ACTION_PATH:-$(cd "$(dirname "$0")/.." && pwd)}/apps/cli/action/eyeball.mjs"

args=(run --url "$INPUT_URL" --description "$INPUT_DESCRIPTION" --wait --github --progress plain)
[ -n "${INPUT_SCHEMA:-}" ] && args+=(--schema "$INPUT_SCHEMA")
[ -n "${INPUT_SCREEN:-}" ] && args+=(--screen "$INPUT_SCREEN")
[ -n "${INPUT_DURATION:-}" ] && args+=(--duration "$INPUT_DURATION")
[ -n "${INPUT_TESTERS:-}" ] && args+=(--testers "$INPUT_TESTERS")
[ -n "${INPUT_TITLE:-}" ] && args+=(--title "$INPUT_TITLE")
[ -n "${INPUT_TIMEOUT:-}" ] && args+=(--timeout "$INPUT_TIMEOUT")
[ -n "${INPUT_IDEMPOTENCY_KEY:-}" ] && args+=(--idempotency-key "$INPUT_IDEMPOTENCY_KEY")

result="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/eyeball-result.json"
node "$cli" "${args[@]}" > "$result"
code=$?
if [ -n "${GITHUB_OUTPUT:-}" ]; then echo "result-file=$result" >> "$GITHUB_OUTPUT"; fi

case "$code" in
  0) echo "Eyeball: the test passed." ;;
  1)
    if [ "${INPUT_FAIL_ON_TEST_FAILURE:-true}" = "false" ]; then
      echo "::warning title=Eyeball::The human test did not pass (fail-on-test-failure is false)."
      exit 0
    fi
    echo "::error title=Eyeball::The human test did not pass."
    ;;
  2) echo "::error title=Eyeball::The test did not finish within ${INPUT_TIMEOUT:-the} seconds; the job goes on." ;;
  3) echo "::error title=Eyeball::The Eyeball API refused or failed the request (see the log above)." ;;
  *) echo "::error title=Eyeball::eyeball exited with $code." ;;
esac
exit "$code"
