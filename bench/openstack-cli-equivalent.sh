#!/usr/bin/env bash
# What an operator would type to see part of what `fedstack scan` checks, with the openstack
# CLI (python3-openstackclient, installed with the sandbox). Uses the OS_* environment.
set -euo pipefail
openstack catalog list -f json >/dev/null
openstack versions show -f json >/dev/null
openstack identity provider show egi.eu -f json >/dev/null
openstack federation protocol show --identity-provider egi.eu openid -f json >/dev/null
openstack mapping show egi-mapping -f json >/dev/null
openstack domain list -f json >/dev/null
