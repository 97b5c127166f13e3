import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  catalogEntityDeletePermission,
  catalogEntityReadPermission,
} from '@backstage/plugin-catalog-common/alpha';
import {
  openstackReplicationRunPermission,
  openstackScanTriggerPermission,
  openstackSiteReadPermission,
  openstackTenantApprovePermission,
  openstackTenantRequestPermission,
  openstackWaiverApprovePermission,
  openstackWaiverRequestPermission,
} from '@fedstack/plugin-openstack-common';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import permissionPlugin from '@backstage/plugin-permission-backend';
import { FedstackPermissionPolicy } from './policy';
import permissionModuleFedstackPolicy from '.';

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
  const policy = new FedstackPermissionPolicy({
    platformOperators: ['Group:default/Platform-Team'],
  });

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

  it('leaves approvals and replication runs to the platform operators', async () => {
    const developer = {
      ...user,
      info: {
        userEntityRef: 'user:default/dev',
        ownershipEntityRefs: ['user:default/dev', 'group:default/team-a'],
      },
    };
    for (const permission of [
      openstackTenantApprovePermission,
      openstackReplicationRunPermission,
    ]) {
      expect(await policy.handle({ permission }, user)).toEqual({
        result: AuthorizeResult.ALLOW,
      });
      expect(await policy.handle({ permission }, developer)).toEqual({
        result: AuthorizeResult.DENY,
      });
      expect(
        await new FedstackPermissionPolicy().handle({ permission }, user),
      ).toEqual({ result: AuthorizeResult.DENY });
    }
    // Requesting a tenant stays open; the router checks workspace membership.
    expect(
      await policy.handle(
        { permission: openstackTenantRequestPermission },
        developer,
      ),
    ).toEqual({ result: AuthorizeResult.ALLOW });
  });
});

describe('FedstackPermissionPolicy and waivers', () => {
  const manager = {
    ...user,
    info: {
      userEntityRef: 'user:default/manager',
      ownershipEntityRefs: ['user:default/manager', 'group:default/egi-ops'],
    },
  };

  it("leaves asking to the site's owners, as the catalog judges ownership", async () => {
    const decision = await new FedstackPermissionPolicy().handle(
      { permission: openstackWaiverRequestPermission },
      user,
    );
    expect(decision).toMatchObject({
      result: AuthorizeResult.CONDITIONAL,
      conditions: { rule: 'IS_ENTITY_OWNER' },
    });
  });

  it('leaves approving to the waiver approvers, or the platform operators when none are set', async () => {
    const both = new FedstackPermissionPolicy({
      platformOperators: ['group:default/platform-team'],
      waiverApprovers: ['group:default/egi-ops'],
    });
    const permission = openstackWaiverApprovePermission;
    expect((await both.handle({ permission }, manager)).result).toBe(
      AuthorizeResult.ALLOW,
    );
    expect((await both.handle({ permission }, user)).result).toBe(
      AuthorizeResult.DENY,
    );
    const operatorsOnly = new FedstackPermissionPolicy({
      platformOperators: ['group:default/platform-team'],
    });
    expect((await operatorsOnly.handle({ permission }, user)).result).toBe(
      AuthorizeResult.ALLOW,
    );
    expect((await operatorsOnly.handle({ permission }, manager)).result).toBe(
      AuthorizeResult.DENY,
    );
  });
});

describe('FedstackPermissionPolicy and catalog entities', () => {
  const policy = new FedstackPermissionPolicy({
    platformOperators: ['group:default/platform-team'],
  });
  const member = {
    ...user,
    info: {
      userEntityRef: 'user:default/dev',
      // As a sign-in resolver may write them: the catalog's relations are lower-cased.
      ownershipEntityRefs: ['user:default/Dev', 'group:default/Team-A'],
    },
  };
  const permission = catalogEntityReadPermission;

  it('lets everyone read every entity but the tenants of workspaces they are not in', async () => {
    expect(await policy.handle({ permission }, member)).toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'catalog',
      resourceType: 'catalog-entity',
      conditions: {
        anyOf: [
          {
            not: {
              rule: 'IS_ENTITY_KIND',
              resourceType: 'catalog-entity',
              params: { kinds: ['Resource'] },
            },
          },
          {
            not: {
              rule: 'HAS_SPEC',
              resourceType: 'catalog-entity',
              params: { key: 'type', value: 'openstack-project' },
            },
          },
          {
            rule: 'IS_ENTITY_OWNER',
            resourceType: 'catalog-entity',
            params: { claims: ['user:default/dev', 'group:default/team-a'] },
          },
        ],
      },
    });
  });

  it('lets the platform operators, who see every tenant through the REST API, read every entity', async () => {
    expect(await policy.handle({ permission }, user)).toEqual({
      result: AuthorizeResult.ALLOW,
    });
  });

  it('shows a caller without a user (no credentials) no tenant', async () => {
    expect(await policy.handle({ permission })).toMatchObject({
      result: AuthorizeResult.CONDITIONAL,
      conditions: {
        anyOf: [
          { not: { rule: 'IS_ENTITY_KIND' } },
          { not: { rule: 'HAS_SPEC' } },
          { rule: 'IS_ENTITY_OWNER', params: { claims: [] } },
        ],
      },
    });
    // Nobody is an operator without a configured group.
    expect(
      (await new FedstackPermissionPolicy().handle({ permission }, user))
        .result,
    ).toBe(AuthorizeResult.CONDITIONAL);
  });

  it("leaves the catalog's other permissions allowed", async () => {
    expect(
      await policy.handle(
        { permission: catalogEntityDeletePermission },
        member,
      ),
    ).toEqual({ result: AuthorizeResult.ALLOW });
  });
});

describe('permissionModuleFedstackPolicy', () => {
  async function startWith(data: object) {
    const logger = mockServices.logger.mock();
    const backend = await startTestBackend({
      features: [
        permissionPlugin,
        permissionModuleFedstackPolicy,
        logger.factory,
        mockServices.rootConfig.factory({ data }),
      ],
    });
    await backend.stop();
    return logger;
  }

  it('warns at start when no platform operators are configured, since nobody could approve', async () => {
    const logger = await startWith({ permission: { enabled: true } });
    expect(logger.warn).toHaveBeenCalledWith(
      'fedstack.platformOperators is not set: nobody may approve tenant requests or run replications',
    );
  });

  it('says nothing when they are', async () => {
    const logger = await startWith({
      permission: { enabled: true },
      fedstack: { platformOperators: ['group:default/platform-team'] },
    });
    expect(logger.warn).not.toHaveBeenCalledWith(
      expect.stringContaining('platformOperators'),
    );
  });
});
