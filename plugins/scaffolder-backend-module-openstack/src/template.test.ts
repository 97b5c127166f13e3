import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import yaml from 'yaml';
import { Entity } from '@backstage/catalog-model';
import { mockCredentials } from '@backstage/backend-test-utils';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import { alice, PORTAL, startBackend, teamA } from './__testUtils__/backend';

// The example template (examples/templates/openstack-tenant) through the real scaffolder plugin:
// its task runner renders the steps, checks the actions' input schemas, runs
// openstack:tenant:request as the user who started the task, and renders the output links.
jest.setTimeout(60_000);

const template = yaml.parse(
  readFileSync(
    resolve(
      __dirname,
      '../../../examples/templates/openstack-tenant/template.yaml',
    ),
    'utf8',
  ),
) as Entity;
template.metadata.namespace = 'default';

let env: Awaited<ReturnType<typeof startBackend>>;
beforeAll(async () => {
  env = await startBackend({
    scaffolder: scaffolderPlugin,
    entities: [
      template,
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'User',
        metadata: { name: 'alice', namespace: 'default' },
        spec: { memberOf: ['team-a'] },
      },
    ],
  });
});
afterAll(async () => {
  await env?.backend.stop();
});

const scaffolder = (path: string, body?: unknown) =>
  fetch(`${env.root}/scaffolder${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      Authorization: mockCredentials.user.header(alice),
      'Content-Type': 'application/json',
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

const values = (project: string, more: object = {}) => ({
  workspace: teamA,
  site: 'resource:default/site-a',
  project,
  landingZone: 'standard',
  members: [{ euid: 'a1b2c3@egi.eu', role: 'admin' }],
  ...more,
});

async function runTask(formValues: object) {
  const created = await scaffolder('/v2/tasks', {
    templateRef: 'template:default/openstack-tenant',
    values: formValues,
  });
  expect(created.status).toBe(201);
  const { id } = await created.json();
  for (let i = 0; i < 100; i++) {
    const task = await (await scaffolder(`/v2/tasks/${id}`)).json();
    if (['completed', 'failed', 'cancelled'].includes(task.status)) {
      const events = await (await scaffolder(`/v2/tasks/${id}/events`)).json();
      type Event = { type: string; body: { message?: string; output?: any } };
      return {
        task,
        // The task's output comes with its completion event.
        output: (events as Event[]).find(e => e.type === 'completion')?.body
          .output,
        messages: (events as Event[]).map(e => e.body.message),
      };
    }
    await new Promise(r => setTimeout(r, 200));
  }
  throw new Error(`task ${id} did not finish`);
}

describe('examples/templates/openstack-tenant', () => {
  it('requests the tenant as the user who ran the template and links to it', async () => {
    const { task, output } = await runTask(values('from-template'));
    expect(task.status).toBe('completed');
    const [link] = output.links;
    const id = /\/openstack\/tenants\/([0-9a-f-]{36})$/.exec(link.url)?.[1];
    expect(link).toEqual({
      title: 'The tenant',
      url: `${PORTAL}/openstack/tenants/${id}`,
    });
    const { body } = await env.rest(alice, 'GET', `/tenants/${id}`);
    expect(body).toMatchObject({
      project: 'from-template',
      requestedBy: alice,
      // Approved at once; replication followed, against this test's closed Keystone.
      status: expect.stringMatching(/^(requested|in-progress|failed)$/),
      members: [{ euid: 'a1b2c3@egi.eu', role: 'admin' }],
    });
  });

  it('takes the form as the user may leave it: no members, empty quotas', async () => {
    const { task } = await runTask({
      ...values('bare'),
      members: [],
      quotas: { compute: {}, blockStorage: {} },
    });
    expect(task.status).toBe('completed');
  });

  it("fails the task with the backend's message", async () => {
    const { task, messages } = await runTask(
      values('too-big', { quotas: { compute: { cores: 65 } } }),
    );
    expect(task.status).toBe('failed');
    const rest = await env.rest(alice, 'POST', '/tenants', {
      ...values('too-big-rest', { quotas: { compute: { cores: 65 } } }),
    });
    expect(rest.status).toBe(400);
    expect(messages.join('\n')).toContain(
      "Invalid tenant request: quotas above landing zone standard's maximum: compute.cores 65 > 64",
    );
  });

  it('dry-runs in the template editor without making anything', async () => {
    const response = await scaffolder('/v2/dry-run', {
      template,
      values: values('dry'),
      secrets: {},
      directoryContents: [],
    });
    expect(response.status).toBe(200);
    const result = await response.json();
    expect(result.output.text[0].content).toContain('dry-run-not-created');
    const { body } = await env.rest(alice, 'GET', '/tenants');
    expect(
      body.tenants.map((t: { project: string }) => t.project),
    ).not.toContain('dry');
  });
});
