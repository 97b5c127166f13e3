#!/usr/bin/env bash
# Starts the portal: frontend on http://localhost:3000, backend on http://localhost:7007,
# on embedded defaults (SQLite in memory, the sites of catalog-info.yaml).
# Installs what is missing first (Node 22, dependencies). Extra arguments go to `yarn start`.
set -euo pipefail
source "$(dirname "$0")/env.sh"
fedstack_ensure_node
fedstack_ensure_dependencies
cd "$FEDSTACK_ROOT"
exec yarn start "$@"
