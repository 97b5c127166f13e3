# shellcheck shell=bash
# Shared settings and helpers of the sandbox scripts (sourced, not run).
# Everything the sandbox writes lives under $SBX (default /work/main/.sandbox, git-ignored).

SANDBOX_SRC="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SANDBOX_SRC/.." && pwd)"
SBX="${FEDSTACK_SANDBOX_DIR:-$REPO_ROOT/.sandbox}"

# The sandbox that holds the (fixed) ports records its folder here, so another checkout's start
# can stop it first (one sandbox per machine).
SBX_ACTIVE_FILE="/tmp/fedstack-sandbox.active"

# Services refuse or dislike root (initdb does): everything runs as this user.
SBX_USER="${FEDSTACK_SANDBOX_USER:-fedstack}"
if [ "$(id -u)" != 0 ]; then SBX_USER="$(id -un)"; fi

PG_PORT="${FEDSTACK_SANDBOX_PG_PORT:-5433}"
# Newest installed PostgreSQL (start sets it again after installing packages).
find_pg_bin() { PG_BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"; }
find_pg_bin

# Addresses. site-a lives on 127.0.0.1; site-b on its own loopback address 127.0.0.2, so it
# has the same default ports as a real site (Linux answers on all of 127.0.0.0/8 without setup).
HOST_A=127.0.0.1
HOST_B=127.0.0.2
KEYSTONE_A_PORT=5000
KEYSTONE_B_PORT=5000        # on HOST_B
KEYSTONE_B_COMPAT_PORT=5001 # site-b's Keystone also on 127.0.0.1:5001, for tools that only know 127.0.0.1
GLANCE_PORT=9292
NOVA_PORT=8774
CINDER_PORT=8776
NEUTRON_PORT=9696
SWIFT_PORT=8080
SWIFT_OBJECT_PORT=6200
SWIFT_CONTAINER_PORT=6201
SWIFT_ACCOUNT_PORT=6202
NOVA_ALT_PORT=18774         # on HOST_B: site-b's "non-default port" defect (forwarder to site-b's Nova)
OIDC_PORT=8443              # loopback OpenID Connect provider (federation)
APACHE_PORT=5080            # Apache + mod_auth_openidc in front of site-a's Keystone (federation)
KEYSTONE_A_TLS_PORT=5443    # site-a's Keystone over https, certificate of a private CA ($SBX/tls)
# Stand-ins for GOCDB, the cloud information system and the accounting portal (+ cASO's spool):
# one process (sandbox/registry-stand-ins), three listeners on 127.0.0.1.
GOCDB_PORT=8301
CLOUD_INFO_PORT=8302
ACCOUNTING_PORT=8303
MEMCACHED_PORT=11222        # site-a Keystone's cache, shared by its worker processes
# site-a Keystone's uwsgi worker processes: one per core by default.
KEYSTONE_A_PROCESSES="${FEDSTACK_SANDBOX_KEYSTONE_PROCESSES:-$(nproc)}"
# site-b's service endpoints are TCP forwarders (socat) HOST_B:port -> site-a's services, but
# compute: site-b has a Nova API of its own (nova-api-b on HOST_B:$NOVA_PORT, its own databases,
# tokens validated by site-b's Keystone), so that its tokens can read Nova's usage and flavors.
declare -A SITE_B_FORWARDS=([fwd-b-volume]=$CINDER_PORT
  [fwd-b-network]=$NEUTRON_PORT [fwd-b-image]=$GLANCE_PORT [fwd-b-object]=$SWIFT_PORT)

REGION_A=RegionOne
REGION_B=RegionTwo

# Passwords: the environment wins, then what the first start wrote to credentials.env (the
# databases hold those), then the sandbox defaults. Change them with a reset, not on a warm start.
cred() { # VAR DEFAULT
  local v="${!1:-}"
  if [ -z "$v" ] && [ -f "$SBX/credentials.env" ]; then v="$(sed -n "s/^$1=//p" "$SBX/credentials.env" | tail -1)"; fi
  echo "${v:-$2}"
}
ADMIN_PASSWORD="$(cred FEDSTACK_SANDBOX_ADMIN_PASSWORD admin-secret)"
SERVICE_PASSWORD="$(cred FEDSTACK_SANDBOX_SERVICE_PASSWORD service-secret)"
REPLICATOR_PASSWORD="$(cred FEDSTACK_SANDBOX_REPLICATOR_PASSWORD replicator-secret)"
METERING_PASSWORD="$(cred FEDSTACK_SANDBOX_METERING_PASSWORD metering-secret)"
ACCOUNTING_PASSWORD="$(cred FEDSTACK_SANDBOX_ACCOUNTING_PASSWORD accounting-secret)"
DEMO_PASSWORD="$(cred FEDSTACK_SANDBOX_DEMO_PASSWORD demo-secret)"
SITE_READER_PASSWORD="$(cred FEDSTACK_SANDBOX_SITE_READER_PASSWORD site-reader-secret)"
DB_PASSWORD="$(cred FEDSTACK_SANDBOX_DB_PASSWORD db-secret)"
OIDC_PASSWORD="$(cred FEDSTACK_SANDBOX_OIDC_PASSWORD oidc-secret)"
OIDC_TEST_SECRET="$(cred FEDSTACK_SANDBOX_OIDC_TEST_SECRET tests-oidc-secret)"
OIDC_KEYSTONE_SECRET="$(cred FEDSTACK_SANDBOX_OIDC_KEYSTONE_SECRET keystone-oidc-secret)"
OIDC_PROBE_SECRET="$(cred FEDSTACK_SANDBOX_OIDC_PROBE_CLIENT_SECRET probe-oidc-secret)"
OIDC_PORTAL_SECRET="$(cred FEDSTACK_SANDBOX_OIDC_PORTAL_CLIENT_SECRET portal-oidc-secret)"
AUTH_SESSION_SECRET="$(cred FEDSTACK_SANDBOX_AUTH_SESSION_SECRET portal-session-secret)"

PACKAGES=(curl procps postgresql python3-psycopg2 uwsgi-core uwsgi-plugin-python3 keystone python3-openstackclient
  glance-api nova-api nova-conductor cinder-api neutron-server
  swift-proxy swift-account swift-container swift-object socat memcached python3-pymemcache openssl)
FEDERATION_PACKAGES=(apache2 libapache2-mod-auth-openidc openssl)

log() { printf '[sandbox %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# Run a command as the sandbox user (a no-op switch when we already are that user).
# setpriv execs (runuser/su would fork and stay in between, spoiling pid files).
as_user() {
  if [ "$(id -un)" = "$SBX_USER" ]; then "$@"
  else setpriv --reuid="$SBX_USER" --regid="$SBX_USER" --init-groups env HOME="$SBX/home" "$@"; fi
}

psql_sbx() { as_user "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -qtA "$@"; }

# proc_running PID: alive and not a zombie (pid 1 here reaps orphans only now and then).
proc_running() {
  local stat; stat="$(ps -o stat= -p "$1" 2>/dev/null)" || return 1
  [ -n "$stat" ] && [[ "$stat" != Z* ]]
}

# pid_alive PIDFILE: the process runs and is the sandbox user's (a pid left from before a
# reboot may now belong to someone else).
pid_alive() {
  [ -f "$1" ] || return 1
  local pid; pid="$(cat "$1")"
  proc_running "$pid" && [ "$(ps -o uid= -p "$pid" | tr -d ' ')" = "$(id -u "$SBX_USER")" ]
}

# The address each service listens on.
declare -A SERVICE_ADDR=([postgres]=$HOST_A:$PG_PORT [memcached]=$HOST_A:$MEMCACHED_PORT [keystone-a]=$HOST_A:$KEYSTONE_A_PORT
  [keystone-b]=$HOST_B:$KEYSTONE_B_PORT [glance]=$HOST_A:$GLANCE_PORT [nova-api]=$HOST_A:$NOVA_PORT
  [cinder-api]=$HOST_A:$CINDER_PORT [neutron-server]=$HOST_A:$NEUTRON_PORT
  [swift-account]=$HOST_A:$SWIFT_ACCOUNT_PORT [swift-container]=$HOST_A:$SWIFT_CONTAINER_PORT
  [swift-object]=$HOST_A:$SWIFT_OBJECT_PORT [swift-proxy]=$HOST_A:$SWIFT_PORT
  [nova-api-b]=$HOST_B:$NOVA_PORT [fwd-b-volume]=$HOST_B:$CINDER_PORT [fwd-b-network]=$HOST_B:$NEUTRON_PORT
  [fwd-b-image]=$HOST_B:$GLANCE_PORT [fwd-b-object]=$HOST_B:$SWIFT_PORT [fwd-b-compute-alt]=$HOST_B:$NOVA_ALT_PORT
  [keystone-a-tls]=$HOST_A:$KEYSTONE_A_TLS_PORT
  [oidc-provider]=$HOST_A:$OIDC_PORT [apache]=$HOST_A:$APACHE_PORT
  [registry-stand-ins]=$HOST_A:$GOCDB_PORT) # also :$CLOUD_INFO_PORT and :$ACCOUNTING_PORT

port_in_use() { (exec 3<>"/dev/tcp/${1%:*}/${1##*:}") 2>/dev/null; } # HOST:PORT

# wait_port HOST:PORT [SECONDS]: until something listens there.
wait_port() {
  local t0=$SECONDS
  until port_in_use "$1"; do
    if (( SECONDS - t0 > ${2:-30} )); then return 1; fi
    sleep 0.1
  done
}

# start_daemon NAME CMD...: background a service as the sandbox user, pid file + log in $SBX.
start_daemon() {
  local name="$1"; shift
  local pidf="$SBX/run/$name.pid"
  if pid_alive "$pidf"; then return 0; fi
  # The ports are fixed: a second sandbox (another checkout) would talk to the first one's
  # services without noticing. Stop it first, or point FEDSTACK_SANDBOX_DIR at it.
  if port_in_use "${SERVICE_ADDR[$name]}"; then
    die "${SERVICE_ADDR[$name]} ($name) is taken by a process this sandbox ($SBX) did not start: another sandbox running? stop it first (FEDSTACK_SANDBOX_DIR=<its dir> sandbox/stop)"
  fi
  # setsid: own process group, so stop can end the service and its workers together.
  # A plain command (not a function) after &: bash execs it, so $! is the service itself.
  if [ "$(id -un)" = "$SBX_USER" ]; then
    setsid "$@" >>"$SBX/log/$name.log" 2>&1 < /dev/null &
  else
    setpriv --reuid="$SBX_USER" --regid="$SBX_USER" --init-groups env HOME="$SBX/home" \
      setsid "$@" >>"$SBX/log/$name.log" 2>&1 < /dev/null &
  fi
  echo $! > "$pidf"
}

# wait_http URL [SECONDS]: until the URL answers with any HTTP status.
wait_http() {
  local url="$1" limit="${2:-120}" t0=$SECONDS
  until curl -sk -o /dev/null -m 2 "$url"; do
    if (( SECONDS - t0 > limit )); then return 1; fi
    sleep 0.3
  done
}

# The daemons in start order; stop goes the other way.
SERVICES=(postgres memcached keystone-a keystone-b glance nova-api nova-api-b cinder-api neutron-server
  swift-account swift-container swift-object swift-proxy
  fwd-b-volume fwd-b-network fwd-b-image fwd-b-object fwd-b-compute-alt
  keystone-a-tls registry-stand-ins oidc-provider apache)

# tree_pids PID: a process and all its descendants (its workers).
tree_pids() {
  ps -e -o pid=,ppid= | awk -v root="$1" '
    { parent[$1] = $2 }
    END { for (p in parent) { q = p; while (q != "" && q != 0 && q != 1) { if (q == root) { print p; break } q = parent[q] } } }'
}

# tree_mem PID: "RSS PSS" in kB summed over the process tree. RSS counts shared pages once per
# process (PostgreSQL's shared buffers, forked workers); PSS splits them, so PSS adds up honestly.
tree_mem() {
  local rss=0 pss=0 p r s
  for p in $(tree_pids "$1"); do
    r="$(ps -o rss= -p "$p" 2>/dev/null | tr -d ' ')"; rss=$((rss + ${r:-0}))
    s="$(awk '/^Pss:/ { print $2 }' "/proc/$p/smaps_rollup" 2>/dev/null || true)"; pss=$((pss + ${s:-0}))
  done
  echo "$rss $pss"
}
