import { validate } from 'jsonschema';
import yaml from 'yaml';
import { JsonObject } from '@backstage/types';
import {
  alice,
  bob,
  PORTAL,
  startBackend,
  teamA,
} from '../__testUtils__/backend';
import { DRY_RUN_TENANT_ID } from './tenantRequest';
import { examples } from './tenantRequest.examples';

// openstack:tenant:request against the real OpenStack backend plugin in a test backend: what
// the action does must be what POST /tenants does for the same user and body.
jest.setTimeout(60_000);

let env: Awaited<ReturnType<typeof startBackend>>;
beforeAll(async () => {
  env = await startBackend();
});
afterAll(async () => {
  await env?.backend.stop();
});

const ACTION = 'openstack:tenant:request';
const request = (project: string, more: JsonObject = {}): JsonObject => ({
  workspace: teamA,
  site: 'resource:default/site-a',
  project,
  landingZone: 'standard',
  members: [{ euid: 'a1b2c3@egi.eu', role: 'admin' }],
  ...more,
});

/** The action's error for an input, next to the REST route's 400 for the same body. */
async function bothRefuse(user: string, body: JsonObject) {
  const rest = await env.rest(user, 'POST', '/tenants', body);
  const action = await env.run(ACTION, user, body).then(
    () => undefined,
    (error: Error) => error,
  );
  return { rest, action };
}

describe('openstack:tenant:request', () => {
  it('requests a tenant as the template user, and says where it is', async () => {
    const output = await env.run(ACTION, alice, request('alpha'));
    expect(output).toEqual({
      tenantId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      // Within the zone's auto-approval: approved at once.
      status: 'requested',
      projectName: 'team-a.alpha',
      tenantUrl: `${PORTAL}/openstack/tenants/${output.tenantId}`,
    });
    // In the backend's store, requested by the user (not by the scaffolder), with its history.
    const { status, body } = await env.rest(
      alice,
      'GET',
      `/tenants/${output.tenantId}`,
    );
    expect(status).toBe(200);
    expect(body).toMatchObject({
      workspace: teamA,
      project: 'alpha',
      requestedBy: alice,
      members: [{ euid: 'a1b2c3@egi.eu', role: 'admin' }],
      events: [expect.objectContaining({ actor: alice })],
    });
  });

  it('leaves a request above auto-approval waiting for an approver', async () => {
    const output = await env.run(
      ACTION,
      alice,
      request('beta', { quotas: { compute: { cores: 32 } } }),
    );
    expect(output.status).toBe('requires-approval');
  });

  it.each([
    ['a project id the schema refuses', request('Not_A_Slug')],
    ['an unknown field', request('gamma', { quota: { cores: 1 } })],
    [
      'a quota key no service has',
      request('gamma', { quotas: { compute: { corez: 2 } } }),
    ],
    [
      'a workspace that is not a group ref',
      request('gamma', { workspace: 'team-a' }),
    ],
  ])('refuses %s with the REST route’s own message', async (_, body) => {
    const { rest, action } = await bothRefuse(alice, body);
    expect(rest.status).toBe(400);
    expect(action).toMatchObject({
      name: 'InputError',
      message: rest.body.error.message,
    });
  });

  it.each([
    [
      'an unknown landing zone',
      request('delta', { landingZone: 'gold' }),
      400,
      'InputError',
    ],
    [
      'a role the zone has not',
      request('delta', { members: [{ euid: 'x@egi.eu', role: 'owner' }] }),
      400,
      'InputError',
    ],
    [
      'quotas above the zone’s maximum',
      request('delta', { quotas: { compute: { cores: 65 } } }),
      400,
      'InputError',
    ],
    [
      'another workspace',
      request('delta', { workspace: 'group:default/team-b' }),
      403,
      'NotAllowedError',
    ],
  ])('passes on the backend’s refusal of %s', async (_, body, status, name) => {
    const { rest, action } = await bothRefuse(alice, body);
    expect(rest.status).toBe(status);
    expect(action).toMatchObject({ name, message: rest.body.error.message });
    const { body: list } = await env.rest(alice, 'GET', '/tenants');
    expect(
      list.tenants.map((t: { project: string }) => t.project),
    ).not.toContain('delta');
  });

  it('passes on a conflict: the same project twice', async () => {
    await expect(
      env.run(ACTION, alice, request('alpha')),
    ).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringContaining('already has project alpha'),
    });
  });

  it('checks the workspace as the user, not as the scaffolder', async () => {
    await expect(
      env.run(ACTION, bob, request('epsilon')),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: `You are not a member of workspace ${teamA}`,
    });
  });

  describe('dry run', () => {
    it('creates nothing and says what it would request', async () => {
      const output = await env.run(ACTION, alice, request('zeta'), {
        isDryRun: true,
      });
      expect(output).toEqual({
        tenantId: DRY_RUN_TENANT_ID,
        status: 'dry-run',
        // The backend's own dry run names the project as the landing zone would.
        projectName: 'team-a.zeta',
        tenantUrl: `${PORTAL}/openstack/tenants?workspace=${encodeURIComponent(
          teamA,
        )}`,
        request: { ...request('zeta') },
      });
      const { body } = await env.rest(alice, 'GET', '/tenants');
      expect(
        body.tenants.map((t: { project: string }) => t.project),
      ).not.toContain('zeta');
    });

    it.each([
      ['a project id the schema refuses', request('Not_A_Slug')],
      ['an unknown landing zone', request('zeta', { landingZone: 'gold' })],
      [
        'a role the zone has not',
        request('zeta', { members: [{ euid: 'x@egi.eu', role: 'owner' }] }),
      ],
      [
        'a member twice with one role',
        request('zeta', {
          members: [
            { euid: 'x@egi.eu', role: 'admin' },
            { euid: 'x@egi.eu', role: 'admin' },
          ],
        }),
      ],
    ])('refuses %s as a real request would be refused', async (_, body) => {
      const rest = await env.rest(alice, 'POST', '/tenants', body);
      expect(rest.status).toBe(400);
      await expect(
        env.run(ACTION, alice, body, { isDryRun: true }),
      ).rejects.toMatchObject({
        name: 'InputError',
        message: rest.body.error.message,
      });
    });
  });

  describe('schema and examples', () => {
    const action = () => env.actions.find(a => a.id === ACTION)!;

    it('lets the scaffolder check shapes and leaves value rules to the action', () => {
      const schema = action().schema!.input!;
      expect(validate(request('eta'), schema).valid).toBe(true);
      // Refused by the action, in the route's words, not by the scaffolder in its own.
      expect(validate(request('Not_A_Slug'), schema).valid).toBe(true);
      expect(validate({ ...request('eta'), project: 7 }, schema).valid).toBe(
        false,
      );
      expect(validate({ site: 'resource:default/site-a' }, schema).valid).toBe(
        false,
      );
    });

    it('has examples whose literal inputs the backend takes (dry run)', async () => {
      expect(action().examples).toBe(examples);
      const first = yaml.parse(examples[0].example);
      expect(
        validate(first.steps[0].input, action().schema!.input!).valid,
      ).toBe(true);
      const output = await env.run(ACTION, alice, first.steps[0].input, {
        isDryRun: true,
      });
      expect(output.tenantId).toBe(DRY_RUN_TENANT_ID);
      // The second's inputs are the form's; its members and quotas are literal.
      const second = yaml.parse(examples[1].example).steps[0].input;
      await expect(
        env.run(
          ACTION,
          alice,
          request('theta', { members: second.members, quotas: second.quotas }),
          { isDryRun: true },
        ),
      ).resolves.toMatchObject({ status: 'dry-run' });
    });
  });
});
