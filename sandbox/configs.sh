# shellcheck shell=bash
# Writes every service's configuration into $SBX/etc (sourced by start; needs lib.sh).
# Nothing is read from /etc: paste files come from /usr/share, policy files are our own
# (empty) so the packages' /etc/*/policy.d can never change the behaviour.

ETC="$SBX/etc"
STATE="$SBX/state"

db_url() { echo "postgresql+psycopg2://$SBX_USER:$DB_PASSWORD@127.0.0.1:$PG_PORT/$1"; }

# [keystone_authtoken] of a service of site-a. interface = public: the catalog has only
# public endpoints, and keystonemiddleware looks for the internal one otherwise.
authtoken() {
  cat <<EOF
www_authenticate_uri = http://127.0.0.1:$KEYSTONE_A_PORT
auth_url = http://127.0.0.1:$KEYSTONE_A_PORT
auth_type = password
interface = public
region_name = $REGION_A
project_domain_name = Default
user_domain_name = Default
project_name = service
username = $1
password = $SERVICE_PASSWORD
EOF
}

# Policy files of our own, so no package default from /etc is picked up.
policy_section() {
  mkdir -p "$ETC/$1/policy.d"
  printf '# No overrides: built-in policy defaults.\n{}\n' > "$ETC/$1/policy.yaml"
  cat <<EOF
[oslo_policy]
policy_file = $ETC/$1/policy.yaml
policy_dirs = $ETC/$1/policy.d
EOF
}

# Keystone's cache cuts token validation and lookups. site-a runs several worker processes
# (as a real Keystone does), so they share one memcached and see each other's invalidations;
# site-b runs one process with an in-process cache.
keystone_cache_section() { # site letter
  echo "enabled = true"
  echo "expiration_time = 600"
  if [ "$1" = a ]; then
    echo "backend = dogpile.cache.pymemcache"
    echo "memcache_servers = $HOST_A:$MEMCACHED_PORT"
  else
    echo "backend = oslo_cache.dict"
  fi
}

write_keystone_conf() { # site letter, database
  local s="$1" dir="$ETC/keystone-$1"
  mkdir -p "$dir/fernet-keys" "$dir/credential-keys"
  chmod 700 "$dir/fernet-keys" "$dir/credential-keys"  # Keystone warns on every request otherwise
  cat > "$dir/keystone.conf" <<EOF
[DEFAULT]
debug = false
[database]
connection = $(db_url "keystone_$s")
[token]
provider = fernet
[fernet_tokens]
key_repository = $dir/fernet-keys
[fernet_receipts]
key_repository = $dir/fernet-keys
[credential]
key_repository = $dir/credential-keys
[identity]
# bcrypt at 4 rounds instead of 12: a password token costs ms, not 0.3 s (sandbox only).
password_hash_rounds = 4
[auth]
methods = password,token,application_credential,openid,mapped
[openid]
# Behind Apache + mod_auth_openidc the claims arrive as OIDC-* headers (HTTP_OIDC_* in WSGI).
remote_id_attribute = HTTP_OIDC_ISS
[federation]
trusted_dashboard = http://127.0.0.1:7007/
[cache]
$(keystone_cache_section "$s")
$(policy_section "keystone-$s")
EOF
}

write_glance_conf() {
  mkdir -p "$ETC/glance" "$STATE/glance/images" "$STATE/glance/staging" "$STATE/glance/tasks" "$STATE/glance/lock"
  cat > "$ETC/glance/glance-api.conf" <<EOF
[DEFAULT]
bind_host = 127.0.0.1
bind_port = $GLANCE_PORT
workers = 1
# Glance Zed refuses to run with the old policy defaults mixed with secure RBAC off.
enforce_secure_rbac = true
lock_path = $STATE/glance/lock
[database]
connection = $(db_url glance)
[keystone_authtoken]
$(authtoken glance)
[paste_deploy]
flavor = keystone
config_file = /usr/share/glance-common/glance-api-paste.ini
[glance_store]
stores = file,http
default_store = file
filesystem_store_datadir = $STATE/glance/images
[os_glance_staging_store]
filesystem_store_datadir = $STATE/glance/staging
[os_glance_tasks_store]
filesystem_store_datadir = $STATE/glance/tasks
[oslo_concurrency]
lock_path = $STATE/glance/lock
$(policy_section glance)
enforce_new_defaults = true
EOF
}

