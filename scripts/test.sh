#!/usr/bin/env bash
# Runs every test: type check, lint, formatting, config schema, unit/component/backend tests
# (jest), then browser tests against the real portal in Debian's Chromium.
# Installs what is missing first (Node 22, dependencies, Debian packages).
set -euo pipefail
source "$(dirname "$0")/env.sh"
source "$(dirname "$0")/portal.sh"
fedstack_ensure_node
fedstack_ensure_dependencies
fedstack_ensure_debian_packages chromium fonts-liberation
cd "$FEDSTACK_ROOT"
mkdir -p artifacts

step() { fedstack_log "== $*"; }

step "type check"
yarn tsc
yarn tsc -p e2e/tsconfig.json

step "lint and formatting"
yarn lint:all
yarn prettier:check

step "config schema"
yarn backstage-cli config:check --lax --config app-config.yaml

step "unit, component and backend tests"
jest_status=0
CI=true yarn test --json --outputFile="$FEDSTACK_ROOT/artifacts/jest.json" || jest_status=$?

step "browser tests"
e2e_status=0
trap fedstack_stop_portal EXIT
fedstack_start_portal
node --test --test-concurrency=1 --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$FEDSTACK_ROOT/artifacts/e2e.tap" \
  e2e/*.test.ts || e2e_status=$?
fedstack_stop_portal

# One closing line for every suite together.
node "$FEDSTACK_ROOT/scripts/test-summary.mjs" "$FEDSTACK_ROOT/artifacts/jest.json" "$FEDSTACK_ROOT/artifacts/e2e.tap"
[ "$jest_status" -eq 0 ] && [ "$e2e_status" -eq 0 ]
