#!/usr/bin/env bash
# Builds the portal for production and serves it: the frontend's production bundle (minified) and
# the backend's bundle (`yarn build:backend`, which builds every workspace package it uses, the app
# among them), installed with production dependencies only into a dist workspace
# (FEDSTACK_PRODUCTION_DIR, default dist/production), then the built backend started with node:
# it serves the app and the API on one origin (PORTAL_BASE_URL), on PostgreSQL, with OpenID Connect
# sign-in only (guest is refused). No dev server.
#
#   bash scripts/production.sh [--config extra.yaml ...] [other arguments of the backend]
#
# Configuration: app-config.yaml, app-config.production.yaml, then the --config files given here
# (later ones override; relative paths are taken from the current directory). Required
# environment: see `required` below. FEDSTACK_PRODUCTION_BUILD=0 starts the last build again;
# FEDSTACK_PRODUCTION_BUILD_ONLY=1 only builds (no environment needed).
set -euo pipefail
source "$(dirname "$0")/env.sh"

required=(
  POSTGRES_HOST 'PostgreSQL host'
  POSTGRES_PORT 'PostgreSQL port'
  POSTGRES_USER 'PostgreSQL user (it creates a database per plugin when missing)'
  POSTGRES_PASSWORD "that user's password"
  AUTH_SESSION_SECRET 'secret that signs the sign-in session cookies'
  AUTH_OIDC_METADATA_URL "the OpenID Connect provider's discovery URL (.well-known/openid-configuration)"
  AUTH_OIDC_CLIENT_ID "the portal's client id at the provider"
  AUTH_OIDC_CLIENT_SECRET "the portal's client secret at the provider"
)
missing=0
for ((i = 0; i < ${#required[@]}; i += 2)); do
  name="${required[i]}"
  if [ -z "${!name:-}" ]; then
    fedstack_log "missing environment variable $name: ${required[i + 1]}"
    missing=$((missing + 1))
  fi
done
# FEDSTACK_PRODUCTION_BUILD_ONLY=1 builds and stops (bench/fleet-backend.mjs --built): no start,
# so no environment needed.
build_only="${FEDSTACK_PRODUCTION_BUILD_ONLY:-0}"
if [ "$missing" -gt 0 ] && [ "$build_only" != 1 ]; then
  fedstack_log "production start refused: $missing required environment variable(s) unset (README.md, \"Production\")"
  exit 2
fi

# The backend runs in the repository's root (catalog files are relative to it): make the caller's
# relative --config paths absolute first.
caller_dir="$(pwd)"
absolute() { case "$1" in /*) printf '%s' "$1" ;; *) printf '%s/%s' "$caller_dir" "$1" ;; esac; }
extra=() extra_configs=()
while [ "$#" -gt 0 ]; do
  case "$1" in
    --config)
      [ "$#" -ge 2 ] || { fedstack_log "--config needs a file"; exit 2; }
      extra_configs+=(--config "$(absolute "$2")")
      shift 2
      ;;
    --config=*)
      extra_configs+=(--config "$(absolute "${1#--config=}")")
      shift
      ;;
    *)
      extra+=("$1")
      shift
      ;;
  esac
done

fedstack_ensure_node
fedstack_ensure_dependencies
cd "$FEDSTACK_ROOT"
configs=(--config "$FEDSTACK_ROOT/app-config.yaml" --config "$FEDSTACK_ROOT/app-config.production.yaml")
dist="${FEDSTACK_PRODUCTION_DIR:-$FEDSTACK_ROOT/dist/production}"

if [ "${FEDSTACK_PRODUCTION_BUILD:-1}" != "0" ]; then
  started=$SECONDS
  fedstack_log "building the frontend and the backend for production (yarn build:backend)"
  # The app is built with the same configuration the backend is started with (its base URL gives
  # the bundle's public path); the backend injects its frontend config at start.
  yarn build:backend "${configs[@]}" "${extra_configs[@]}"

  # The dist workspace: the built packages (the backend's bundle), then their production
  # dependencies, installed again only when a manifest or yarn.lock changed.
  mkdir -p "$dist/.yarn"
  rm -rf "$dist/packages" "$dist/plugins"
  tar -xzf packages/backend/dist/bundle.tar.gz -C "$dist"
  # The configuration schema, written once here: the backend reads it at start instead of
  # compiling every package's config.d.ts with TypeScript (packages/backend/src/rootLogger.ts).
  (cd packages/backend && yarn backstage-cli config:schema --package backend --format json) \
    >"$dist/packages/backend/dist/config-schema.json"
  # Node's memory settings for the backend (read with --env-file below).
  cp packages/backend/production.env "$dist/packages/backend/production.env"
  cp .yarnrc.yml "$dist/"
  cp -r .yarn/releases "$dist/.yarn/"
  # better-sqlite3 (SQLite, development only) stays unbuilt: production runs on PostgreSQL.
  node -e '
    const fs = require("fs");
    const pkg = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
    pkg.dependenciesMeta = { ...pkg.dependenciesMeta, "better-sqlite3": { built: false } };
    fs.writeFileSync(process.argv[1], JSON.stringify(pkg, null, 2) + "\n");
  ' "$dist/package.json"
  # shellcheck disable=SC2046
  stamp="$(cat "$dist/yarn.lock" "$dist/package.json" $(find "$dist/packages" "$dist/plugins" -maxdepth 2 -name package.json | sort) | sha256sum | cut -d' ' -f1)-$FEDSTACK_NODE_VERSION"
  if [ ! -f "$dist/node_modules/.fedstack-production-stamp" ] ||
    [ "$(cat "$dist/node_modules/.fedstack-production-stamp")" != "$stamp" ]; then
    fedstack_log "installing production dependencies into $dist"
    (cd "$dist" && yarn workspaces focus --all --production)
    echo "$stamp" >"$dist/node_modules/.fedstack-production-stamp"
  fi

  # The frontend as served: a production build, never React's development build.
  static="$dist/packages/app/dist/static"
  if grep -lq 'react-dom.development' "$static"/*.js; then
    fedstack_log "the built frontend contains React's development build"
    exit 1
  fi
  js_bytes="$(cat "$static"/*.js | wc -c)"
  gz_bytes="$(cat "$static"/*.js | gzip -6 | wc -c)"
  fedstack_log "built in $((SECONDS - started)) s; frontend: $(ls "$static"/*.js | wc -l) scripts, $((js_bytes / 1024)) KiB ($((gz_bytes / 1024)) KiB gzipped), all chunks together"
fi

[ "$build_only" = 1 ] && exit 0
[ -f "$dist/packages/backend/dist/index.cjs.js" ] || {
  fedstack_log "no build in $dist: run without FEDSTACK_PRODUCTION_BUILD=0 once"
  exit 1
}
export NODE_ENV=production
fedstack_log "starting the backend: ${PORTAL_BASE_URL:-http://localhost:7007} (port ${PORTAL_PORT:-7007})"
exec node --env-file-if-exists="$dist/packages/backend/production.env" "$dist/packages/backend" "${configs[@]}" "${extra_configs[@]}" "${extra[@]}"