write_nova_conf() {
  mkdir -p "$ETC/nova" "$STATE/nova/lock"
  cat > "$ETC/nova/nova.conf" <<EOF
[DEFAULT]
# No message bus: casts to conductor/scheduler go nowhere, servers stay in BUILD.
transport_url = fake:/
enabled_apis = osapi_compute
osapi_compute_listen = 127.0.0.1
osapi_compute_listen_port = $NOVA_PORT
osapi_compute_workers = 1
state_path = $STATE/nova
[api]
auth_strategy = keystone
[api_database]
connection = $(db_url nova_api)
[database]
connection = $(db_url nova)
[wsgi]
api_paste_config = /usr/share/nova-common/api-paste.ini
[keystone_authtoken]
$(authtoken nova)
[glance]
valid_interfaces = public
[neutron]
auth_type = password
auth_url = http://127.0.0.1:$KEYSTONE_A_PORT/v3
project_domain_name = Default
user_domain_name = Default
project_name = service
username = neutron
password = $SERVICE_PASSWORD
valid_interfaces = public
region_name = $REGION_A
[placement]
auth_type = password
auth_url = http://127.0.0.1:$KEYSTONE_A_PORT/v3
project_domain_name = Default
user_domain_name = Default
project_name = service
username = nova
password = $SERVICE_PASSWORD
valid_interfaces = public
region_name = $REGION_A
[vnc]
enabled = false
[oslo_concurrency]
lock_path = $STATE/nova/lock
$(policy_section nova)
EOF
}

# site-b's own Nova API (nova-api-b on HOST_B): its own API and cell databases (nova_api_b,
# nova_b_cell0, nova_b; sharing site-a's would show each site the other's servers, flavors and
# usage), tokens validated by site-b's Keystone with site-b's service user nova. Only the API
# runs, as for site-a: no message bus, no scheduler, conductor or compute.
write_nova_b_conf() {
  mkdir -p "$ETC/nova-b" "$STATE/nova-b/lock"
  cat > "$ETC/nova-b/nova.conf" <<EOF
[DEFAULT]
transport_url = fake:/
enabled_apis = osapi_compute
osapi_compute_listen = $HOST_B
osapi_compute_listen_port = $NOVA_PORT
osapi_compute_workers = 1
state_path = $STATE/nova-b
[api]
auth_strategy = keystone
[api_database]
connection = $(db_url nova_api_b)
[database]
connection = $(db_url nova_b)
[wsgi]
api_paste_config = /usr/share/nova-common/api-paste.ini
[keystone_authtoken]
www_authenticate_uri = http://$HOST_B:$KEYSTONE_B_PORT
auth_url = http://$HOST_B:$KEYSTONE_B_PORT
auth_type = password
interface = public
region_name = $REGION_B
project_domain_name = Default
user_domain_name = Default
project_name = service
username = nova
password = $SERVICE_PASSWORD
[glance]
valid_interfaces = public
region_name = $REGION_B
[vnc]
enabled = false
[oslo_concurrency]
lock_path = $STATE/nova-b/lock
$(policy_section nova-b)
EOF
}

write_cinder_conf() {
  mkdir -p "$ETC/cinder" "$STATE/cinder/lock"
  cat > "$ETC/cinder/cinder.conf" <<EOF
[DEFAULT]
# API only: no volume service, so volumes stay in "creating" (the cast goes nowhere).
transport_url = fake:/
osapi_volume_listen = 127.0.0.1
osapi_volume_listen_port = $CINDER_PORT
osapi_volume_workers = 1
auth_strategy = keystone
api_paste_config = /usr/share/cinder-common/api-paste.ini
state_path = $STATE/cinder
[database]
connection = $(db_url cinder)
[keystone_authtoken]
$(authtoken cinder)
[oslo_concurrency]
lock_path = $STATE/cinder/lock
$(policy_section cinder)
EOF
}

