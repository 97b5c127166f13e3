#!/usr/bin/env bash
# Adoption test: the published packages installed into a fresh Backstage app, as an adopter
# would. Packs every package (prepack points exports at dist/), creates an app with the
# registry's current @backstage/create-app, pins it to the one Backstage release it names,
# installs the packages with `yarn add` from a registry for the @fedstack scope, wires them by
# applying the plugins' README recipes (applyReadme.mjs), type-checks and builds the app, starts
# its backend (SQLite) against the sandbox's site-a, and runs adoption.test.ts in Chromium.
# Needs the sandbox running (scripts/test.sh starts it). Work folder: $FEDSTACK_ADOPTION_DIR
# (default /tmp/fedstack-adoption), outside the repository: the app is a yarn project of its own.
set -euo pipefail
source "$(dirname "$0")/../../scripts/env.sh"
source "$(dirname "$0")/../../scripts/portal.sh"
fedstack_ensure_node
fedstack_ensure_dependencies
cd "$FEDSTACK_ROOT"

work="${FEDSTACK_ADOPTION_DIR:-${TMPDIR:-/tmp}/fedstack-adoption}"
app="$work/app"
port="${FEDSTACK_ADOPTION_PORT:-7107}"
registry_port="${FEDSTACK_ADOPTION_REGISTRY_PORT:-4873}"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 # the app's @playwright/test must not fetch browsers
export SCARF_ANALYTICS=false # nor a dependency phone home (no internet here)
log() { fedstack_log "adoption: $*"; }

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || true; done
}
trap cleanup EXIT

rm -rf "$app" "$work/packs"
mkdir -p "$work/packs"

log "building and packing the published packages"
yarn tsc
yarn backstage-cli repo build
published=()
for manifest in plugins/*/package.json; do
  if [ "$(node -p "require('./$manifest').private === true")" = "false" ]; then
    published+=("$(dirname "$manifest")")
  fi
done
for dir in "${published[@]}"; do
  (cd "$dir" && yarn pack --out "$work/packs/%s-%v.tgz" >/dev/null)
done
ls "$work/packs"

log "serving them as the @fedstack scope's registry on 127.0.0.1:$registry_port"
setsid node e2e/adoption/scopeRegistry.mjs "$work/packs" "$registry_port" >"$work/registry.log" 2>&1 &
pids+=($!)
fedstack_wait_for_url "http://127.0.0.1:$registry_port/@fedstack%2fplugin-openstack" 30

create_app_version="$(node -e '
  fetch(`${process.env.npm_config_registry ?? "https://registry.npmjs.org"}/@backstage%2fcreate-app`)
    .then(r => r.json()).then(d => console.log(d["dist-tags"].latest))')"
log "creating an app with @backstage/create-app@$create_app_version"
(cd "$work" && BACKSTAGE_APP_NAME=adopter yarn dlx -q "@backstage/create-app@$create_app_version" \
  --path "$app" --skip-install >"$work/create-app.log" 2>&1) || {
  tail -20 "$work/create-app.log"
  exit 1
}
log "Backstage $(node -p "require('$app/backstage.json').version") in $app"
node e2e/adoption/pinRelease.mjs "$app" "$create_app_version" "${published[@]/%//package.json}"
cat >>"$app/.yarnrc.yml" <<YARNRC
npmScopes:
  fedstack:
    npmRegistryServer: 'http://127.0.0.1:$registry_port'
unsafeHttpWhitelist:
  - 127.0.0.1
YARNRC
# The packs are always version 0.1.0: a copy of an earlier run's left in yarn's cache would be
# installed instead of this build's (yarn takes a cached package by name and version).
cache_folder="$(cd "$app" && yarn config get cacheFolder)"
rm -f "$cache_folder"/@fedstack-*.zip

log "installing and wiring the plugins as their READMEs say"
node e2e/adoption/applyReadme.mjs "$app" \
  plugins/openstack-backend/README.md \
  plugins/catalog-backend-module-openstack/README.md \
  plugins/openstack-backend-module-permission-policy/README.md \
  plugins/auth-backend-module-checkin-provider/README.md \
  plugins/openstack/README.md

# The one thing the recipes leave to the adopter: where their site is. Here: the sandbox's site-a.
sandbox_env="${FEDSTACK_SANDBOX_DIR:-$FEDSTACK_ROOT/.sandbox}/credentials.env"
set -a
# shellcheck disable=SC1090
. "$sandbox_env"
set +a
keystone=http://127.0.0.1:5000/v3
sed -i "s#https://keystone.my-site.example.org:5000/v3#$keystone#" \
  "$app/app-config.openstack.yaml" "$app/openstack-sites.yaml"
# The read-only reader the README asks for: the sandbox's site-reader (system + project reader).
export MY_SITE_READER_USERNAME="$FEDSTACK_SANDBOX_SITE_READER_USERNAME"
export MY_SITE_READER_PASSWORD="$FEDSTACK_SANDBOX_SITE_READER_PASSWORD"
export MY_SITE_READER_PROJECT="$FEDSTACK_SANDBOX_SITE_READER_PROJECT"
cat >"$app/app-config.adoption-test.yaml" <<CONFIG
app:
  baseUrl: http://localhost:$port
backend:
  baseUrl: http://localhost:$port
  listen: { port: $port }
  cors: { origin: http://localhost:$port }
auth:
  providers:
    # The signed-in guest stands for one of the site's operators (the owner group).
    guest:
      userEntityRef: user:default/guest
      ownershipEntityRefs: [user:default/guest, group:default/my-site-operators]
catalog:
  locations:
    - type: file
      target: ../../openstack-sites.yaml
      rules: [{ allow: [Resource] }]
CONFIG

log "type check and build"
(cd "$app" && yarn tsc && yarn build:all >"$work/build.log" 2>&1) || {
  tail -30 "$work/build.log"
  exit 1
}

log "starting the app's backend on :$port"
setsid bash -c 'cd "$0/packages/backend" && exec yarn start \
  --config ../../app-config.yaml --config ../../app-config.openstack.yaml \
  --config ../../app-config.permission.yaml --config ../../app-config.adoption-test.yaml' \
  "$app" >"$work/backend.log" 2>&1 &
pids+=($!)
fedstack_wait_for_url "http://localhost:$port/api/openstack/health" 180 || {
  tail -40 "$work/backend.log"
  exit 1
}

FEDSTACK_ADOPTION_APP_DIR="$app" FEDSTACK_APP_URL="http://localhost:$port" \
  FEDSTACK_BACKEND_URL="http://localhost:$port" \
  node --test --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$FEDSTACK_ROOT/artifacts/adoption.tap" \
  e2e/adoption/adoption.test.ts
