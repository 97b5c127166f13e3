import { randomBytes } from 'node:crypto';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { OpenStackSession } from '@fedstack/plugin-openstack-node';
import request from 'supertest';
import { z } from 'zod';
import { openstackPlugin } from './plugin';
import {
  captureConsole,
  sandboxCredentialSet,
  sandboxLive,
  sandboxSiteEntity,
} from './__testUtils__/sandbox';
import {
  must,
  removeWorkspaceFromKeystone,
} from '@fedstack/plugin-openstack-node/testUtils';
import { sandboxAdmin } from './__testUtils__/keystone';
import {
  Capture,
  collectIssuedTokens,
  configuredSecrets,
  FERNET_TOKEN,
  leaks,
} from './__testUtils__/secrets';
import { userInfoWith } from './__testUtils__/users';

// Issue #9: one full run on the live sandbox's site-a (a manual scan, every console command,
// a tenant's replication, metering, its deletion, the exports), with every answer (body and
// headers), every log and audit line and all console output captured; none may hold a
// configured password or secret, or a Keystone token. Skipped without the sandbox unless the
// test command requires it.
const { describeLive } = sandboxLive();
jest.setTimeout(180_000);

const run = randomBytes(3).toString('hex');
const workspace = `group:default/secrets-${run}`;
const absentMember = `${Buffer.from(`secrets-${run}`)
  .toString('hex')
  .padEnd(32, '0')
  .slice(0, 32)}@egi.eu`;
const later = {
  frequency: { hours: 24 },
  timeout: { minutes: 5 },
  initialDelay: { hours: 1 },
};

// Every log line (the mock logger writes to the console; the auditor writes through it) and
// every token Keystone issued in this process.
const logLines = captureConsole();
const issuedTokens = collectIssuedTokens();

/** An application credential of site-a's admin, made for this test and deleted after it. */
async function createApplicationCredential(admin: OpenStackSession) {
  const [user] = await must(admin.identity.users({ name: 'admin' }));
  const made = await must(
    admin.identity.client.request({
      method: 'POST',
      path: `/v3/users/${user.id}/application_credentials`,
      body: { application_credential: { name: `fedstack-secrets-${run}` } },
      schema: z.looseObject({
        application_credential: z.looseObject({
          id: z.string(),
          secret: z.string(),
        }),
      }),
    }),
  );
  const { id, secret } = made.application_credential;
  return {
    id,
    secret,
    remove: () =>
      admin.identity.client.request({
        method: 'DELETE',
        path: `/v3/users/${user.id}/application_credentials/${id}`,
        schema: z.unknown(),
      }),
  };
}

/** The `openstack` configuration: site-a's accounts, and the application credential as a reader. */
function openstackConfig(credential: { id: string; secret: string }) {
  return {
    credentialSets: {
      sandbox: sandboxCredentialSet('replicator', 'metering'),
      appcred: {
        keystoneUrls: ['http://127.0.0.1:5000/v3'],
        reader: {
          type: 'applicationCredential',
          id: credential.id,
          secret: credential.secret,
        },
      },
    },
    scans: { schedule: later },
    metering: { schedule: later },
    replication: {
      schedule: later,
      landingZones: [
        {
          id: 'quick',
          title: 'Quick',
          quotas: { compute: { cores: 2 } },
          autoApproveUpTo: { compute: { cores: 8 } },
        },
      ],
    },
  };
}

