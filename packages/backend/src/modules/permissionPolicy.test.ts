import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  openstackScanTriggerPermission,
  openstackSiteReadPermission,
} from '@fedstack/plugin-openstack-common';
import { FedstackPermissionPolicy } from './permissionPolicy';

const user = {
  identity: {
    type: 'user' as const,
    userEntityRef: 'user:default/guest',
    ownershipEntityRefs: ['user:default/guest', 'group:default/platform-team'],
  },
  info: {
    userEntityRef: 'user:default/guest',
    ownershipEntityRefs: ['user:default/guest', 'group:default/platform-team'],
  },
  token: 'token',
  credentials: {} as any,
};

describe('FedstackPermissionPolicy', () => {
  const policy = new FedstackPermissionPolicy();

  it('lets everyone read sites', async () => {
    expect(
      await policy.handle({ permission: openstackSiteReadPermission }, user),
    ).toEqual({ result: AuthorizeResult.ALLOW });
  });

  it('leaves scans to the owners of the site, as the catalog judges ownership', async () => {
    expect(
      await policy.handle({ permission: openstackScanTriggerPermission }, user),
    ).toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'catalog',
      resourceType: 'catalog-entity',
      conditions: {
        rule: 'IS_ENTITY_OWNER',
        resourceType: 'catalog-entity',
        params: {
          claims: ['user:default/guest', 'group:default/platform-team'],
        },
      },
    });
  });
});
