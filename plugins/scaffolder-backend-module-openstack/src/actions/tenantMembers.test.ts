import yaml from 'yaml';
import { validate } from 'jsonschema';
import {
  alice,
  bob,
  PORTAL,
  startBackend,
  teamA,
} from '../__testUtils__/backend';
import { examples } from './tenantMembers.examples';

// openstack:tenant:members against the real OpenStack backend plugin in a test backend: what
// the action does must be what PUT /tenants/{id}/members does for the same user and body.
jest.setTimeout(60_000);

let env: Awaited<ReturnType<typeof startBackend>>;
let tenantId: string;
beforeAll(async () => {
  env = await startBackend();
  // Above auto-approval: it waits, and nothing is replicated while the tests run.
  const { status, body } = await env.rest(alice, 'POST', '/tenants', {
    workspace: teamA,
    site: 'resource:default/site-a',
    project: 'members',
    landingZone: 'standard',
    members: [{ euid: 'first@egi.eu', role: 'admin' }],
    quotas: { compute: { cores: 32 } },
  });
  if (status !== 201) throw new Error(`tenant: ${JSON.stringify(body)}`);
  tenantId = body.id;
});
afterAll(async () => {
  await env?.backend.stop();
});

const ACTION = 'openstack:tenant:members';
const members = [
  { euid: 'first@egi.eu', role: 'admin' },
  { euid: 'second@egi.eu', role: 'reader' },
];

describe('openstack:tenant:members', () => {
  it('sets the members as the template user', async () => {
    const output = await env.run(ACTION, alice, { tenantId, members });
    expect(output).toEqual({
      tenantId,
      status: 'requires-approval',
      members: 2,
      tenantUrl: `${PORTAL}/openstack/tenants/${tenantId}`,
    });
    const { body } = await env.rest(alice, 'GET', `/tenants/${tenantId}`);
    expect(body.members).toEqual(members);
    expect(body.events.at(-1)).toMatchObject({
      actor: alice,
      action: 'members changed (2)',
    });
  });

  it.each([
    [
      'a role the zone has not',
      [{ euid: 'x@egi.eu', role: 'owner' }],
      400,
      'InputError',
    ],
    [
      'an external id the schema refuses',
      [{ euid: 'no spaces', role: 'admin' }],
      400,
      'InputError',
    ],
  ])(
    'refuses %s with the REST route’s own message',
    async (_, list, status, name) => {
      const rest = await env.rest(
        alice,
        'PUT',
        `/tenants/${tenantId}/members`,
        {
          members: list,
        },
      );
      expect(rest.status).toBe(status);
      await expect(
        env.run(ACTION, alice, { tenantId, members: list }),
      ).rejects.toMatchObject({ name, message: rest.body.error.message });
    },
  );

  it('refuses a user of another workspace as the route does', async () => {
    const rest = await env.rest(bob, 'PUT', `/tenants/${tenantId}/members`, {
      members,
    });
    expect(rest.status).toBe(403);
    await expect(
      env.run(ACTION, bob, { tenantId, members }),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: rest.body.error.message,
    });
  });

  it('says which tenant it does not know', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    await expect(
      env.run(ACTION, alice, { tenantId: unknown, members }),
    ).rejects.toMatchObject({
      name: 'NotFoundError',
      message: `No tenant ${unknown}`,
    });
  });

  describe('dry run', () => {
    it('changes nothing and says what the tenant would be', async () => {
      const before = await env.rest(alice, 'GET', `/tenants/${tenantId}`);
      const output = await env.run(
        ACTION,
        alice,
        { tenantId, members: [{ euid: 'third@egi.eu', role: 'user' }] },
        { isDryRun: true },
      );
      expect(output).toEqual({
        tenantId,
        status: 'requires-approval',
        // The list given: what the tenant would have.
        members: 1,
        tenantUrl: `${PORTAL}/openstack/tenants/${tenantId}`,
      });
      const after = await env.rest(alice, 'GET', `/tenants/${tenantId}`);
      expect(after.body).toEqual(before.body);
    });

    it('refuses what a real run would refuse', async () => {
      const list = [{ euid: 'x@egi.eu', role: 'owner' }];
      const rest = await env.rest(
        alice,
        'PUT',
        `/tenants/${tenantId}/members`,
        {
          members: list,
        },
      );
      await expect(
        env.run(ACTION, alice, { tenantId, members: list }, { isDryRun: true }),
      ).rejects.toMatchObject({
        name: 'InputError',
        message: rest.body.error.message,
      });
      // Bob may read every tenant here (the test backend allows every permission, approving
      // included), but not change one of team-a's.
      const put = await env.rest(bob, 'PUT', `/tenants/${tenantId}/members`, {
        members,
      });
      await expect(
        env.run(ACTION, bob, { tenantId, members }, { isDryRun: true }),
      ).rejects.toMatchObject({
        name: 'NotAllowedError',
        message: put.body.error.message,
      });
    });
  });

  it('has examples the scaffolder and the backend take', async () => {
    const action = env.actions.find(a => a.id === ACTION)!;
    expect(action.examples).toBe(examples);
    const input = yaml.parse(examples[0].example).steps[0].input;
    expect(validate(input, action.schema!.input!).valid).toBe(true);
    // Its literal members, on this test's tenant.
    await expect(
      env.run(ACTION, alice, { ...input, tenantId }, { isDryRun: true }),
    ).resolves.toMatchObject({ tenantId });
  });
});
