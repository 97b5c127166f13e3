#!/usr/bin/python3
"""Makes site-b's Nova (nova-api-b's databases) hold exactly the seeded servers it is given.

    /usr/bin/python3 sandbox/lib/nova-b-servers.py --config-file $SBX/etc/nova-b/nova.conf < wanted.json

wanted.json: [{"name", "project_id", "user_id", "flavor", "launched_days_ago", "metadata"}].

There is no message bus, scheduler, conductor or compute node in the sandbox, so a server created
through the API stays a build request (BUILD) and Nova's usage (os-simple-tenant-usage) has
nothing to report. This writes what nova-conductor and nova-compute would have left after a
build, through Nova's own objects: the instance in cell1 (ACTIVE, launched N days ago, on host
sandbox-compute) and its instance mapping in the API database. Seeded servers carry the
metadata key fedstack.sandbox; those not wanted (a project re-created or removed by a re-seed)
are deleted for good, rows and mapping, so no usage of a vanished project lingers.
Prints one JSON line: {"created": [...], "removed": [...]}.
"""
import datetime
import json
import sys

from nova import config
from nova import context as nova_context
from nova import objects
from nova.compute import power_state, vm_states
from nova.network import model as network_model
from oslo_utils import uuidutils

MARK = 'fedstack.sandbox'
IMAGE = '00000000-0000-4000-8000-00000000fed5'  # no Glance of site-b: an id, never looked up


def main():
    config.parse_args(sys.argv)
    objects.register_all()
    wanted = json.load(sys.stdin)
    ctx = nova_context.get_admin_context()
    cell1 = next(c for c in objects.CellMappingList.get_all(ctx) if c.name == 'cell1')
    created, removed = [], []
    with nova_context.target_cell(ctx, cell1) as cctx:
        seeded = [
            i for i in objects.InstanceList.get_by_filters(
                cctx, {'deleted': False}, expected_attrs=['metadata'])
            if MARK in (i.metadata or {})
        ]
        key = lambda project_id, name: (project_id, name)  # noqa: E731
        want = {key(w['project_id'], w['name']): w for w in wanted}
        for inst in seeded:
            if key(inst.project_id, inst.display_name) in want:
                continue
            try:
                objects.InstanceMapping.get_by_instance_uuid(ctx, inst.uuid).destroy()
            except Exception:  # noqa: BLE001 - a mapping already gone
                pass
            inst.destroy(hard_delete=True)
            removed.append({'name': inst.display_name, 'project_id': inst.project_id})
        have = {key(i.project_id, i.display_name) for i in seeded}
        now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
        for k, w in want.items():
            if k in have:
                continue
            flavor = objects.Flavor.get_by_name(ctx, w['flavor'])
            launched = now - datetime.timedelta(days=w['launched_days_ago'])
            uuid = uuidutils.generate_uuid()
            inst = objects.Instance(
                context=cctx,
                uuid=uuid,
                project_id=w['project_id'],
                user_id=w['user_id'],
                display_name=w['name'],
                hostname=w['name'],
                image_ref=IMAGE,
                flavor=flavor,
                instance_type_id=flavor.id,
                memory_mb=flavor.memory_mb,
                vcpus=flavor.vcpus,
                root_gb=flavor.root_gb,
                ephemeral_gb=flavor.ephemeral_gb,
                old_flavor=None,
                new_flavor=None,
                system_metadata={},
                metadata={**w.get('metadata', {}), MARK: 'seed'},
                vm_state=vm_states.ACTIVE,
                power_state=power_state.RUNNING,
                task_state=None,
                host='sandbox-compute',
                node='sandbox-compute',
                launched_on='sandbox-compute',
                availability_zone='nova',
                launched_at=launched,
                created_at=launched,
                config_drive='',
                locked=False,
                hidden=False,
                # As the API and compute leave them: no ports (the seed's site-b has no
                # Neutron of its own), the default security group list.
                info_cache=objects.InstanceInfoCache(
                    instance_uuid=uuid, network_info=network_model.NetworkInfo()),
                security_groups=objects.SecurityGroupList(objects=[]),
            )
            inst.create()
            objects.InstanceMapping(
                ctx, instance_uuid=inst.uuid, project_id=inst.project_id,
                user_id=inst.user_id, cell_mapping=cell1, queued_for_delete=False,
            ).create()
            created.append({'name': inst.display_name, 'project_id': inst.project_id, 'id': inst.uuid})
    print(json.dumps({'created': created, 'removed': removed}))


if __name__ == '__main__':
    main()
