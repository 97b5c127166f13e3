#!/usr/bin/env bash
# Runs every test: type check, lint, formatting, config schema; then, against the real OpenStack
# sandbox (started here, stopped after unless it was already running): the sandbox's own proof,
# unit/component/backend/integration tests (jest), and browser tests against the real portal in
# Debian's Chromium. Installs what is missing first (Node 22, dependencies, Debian packages).
set -euo pipefail
source "$(dirname "$0")/env.sh"
source "$(dirname "$0")/portal.sh"
fedstack_ensure_node
fedstack_ensure_dependencies
fedstack_ensure_debian_packages chromium fonts-liberation
cd "$FEDSTACK_ROOT"
mkdir -p artifacts
rm -f artifacts/*.json artifacts/*.tap

step() { fedstack_log "== $*"; }

step "type check"
yarn tsc
yarn tsc -p e2e/tsconfig.json
yarn tsc -p e2e/production/tsconfig.json
yarn tsc -p e2e/adoption/tsconfig.json

step "API reports (a published package's API changed without its report: fails)"
yarn test:api-reports

step "lint and formatting"
yarn lint:all
yarn prettier:check

step "config schema"
yarn backstage-cli config:check --lax --config app-config.yaml --config app-config.sandbox.yaml
yarn backstage-cli config:check --lax --config app-config.yaml --config app-config.production.yaml

step "OpenStack sandbox"
sandbox_was_running=false
if bash sandbox/status >/dev/null 2>&1; then sandbox_was_running=true; fi
cleanup() {
  fedstack_stop_portal
  if [ "$sandbox_was_running" = false ]; then bash sandbox/stop || true; fi
}
trap cleanup EXIT
bash sandbox/start
set -a
# shellcheck disable=SC1091
. "${FEDSTACK_SANDBOX_DIR:-$FEDSTACK_ROOT/.sandbox}/credentials.env"
set +a
# Integration tests fail, rather than skip, when the sandbox does not answer.
export FEDSTACK_SANDBOX_REQUIRED=1
# Store tests run on PostgreSQL too: the sandbox's cluster (its superuser creates test databases).
export BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING="postgresql://postgres:${FEDSTACK_SANDBOX_DB_PASSWORD}@127.0.0.1:5433/postgres"

status=0
step "the sandbox's seeded objects and defects, through the real APIs"
node --test --test-concurrency=1 --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$FEDSTACK_ROOT/artifacts/sandbox.tap" \
  sandbox/*.test.mts || status=1

step "unit, component, backend and integration tests"
# Files named *.variants.test.ts re-seed the shared site-b: they run after, one at a time.
CI=true yarn test --testPathIgnorePatterns '\.variants\.test\.ts$' \
  --json --outputFile="$FEDSTACK_ROOT/artifacts/jest.json" || status=1

step "site-b variants: each defect caught by its check"
CI=true yarn test --runInBand --testPathPatterns '\.variants\.test\.ts$' \
  --json --outputFile="$FEDSTACK_ROOT/artifacts/jest-variants.json" || status=1

step "browser tests"
fedstack_start_portal --config "$FEDSTACK_ROOT/app-config.yaml" \
  --config "$FEDSTACK_ROOT/app-config.sandbox.yaml"
node --test --test-concurrency=1 --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$FEDSTACK_ROOT/artifacts/e2e.tap" \
  e2e/*.test.ts || status=1

step "production portal: the built app served by the built backend (PostgreSQL, OIDC sign-in)"
fedstack_stop_portal # frees the two cores: the development portal is done
bash scripts/test-production.sh || status=1

step "adoption: the packed plugins installed into a fresh Backstage app, wired as their READMEs say"
bash e2e/adoption/run.sh || status=1

# One closing line for every suite together.
node scripts/test-summary.mjs artifacts/jest.json artifacts/jest-variants.json \
  artifacts/sandbox.tap artifacts/e2e.tap artifacts/e2e-production.tap artifacts/adoption.tap
exit "$status"
