#!/usr/bin/env bash
# Runs the benchmarks against the real sandbox (started here when it is down). Figures go to
# standard output; BENCHMARKS.md records them with this command.
set -euo pipefail
source "$(dirname "$0")/../scripts/env.sh"
fedstack_ensure_node
fedstack_ensure_dependencies
cd "$FEDSTACK_ROOT"
bash sandbox/start >/dev/null
# The CLI as an operator gets it: built, not compiled on the fly.
(cd plugins/openstack-node && yarn backstage-cli package build >/dev/null)
echo "== single site: fedstack scan vs the openstack CLI"
node bench/scan-vs-cli.mjs "${FEDSTACK_BENCH_RUNS:-5}"
echo "== replication: ${FEDSTACK_BENCH_TENANTS:-1000} tenants × 5 members into site-a's Keystone"
node bench/replication.mjs "${FEDSTACK_BENCH_TENANTS:-1000}"