write_neutron_conf() {
  mkdir -p "$ETC/neutron" "$STATE/neutron/lock"
  cat > "$ETC/neutron/neutron.conf" <<EOF
[DEFAULT]
bind_host = 127.0.0.1
bind_port = $NEUTRON_PORT
core_plugin = ml2
service_plugins = router
transport_url = fake:/
# No agents and no RPC workers: the API server alone, in its own process.
rpc_workers = 0
rpc_state_report_workers = 0
api_workers = 1
auth_strategy = keystone
api_paste_config = /usr/share/neutron-common/api-paste.ini
state_path = $STATE/neutron
notify_nova_on_port_status_changes = false
notify_nova_on_port_data_changes = false
[database]
connection = $(db_url neutron)
[keystone_authtoken]
$(authtoken neutron)
[oslo_concurrency]
lock_path = $STATE/neutron/lock
$(policy_section neutron)
EOF
  cat > "$ETC/neutron/ml2_conf.ini" <<EOF
[ml2]
type_drivers = flat,vxlan
tenant_network_types = vxlan
# No mechanism driver: ports are never bound, which is fine for an API-only sandbox.
mechanism_drivers =
extension_drivers = port_security
[ml2_type_flat]
flat_networks = public
[ml2_type_vxlan]
vni_ranges = 1:1000
EOF
}

write_swift_conf() {
  mkdir -p "$ETC/swift" "$STATE/swift/devices/d1" "$STATE/swift/cache" "$STATE/swift/lock"
  cat > "$ETC/swift/swift.conf" <<EOF
[swift-hash]
swift_hash_path_suffix = fedstack-sandbox
swift_hash_path_prefix = fedstack-sandbox
[storage-policy:0]
name = Policy-0
default = yes
EOF
  local kind port
  for kind in account container object; do
    case $kind in
      account) port=$SWIFT_ACCOUNT_PORT ;; container) port=$SWIFT_CONTAINER_PORT ;; object) port=$SWIFT_OBJECT_PORT ;;
    esac
    cat > "$ETC/swift/$kind-server.conf" <<EOF
[DEFAULT]
bind_ip = 127.0.0.1
bind_port = $port
# workers = 0: serve in the one process, no forked workers.
workers = 0
user = $SBX_USER
swift_dir = $ETC/swift
devices = $STATE/swift/devices
mount_check = false
log_name = swift-$kind
[pipeline:main]
pipeline = healthcheck recon $kind-server
[app:$kind-server]
use = egg:swift#$kind
[filter:healthcheck]
use = egg:swift#healthcheck
[filter:recon]
use = egg:swift#recon
recon_cache_path = $STATE/swift/cache
recon_lock_path = $STATE/swift/lock
[$kind-replicator]
[$kind-auditor]
[$kind-updater]
EOF
  done
  cat > "$ETC/swift/proxy-server.conf" <<EOF
[DEFAULT]
bind_ip = 127.0.0.1
bind_port = $SWIFT_PORT
workers = 0
user = $SBX_USER
swift_dir = $ETC/swift
log_name = swift-proxy
[pipeline:main]
# No memcache in the pipeline: nothing listens on 11211 here.
pipeline = catch_errors gatekeeper healthcheck proxy-logging listing_formats bulk authtoken keystoneauth copy dlo slo versioned_writes symlink proxy-logging proxy-server
[app:proxy-server]
use = egg:swift#proxy
account_autocreate = true
[filter:catch_errors]
use = egg:swift#catch_errors
[filter:gatekeeper]
use = egg:swift#gatekeeper
[filter:healthcheck]
use = egg:swift#healthcheck
[filter:proxy-logging]
use = egg:swift#proxy_logging
[filter:listing_formats]
use = egg:swift#listing_formats
[filter:bulk]
use = egg:swift#bulk
[filter:copy]
use = egg:swift#copy
[filter:dlo]
use = egg:swift#dlo
[filter:slo]
use = egg:swift#slo
[filter:versioned_writes]
use = egg:swift#versioned_writes
[filter:symlink]
use = egg:swift#symlink
[filter:keystoneauth]
use = egg:swift#keystoneauth
operator_roles = admin, member
reseller_admin_role = ResellerAdmin
[filter:authtoken]
paste.filter_factory = keystonemiddleware.auth_token:filter_factory
delay_auth_decision = True
$(authtoken swift)
EOF
}

write_all_configs() {
  write_keystone_conf a
  write_keystone_conf b
  write_glance_conf
  write_nova_conf
  write_nova_b_conf
  write_cinder_conf
  write_neutron_conf
  write_swift_conf
}
