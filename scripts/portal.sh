# Starting and stopping the portal (frontend :3000, backend :7007) for tests and benchmarks.
# shellcheck shell=bash

FEDSTACK_PORTAL_LOG="$FEDSTACK_ROOT/artifacts/portal.log"

fedstack_wait_for_url() {
  local url="$1" seconds="$2" waited=0
  until curl -fsS -o /dev/null "$url" 2>/dev/null; do
    sleep 2
    waited=$((waited + 2))
    if [ "$waited" -ge "$seconds" ]; then
      fedstack_log "$url did not answer within ${seconds}s; see $FEDSTACK_PORTAL_LOG"
      tail -40 "$FEDSTACK_PORTAL_LOG" >&2 || true
      return 1
    fi
  done
}

# Starts `yarn start` in the background (its own process group) unless the portal already runs.
fedstack_start_portal() {
  if curl -fsS -o /dev/null http://localhost:7007/api/openstack/health 2>/dev/null; then
    fedstack_log "the portal is already running"
    FEDSTACK_PORTAL_PID=""
    return 0
  fi
  mkdir -p "$(dirname "$FEDSTACK_PORTAL_LOG")"
  fedstack_log "starting the portal (log: $FEDSTACK_PORTAL_LOG)"
  # setsid makes the portal the leader of its own process group, so that stopping it ends
  # rspack, the backend and every other child with it.
  setsid bash -c 'cd "$0" && exec yarn start "${@:1}"' "$FEDSTACK_ROOT" "$@" \
    >"$FEDSTACK_PORTAL_LOG" 2>&1 &
  FEDSTACK_PORTAL_PID=$!
  fedstack_wait_for_url http://localhost:7007/api/openstack/health 240
  fedstack_wait_for_url http://localhost:3000/ 300
}

fedstack_stop_portal() {
  [ -n "${FEDSTACK_PORTAL_PID:-}" ] || return 0
  kill -TERM -- "-$FEDSTACK_PORTAL_PID" 2>/dev/null || true
  local waited=0
  while kill -0 -- "-$FEDSTACK_PORTAL_PID" 2>/dev/null && [ "$waited" -lt 20 ]; do
    sleep 1
    waited=$((waited + 1))
  done
  kill -KILL -- "-$FEDSTACK_PORTAL_PID" 2>/dev/null || true
  FEDSTACK_PORTAL_PID=""
}
