#!/usr/bin/env bash
# Runs the benchmarks against the real sandbox (started here when it is down). Figures go to
# standard output; BENCHMARKS.md records them with this command.
set -euo pipefail
source "$(dirname "$0")/../scripts/env.sh"
fedstack_ensure_node
fedstack_ensure_dependencies
cd "$FEDSTACK_ROOT"
bash sandbox/start >/dev/null
# The CLI as an operator gets it: built and bundled (dist/fedstack.cjs), not compiled on the fly.
(cd plugins/openstack-cli && yarn build >/dev/null)
echo "== single site: fedstack scan vs the openstack CLI"
node bench/scan-vs-cli.mjs "${FEDSTACK_BENCH_RUNS:-5}"
echo "== replication: ${FEDSTACK_BENCH_TENANTS:-1000} tenants × 5 members into site-a's Keystone"
node bench/replication.mjs "${FEDSTACK_BENCH_TENANTS:-1000}"
echo "== fleet: N sites replayed from site-a's recorded answers, 50 ± 10 ms latency, scanned 4 at a time"
node bench/fleet.mjs --sites "${FEDSTACK_BENCH_FLEET_SITES:-10,100,1000}" \
  --concurrency "${FEDSTACK_BENCH_FLEET_CONCURRENCY:-4}"
echo "== fleet through the backend: a scheduled scan of N replayed sites + GOCDB, cloud info, accounting portal (backend on :7217, PostgreSQL)"
node bench/fleet-backend.mjs --sites "${FEDSTACK_BENCH_FLEET_SITES:-10,100,1000}" \
  --concurrency "${FEDSTACK_BENCH_FLEET_CONCURRENCY:-4}"
echo "== REST: scorecard read and fleet list with ${FEDSTACK_BENCH_SITES:-1000} sites (backend on :7207)"
node bench/rest.mjs "${FEDSTACK_BENCH_SITES:-1000}" 20
echo "== page: the fleet page with ${FEDSTACK_BENCH_SITES:-1000} sites in headless Chromium"
yarn workspace app build >/dev/null
node bench/page.mjs "${FEDSTACK_BENCH_SITES:-1000}" 7
echo "== bundle: the frontend plugin's dist"
(cd plugins/openstack && yarn backstage-cli package build >/dev/null)
find plugins/openstack/dist -name '*.js' -exec cat {} + | wc -c | xargs echo "plugin JS bytes:"
find plugins/openstack/dist -name '*.js' -exec cat {} + | gzip -9 | wc -c | xargs echo "plugin JS bytes, gzip -9:"
cat packages/app/dist/static/*.js | wc -c | xargs echo "app JS bytes:"
cat packages/app/dist/static/*.js | gzip -9 | wc -c | xargs echo "app JS bytes, gzip -9:"