describeLive('a full run on the live sandbox', () => {
  const admin = sandboxAdmin();
  let openstack: ReturnType<typeof openstackConfig>;
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  let removeApplicationCredential = async () => {};

  beforeAll(async () => {
    // The reader of a second site entity (the same Keystone) is an application credential, so
    // that its secret is configured and used too.
    const credential = await createApplicationCredential(admin);
    removeApplicationCredential = async () => {
      await credential.remove();
    };
    openstack = openstackConfig(credential);
    backend = await startTestBackend({
      features: [
        openstackPlugin,
        catalogServiceMock.factory({
          entities: [
            sandboxSiteEntity('site-a', {
              profiles: 'egi-fedcloud,tenant-platform',
            }),
            sandboxSiteEntity('site-a', {
              name: 'site-a-appcred',
              profiles: 'egi-fedcloud',
              credentials: 'appcred',
            }),
          ],
        }),
        mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
        // Everyone is in the workspace: the tenant routes' membership check passes.
        userInfoWith(user => [user, workspace]),
        mockServices.rootConfig.factory({ data: { openstack } }),
        mockServices.rootLogger.factory({ level: 'debug' }),
      ],
    });
  });

  afterAll(async () => {
    await backend?.stop();
    await removeWorkspaceFromKeystone(admin, `secrets-${run}`);
    await removeApplicationCredential();
    admin.close();
  });

  // Every answer, as a capture: status line, headers, body.
  const answers: Capture[] = [];
  const consoleOutput: Capture[] = [];
  const api = () => request(backend.server);
  async function keep(call: request.Test) {
    const res = await call;
    const { method, url } = call as unknown as { method: string; url: string };
    answers.push({
      what: `${method} ${new URL(url).pathname}${new URL(url).search}`,
      // A stream parsed as text (the scan's events) has its body there instead of in `text`.
      text: `${res.status}\n${JSON.stringify(res.headers)}\n${res.text ?? ''}${
        typeof res.body === 'string' ? res.body : ''
      }`,
    });
    return res;
  }
  async function consoleLine(line: string, site = 'site-a') {
    const res = await keep(
      api().post(`/api/openstack/sites/default/${site}/console`).send({ line }),
    );
    expect(res.status).toBe(200);
    const messages = res.text
      .trim()
      .split('\n')
      .map(
        m => JSON.parse(m) as { type: string; text?: string; status?: string },
      );
    const text = messages
      .filter(m => m.type === 'line')
      .map(m => m.text)
      .join('\n');
    consoleOutput.push({ what: `console ${site}: ${line}`, text });
    return { text, status: messages[messages.length - 1].status };
  }

  it('holds no configured password, secret or token in any answer, log line or console output', async () => {
    // 1. A manual scan, followed as the UI does, then read back check by check.
    const triggered = await keep(
      api().post('/api/openstack/sites/default/site-a/scans'),
    );
    expect(triggered.status).toBe(202);
    const scanId = triggered.body.scanId;
    const events = await keep(
      api()
        .get(`/api/openstack/scans/${scanId}/events`)
        .buffer(true)
        .parse((res, done) => {
          let text = '';
          res.on('data', (chunk: Buffer) => {
            text += chunk.toString();
          });
          res.on('end', () => done(null, text));
        }),
    );
    expect(events.body).toContain('"type":"scan-finished"');
    const scan = await keep(api().get(`/api/openstack/scans/${scanId}`));
    expect(scan.body.scan.status).toBe('completed');
    expect(scan.body.results.length).toBeGreaterThan(10);
    for (const { checkId } of scan.body.results) {
      const check = await keep(
        api().get(`/api/openstack/scans/${scanId}/checks/${checkId}`),
      );
      expect(check.status).toBe(200);
    }
    await keep(api().get('/api/openstack/sites'));
    await keep(api().get('/api/openstack/sites/default/site-a'));
    await keep(api().get('/api/openstack/sites/default/site-a/scans'));
    await keep(api().get('/api/openstack/health'));

    // 2. Every console command with typical arguments, a refused line, and the
    // application-credential reader.
    const servers = await must(admin.compute.servers({ all_tenants: true }));
    const [mapping] = await must(admin.identity.mappings());
    const commands = [
      'help',
      'domain list',
      'user list --domain default',
      'user show admin -f json',
      'project list',
      `server show ${servers[0].id}`,
      `server show ${servers[0].id} -c properties`,
      'identity provider list',
      'identity provider show egi.eu',
      'federation protocol list --identity-provider egi.eu',
      'mapping list',
      `mapping show ${mapping.id}`,
      'catalog list',
      'endpoint list',
      'region list',
      'flavor list',
      'image list',
      'network list',
      'versions show',
      'check federation.protocol',
      'scan',
    ];
    const outputs: Record<string, { text: string; status?: string }> = {};
    for (const line of commands) {
      outputs[line] = await consoleLine(line);
      expect({ line, status: outputs[line].status }).toEqual({
        line,
        status: 'ok',
      });
    }
    expect(outputs['project list'].text).toMatch(/^\| ID +\| Name +\|$/m);
    expect(outputs['project list'].text).toMatch(/\| [0-9a-f]{32} \| ops +\|/);
    expect(outputs['catalog list'].text).toMatch(
      /\| keystone +\| identity +\|/,
    );
    expect(outputs['user show admin -f json'].text).toContain(
      '"name": "admin"',
    );
    expect(outputs.scan.text).toMatch(/\| egi-fedcloud +\| [\d.]+% +\|/);
    expect(outputs['check federation.protocol'].text).toMatch(
      /^\| status +\| pass +\|$/m,
    );
    expect(outputs.help.text).toContain('check CHECK');
    const refused = await consoleLine('token issue');
    expect(refused.status).toBe('refused');
    const shell = await consoleLine('project list; cat /etc/passwd');
    expect(shell.status).toBe('refused');
    const viaApplicationCredential = await consoleLine(
      'project list',
      'site-a-appcred',
    );
    expect(viaApplicationCredential.status).toBe('ok');
    expect(viaApplicationCredential.text).toMatch(
      /\| [0-9a-f]{32} \| admin +\|/,
    );
    const checkViaApplicationCredential = await consoleLine(
      'check keystone.v3',
      'site-a-appcred',
    );
    expect(checkViaApplicationCredential.text).toMatch(
      /^\| status +\| pass +\|$/m,
    );

    // 3. A tenant in an auto-approved landing zone, replicated, metered, deleted.
    const created = await keep(
      api()
        .post('/api/openstack/tenants')
        .send({
          workspace,
          site: 'resource:default/site-a',
          project: 'app',
          landingZone: 'quick',
          members: [{ euid: absentMember, role: 'reader' }],
        }),
    );
    expect(created.status).toBe(201);
    const tenantId = created.body.id;
    const replication = await keep(
      api()
        .post('/api/openstack/sites/default/site-a/replications')
        .send({ dryRun: false }),
    );
    expect(replication.status).toBe(200);
    await keep(api().get(`/api/openstack/replications/${replication.body.id}`));
    await keep(api().get('/api/openstack/sites/default/site-a/replications'));
    const tenant = await keep(api().get(`/api/openstack/tenants/${tenantId}`));
    expect(tenant.body.status).toBe('successful');
    const projectId = tenant.body.projectId;
    await keep(api().get('/api/openstack/tenants'));
    await keep(api().get('/api/openstack/landing-zones'));

    const metering = await keep(
      api().post('/api/openstack/sites/default/site-a/metering'),
    );
    expect(metering.status).toBe(200);
    expect(metering.body.failures).toEqual([]);
    expect(metering.body.samples).toContainEqual(
      expect.objectContaining({ projectId }),
    );
    const usage = await keep(
      api().get(
        `/api/openstack/sites/default/site-a/projects/${projectId}/usage`,
      ),
    );
    expect(usage.body.samples.length).toBeGreaterThan(0);
    await keep(
      api().get(
        `/api/openstack/sites/default/site-a/projects/${projectId}/workloads`,
      ),
    );

    const deletion = await keep(
      api().delete(`/api/openstack/tenants/${tenantId}`),
    );
    expect(deletion.body.status).toBe('deletion-requested');
    // Bindings go first; after approval, the rest.
    await keep(
      api()
        .post('/api/openstack/sites/default/site-a/replications')
        .send({ dryRun: false }),
    );
    // By another user than the one who asked: nobody approves their own request.
    await keep(
      api()
        .post(`/api/openstack/tenants/${tenantId}/approval`)
        .set(
          'Authorization',
          mockCredentials.user.header('user:default/approver'),
        )
        .send({ decision: 'approve' }),
    );
    await keep(
      api()
        .post('/api/openstack/sites/default/site-a/replications')
        .send({ dryRun: false }),
    );
    const deleted = await keep(api().get(`/api/openstack/tenants/${tenantId}`));
    expect(deleted.body.status).toBe('deleted');

    // 4. The exports.
    for (const format of ['csv', 'json', 'junit']) {
      const exported = await keep(
        api().get(`/api/openstack/export?format=${format}`),
      );
      expect(exported.status).toBe(200);
      expect(exported.text).toContain('resource:default/site-a');
    }

    // The captures are what they should be, so that finding nothing means something.
    expect(answers.length).toBeGreaterThan(50);
    expect(
      answers.find(a => a.what.endsWith(`${scanId}/events`))?.text,
    ).toContain('"type":"scan-finished"');
    expect(issuedTokens.length).toBeGreaterThan(2);
    // The shape looked for is the shape of the tokens Keystone issued.
    expect(issuedTokens.filter(token => !FERNET_TOKEN.test(token))).toEqual([]);
    const secrets = [
      ...configuredSecrets(openstack),
      ...issuedTokens.map(value => ({ kind: 'an issued token', value })),
    ];
    expect(secrets.map(s => s.kind)).toEqual(
      expect.arrayContaining([
        'password of credentialSets.sandbox.reader',
        'password of credentialSets.sandbox.replicator',
        'password of credentialSets.sandbox.metering',
        'secret of credentialSets.appcred.reader',
      ]),
    );
    expect(logLines.some(l => l.includes('console-command'))).toBe(true);
    expect(logLines.some(l => l.includes('Console: '))).toBe(true);
    expect(logLines.length).toBeGreaterThan(20);
    const logs = logLines.map(text => ({ what: 'log', text }));
    expect(leaks([...answers, ...consoleOutput, ...logs], secrets)).toEqual([]);
  });
});
