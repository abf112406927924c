#!/usr/bin/env bash
# Every check, in order: types, the API reports, lint (package metadata included), formatting, unit
# and integration tests (Jest, all packages), the templates' skeletons rendered with sample values (their pytest and node --test
# suites), two backend replicas of the production profile on PostgreSQL and Redis
# (scripts/test-replicas.sh), end-to-end tests (Playwright in Chromium). Runs them all even when
# one fails, then prints one summary line and exits non-zero if anything failed.
# Expects the toolchain from scripts/toolchain.sh (./portal test sets it up).
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

reports=".toolchain/reports"
rm -rf "$reports"
mkdir -p "$reports"
failed_steps=()

step() {
  local name="$1"
  shift
  echo
  echo "==> $name"
  local started=$SECONDS
  if "$@"; then
    echo "==> $name: ok ($((SECONDS - started))s)"
  else
    echo "==> $name: FAILED ($((SECONDS - started))s)"
    failed_steps+=("$name")
  fi
}

step "types (tsc)" yarn tsc
# Both read the declarations the tsc step just wrote to dist-types/ (a whole build on a fresh
# clone, as `yarn build:api-reports` makes one before it writes the reports).
step "API reports (api-extractor)" yarn api-reports:check
step "lint" yarn lint:all
step "formatting (prettier)" yarn prettier:check
step "unit and integration tests (jest)" \
  env CI=true yarn backstage-cli repo test --json --outputFile="$reports/jest.json"
step "template skeletons (rendered, their own tests)" \
  node scripts/test-skeletons.mjs "$reports"
step "two backend replicas on PostgreSQL and Redis (production profile)" \
  bash scripts/test-replicas.sh "$reports"
step "end-to-end tests (playwright)" \
  env CI=true PLAYWRIGHT_JSON_OUTPUT_NAME="$reports/playwright.json" \
  scripts/e2e.sh --reporter=list,json

node scripts/test-summary.mjs "$reports" "${failed_steps[@]}"
