#!/usr/bin/env bash
# Starts the portal with the demo sites: the OpenStack sandbox (real Keystone, Nova, Glance,
# Cinder, Neutron, Swift on loopback: site-a and site-b), then the frontend on
# http://localhost:3000 and the backend on http://localhost:7007 (SQLite in memory).
# Installs what is missing first (Node 22, dependencies, Debian packages).
# FEDSTACK_SANDBOX=0 starts the portal alone. Extra arguments go to `yarn start`.
set -euo pipefail
source "$(dirname "$0")/env.sh"
fedstack_ensure_node
fedstack_ensure_dependencies
cd "$FEDSTACK_ROOT"
# Absolute paths: `yarn start` reads --config relative to each package it starts.
configs=(--config "$FEDSTACK_ROOT/app-config.yaml")
if [ "${FEDSTACK_SANDBOX:-1}" != "0" ]; then
  bash sandbox/start
  set -a
  # shellcheck disable=SC1091
  . "${FEDSTACK_SANDBOX_DIR:-$FEDSTACK_ROOT/.sandbox}/credentials.env"
  set +a
  configs+=(--config "$FEDSTACK_ROOT/app-config.sandbox.yaml")
  fedstack_log "the sandbox keeps running after the portal stops: bash sandbox/stop ends it"
fi
if [ -f app-config.local.yaml ]; then
  configs+=(--config "$FEDSTACK_ROOT/app-config.local.yaml")
fi
exec yarn start "${configs[@]}" "$@"
