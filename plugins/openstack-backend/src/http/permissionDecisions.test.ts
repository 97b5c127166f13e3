import { mockCredentials } from '@backstage/backend-test-utils';
import { PermissionsService } from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  createPermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import { withDecisionCache } from './permissionDecisions';

const read = createPermission({
  name: 'test.read',
  attributes: { action: 'read' },
  resourceType: 'catalog-entity',
});
const scan = createPermission({
  name: 'test.scan',
  attributes: { action: 'update' },
  resourceType: 'catalog-entity',
});
const approve = createPermission({
  name: 'test.approve',
  attributes: { action: 'update' },
});
const conditional: PolicyDecision = {
  result: AuthorizeResult.CONDITIONAL,
  pluginId: 'catalog',
  resourceType: 'catalog-entity',
  conditions: {
    rule: 'IS_ENTITY_OWNER',
    resourceType: 'catalog-entity',
    params: { claims: [] },
  },
};

const alice = { credentials: mockCredentials.user('user:default/alice') };
const bob = { credentials: mockCredentials.user('user:default/bob') };

/** The policy: read allowed to alice, denied to others; scan for owners of site-a only. */
function backend() {
  const authorizeConditional = jest.fn(
    async (
      queries: Parameters<PermissionsService['authorizeConditional']>[0],
      options: Parameters<PermissionsService['authorizeConditional']>[1],
    ): Promise<PolicyDecision[]> =>
      queries.map(({ permission }) => {
        if (permission.name === scan.name) return conditional;
        const user = (
          options.credentials.principal as { userEntityRef: string }
        ).userEntityRef;
        return {
          result:
            user === 'user:default/alice'
              ? AuthorizeResult.ALLOW
              : AuthorizeResult.DENY,
        };
      }),
  );
  const authorize = jest.fn(
    async (requests: Parameters<PermissionsService['authorize']>[0]) =>
      requests.map(request => ({
        result:
          'resourceRef' in request &&
          request.resourceRef === 'resource:default/site-a'
            ? AuthorizeResult.ALLOW
            : AuthorizeResult.DENY,
      })),
  );
  return {
    permissions: { authorize, authorizeConditional } as PermissionsService,
    authorize,
    authorizeConditional,
  };
}

describe('withDecisionCache', () => {
  it("keeps a caller's answer that does not depend on the site, for a few seconds", async () => {
    let now = 0;
    const { permissions, authorize, authorizeConditional } = backend();
    const cached = withDecisionCache(permissions, {
      ttlMs: 5000,
      now: () => now,
    });
    const ask = (resourceRef: string, who = alice) =>
      cached.authorize([{ permission: read, resourceRef }], who);

    expect(await ask('resource:default/site-a')).toEqual([
      { result: AuthorizeResult.ALLOW },
    ]);
    now = 4999;
    expect(await ask('resource:default/site-b')).toEqual([
      { result: AuthorizeResult.ALLOW },
    ]);
    expect(authorizeConditional).toHaveBeenCalledTimes(1);
    // Another caller is asked for on its own, and a denial is kept as well.
    expect(await ask('resource:default/site-a', bob)).toEqual([
      { result: AuthorizeResult.DENY },
    ]);
    expect(await ask('resource:default/site-a', bob)).toEqual([
      { result: AuthorizeResult.DENY },
    ]);
    expect(authorizeConditional).toHaveBeenCalledTimes(2);
    // Then asked again.
    now = 5000;
    await ask('resource:default/site-a');
    expect(authorizeConditional).toHaveBeenCalledTimes(3);
    expect(authorize).not.toHaveBeenCalled();
  });

  it('asks about each site when the answer depends on it, only those', async () => {
    const { permissions, authorize } = backend();
    const cached = withDecisionCache(permissions);
    const answers = await cached.authorize(
      [
        { permission: scan, resourceRef: 'resource:default/site-a' },
        { permission: read, resourceRef: 'resource:default/site-a' },
        { permission: scan, resourceRef: 'resource:default/site-b' },
      ],
      alice,
    );
    expect(answers.map(a => a.result)).toEqual([
      AuthorizeResult.ALLOW,
      AuthorizeResult.ALLOW,
      AuthorizeResult.DENY,
    ]);
    expect(authorize).toHaveBeenCalledTimes(1);
    expect(authorize.mock.calls[0][0]).toEqual([
      { permission: scan, resourceRef: 'resource:default/site-a' },
      { permission: scan, resourceRef: 'resource:default/site-b' },
    ]);
    // Every time.
    await cached.authorize(
      [{ permission: scan, resourceRef: 'resource:default/site-b' }],
      alice,
    );
    expect(authorize).toHaveBeenCalledTimes(2);
  });

  it('passes on what it cannot keep: basic permissions, callers without a principal', async () => {
    const { permissions, authorize, authorizeConditional } = backend();
    const cached = withDecisionCache(permissions);
    await cached.authorize([{ permission: approve }], alice);
    await cached.authorize(
      [{ permission: read, resourceRef: 'resource:default/site-a' }],
      { credentials: mockCredentials.none() },
    );
    expect(authorize).toHaveBeenCalledTimes(2);
    expect(authorizeConditional).not.toHaveBeenCalled();
  });

  it('answers authorizeConditional from the same decisions', async () => {
    const { permissions, authorizeConditional } = backend();
    const cached = withDecisionCache(permissions);
    expect(
      await cached.authorizeConditional([{ permission: scan }], alice),
    ).toEqual([conditional]);
    await cached.authorize(
      [{ permission: read, resourceRef: 'resource:default/site-a' }],
      alice,
    );
    expect(
      await cached.authorizeConditional([{ permission: read }], alice),
    ).toEqual([{ result: AuthorizeResult.ALLOW }]);
    expect(authorizeConditional).toHaveBeenCalledTimes(2);
  });

  it('does not keep a failed question', async () => {
    const { permissions, authorizeConditional } = backend();
    authorizeConditional.mockRejectedValueOnce(
      new Error('permission backend down'),
    );
    const cached = withDecisionCache(permissions);
    const ask = () =>
      cached.authorize(
        [{ permission: read, resourceRef: 'resource:default/site-a' }],
        alice,
      );
    await expect(ask()).rejects.toThrow('permission backend down');
    await new Promise(resolve => setImmediate(resolve));
    await expect(ask()).resolves.toEqual([{ result: AuthorizeResult.ALLOW }]);
    expect(authorizeConditional).toHaveBeenCalledTimes(2);
  });
});
