#!/usr/bin/env bash
# The production portal's test: scripts/production.sh builds and starts the portal on
# http://localhost:7207 against the OpenStack sandbox (started when down, and left running as
# scripts/start.sh leaves it: `bash sandbox/stop` ends it): its PostgreSQL (databases
# fedstack_production_test_*, dropped first, never the demo's) and its Check-in stand-in for
# sign-in. Then e2e/production/production.test.ts in Debian's Chromium, and the portal is stopped.
# Report: artifacts/e2e-production.tap, log: artifacts/production/portal.log.
set -euo pipefail
source "$(dirname "$0")/env.sh"
fedstack_ensure_node
fedstack_ensure_dependencies
fedstack_ensure_debian_packages chromium fonts-liberation
cd "$FEDSTACK_ROOT"
started=$SECONDS
port=7207
base_url="http://localhost:$port"
out="$FEDSTACK_ROOT/artifacts/production"
log="$out/portal.log"
mkdir -p "$out"

if curl -fsS -o /dev/null "$base_url/" 2>/dev/null; then
  fedstack_log "something already answers on port $port: stop it first"
  exit 1
fi

portal_pid=""
# The backend stops on SIGTERM once its open requests end (a long poll of the events bus lasts up
# to a minute): after 10 s it is killed.
cleanup() {
  if [ -n "$portal_pid" ]; then
    disown "$portal_pid" 2>/dev/null || true
    kill -TERM -- "-$portal_pid" 2>/dev/null || true
    local waited=0
    while kill -0 -- "-$portal_pid" 2>/dev/null && [ "$waited" -lt 10 ]; do
      sleep 1
      waited=$((waited + 1))
    done
    kill -KILL -- "-$portal_pid" 2>/dev/null || true
  fi
}
trap cleanup EXIT
bash sandbox/start
set -a
# shellcheck disable=SC1091
. "${FEDSTACK_SANDBOX_DIR:-$FEDSTACK_ROOT/.sandbox}/credentials.env"
set +a

# The production environment, from the sandbox: its PostgreSQL under a prefix of this test's own,
# its Check-in stand-in's portal client (which may return to port 7207).
export POSTGRES_HOST=127.0.0.1 POSTGRES_PORT=5433 POSTGRES_USER=postgres
export POSTGRES_PASSWORD="$FEDSTACK_SANDBOX_DB_PASSWORD"
export POSTGRES_DATABASE_PREFIX=fedstack_production_test_
export AUTH_SESSION_SECRET="$FEDSTACK_SANDBOX_AUTH_SESSION_SECRET"
export AUTH_OIDC_METADATA_URL="$FEDSTACK_SANDBOX_OIDC_METADATA_URL"
export AUTH_OIDC_CLIENT_ID="$FEDSTACK_SANDBOX_OIDC_PORTAL_CLIENT_ID"
export AUTH_OIDC_CLIENT_SECRET="$FEDSTACK_SANDBOX_OIDC_PORTAL_CLIENT_SECRET"
export PORTAL_BASE_URL="$base_url" PORTAL_PORT="$port"

# A fresh start: the databases of the previous run go.
export PGPASSWORD="$POSTGRES_PASSWORD"
for db in $(psql -h "$POSTGRES_HOST" -p "$POSTGRES_PORT" -U postgres -d postgres -Atc \
  "SELECT datname FROM pg_database WHERE datname LIKE '${POSTGRES_DATABASE_PREFIX}%'"); do
  psql -h "$POSTGRES_HOST" -p "$POSTGRES_PORT" -U postgres -d postgres -qc "DROP DATABASE \"$db\" WITH (FORCE)"
done
unset PGPASSWORD

# The sandbox's sites (credential sets, sources), but the production sign-in page: Check-in only
# (app-config.sandbox.yaml offers guest too, for the demo).
cat >"$out/app-config.test.yaml" <<'EOF'
app:
  extensions:
    - sign-in-page:app:
        config:
          providers: [oidc]
EOF

fedstack_log "building and starting the production portal (log: $log)"
setsid bash scripts/production.sh --config "$FEDSTACK_ROOT/app-config.sandbox.yaml" \
  --config "$out/app-config.test.yaml" >"$log" 2>&1 &
portal_pid=$!
waited=0
until curl -fsS -o /dev/null "$base_url/api/openstack/health" 2>/dev/null &&
  curl -fsS -o /dev/null "$base_url/" 2>/dev/null; do
  if ! kill -0 "$portal_pid" 2>/dev/null || [ "$waited" -ge 600 ]; then
    fedstack_log "the production portal did not come up on $base_url; the end of $log:"
    tail -40 "$log" >&2 || true
    exit 1
  fi
  sleep 2
  waited=$((waited + 2))
done
ready=$((SECONDS - started))
grep -a 'built in' "$log" | sed 's/\x1b\[[0-9;]*m//g' >&2 || true
fedstack_log "production portal ready on $base_url after ${ready} s"

status=0
FEDSTACK_APP_URL="$base_url" FEDSTACK_BACKEND_URL="$base_url" \
  node --test --test-concurrency=1 --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$FEDSTACK_ROOT/artifacts/e2e-production.tap" \
  e2e/production/*.test.ts || status=1
fedstack_log "test-production: $((SECONDS - started)) s in all (build and start ${ready} s, tests $((SECONDS - started - ready)) s)"
exit "$status"
