import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { Entity } from '@backstage/catalog-model';
import { JsonObject } from '@backstage/types';
import { runCli } from '@fedstack/plugin-openstack-node';
import { parseAllDocuments } from 'yaml';
import { openstackPlugin } from './plugin';
import { spawnSync } from 'node:child_process';
import { sandboxLive, scanNow } from './__testUtils__/sandbox';

/**
 * site-b's variant defects through the portal as the demo runs it (the setup of
 * portalVerdicts.integration.test.ts: the demo's site entities and app-config.sandbox.yaml,
 * "Scan now" over REST) and through the CLI given the same facts. Here: accounting-vo-unrecorded
 * (a variant: it needs vo.access.egi.eu, which the default set removes) fails accounting.coverage,
 * as site-b's own Nova shows vo.access.egi.eu ran servers the accounting portal has no record
 * of; without it, both VOs are covered. Re-seeds the shared site-b, so it runs with the other
 * variants, one at a time (scripts/test.sh), and puts back the default defects.
 */
const { describeLive } = sandboxLive();
jest.setTimeout(240_000);

// Test-only, run from the source tree.
// eslint-disable-next-line no-restricted-syntax
const ROOT = path.resolve(__dirname, '../../..');
const SANDBOX_DIR =
  process.env.FEDSTACK_SANDBOX_DIR ?? path.join(ROOT, '.sandbox');

/** `.sandbox/credentials.env` under the environment, as scripts/start.sh sources it. */
function sandboxEnvironment(): Record<string, string> {
  const env: Record<string, string> = {};
  const file = path.join(SANDBOX_DIR, 'credentials.env');
  if (fs.existsSync(file)) {
    for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
      const match = /^\s*([A-Z0-9_]+)=(.*)$/.exec(line);
      if (match)
        env[match[1]] = match[2].trim().replace(/^(['"])(.*)\1$/, '$2');
    }
  }
  for (const [key, value] of Object.entries(process.env))
    if (value !== undefined) env[key] = value;
  return env;
}

/** A config file with `${VAR}` substituted as Backstage's loader does (a missing one drops the key). */
function substitute(value: unknown, env: Record<string, string>): unknown {
  if (typeof value === 'string') {
    const whole = /^\$\{(\w+)\}$/.exec(value);
    if (whole) return env[whole[1]];
    return value.replace(/\$\{(\w+)\}/g, (_, name) => env[name] ?? '');
  }
  if (Array.isArray(value)) return value.map(item => substitute(item, env));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .map(([key, item]) => [key, substitute(item, env)] as const)
        .filter(([, item]) => item !== undefined),
    );
  }
  return value;
}

function demoSiteEntities(): Entity[] {
  const text = fs.readFileSync(path.join(ROOT, 'catalog-info.yaml'), 'utf8');
  return parseAllDocuments(text)
    .map(doc => doc.toJSON() as Entity)
    .filter(
      entity =>
        entity.kind === 'Resource' &&
        (entity.spec as { type?: string }).type === 'openstack-site',
    );
}

function seedSiteB(defects: string) {
  const result = spawnSync(
    path.join(ROOT, 'sandbox/seed'),
    ['--site', 'b', '--defects', defects],
    { encoding: 'utf8', timeout: 120_000 },
  );
  if (result.status !== 0) {
    throw new Error(`sandbox/seed failed: ${result.stdout}${result.stderr}`);
  }
}

type Result = { checkId: string; status: string; message: string };

describeLive("site-b's variant defects through the portal and the CLI", () => {
  const env = sandboxEnvironment();
  const appConfig = substitute(
    parseAllDocuments(
      fs.readFileSync(path.join(ROOT, 'app-config.sandbox.yaml'), 'utf8'),
    )[0].toJSON(),
    env,
  ) as { openstack: JsonObject };
  const entities = demoSiteEntities();
  let backend: Awaited<ReturnType<typeof startTestBackend>>;

  beforeAll(async () => {
    backend = await startTestBackend({
      features: [
        openstackPlugin,
        catalogServiceMock.factory({ entities }),
        mockServices.rootConfig.factory({
          data: {
            openstack: {
              ...appConfig.openstack,
              // The stand-ins change with each re-seed: no source answer kept between scans.
              sources: {
                ...(appConfig.openstack.sources as JsonObject),
                cacheSeconds: 0,
              },
              // "Scan now" only: no scheduled scan during the test.
              scans: {
                schedule: {
                  frequency: { hours: 24 },
                  timeout: { minutes: 5 },
                  initialDelay: { hours: 1 },
                },
              },
            },
          },
        }),
      ],
    });
  });
  afterAll(async () => {
    await backend?.stop();
    // site-b is shared: put back the documented variant (every default defect).
    seedSiteB('all');
  });

  /** `fedstack scan -f json` with the same facts the entity and the config give the portal. */
  async function cliScan(site: string): Promise<Result[]> {
    const entity = entities.find(e => e.metadata.name === site)!;
    const annotation = (name: string) =>
      entity.metadata.annotations?.[`openstack.fedstack.io/${name}`];
    const list = (name: string) =>
      annotation(name)
        ?.split(',')
        .map(item => item.trim());
    const sources = appConfig.openstack.sources as any;
    const account = (username: string, passwordEnv: string) => ({
      type: 'password',
      username,
      passwordEnv,
    });
    const keystoneUrl = annotation('keystone-url')!;
    const config = {
      site: {
        name: site,
        keystoneUrl,
        region: annotation('region'),
        gocdbName: annotation('gocdb-name'),
        optionalServices: list('services'),
        declaredPorts: Object.fromEntries(
          (list('ports') ?? []).map(pair => {
            const [type, port] = pair.split('=');
            return [type, Number(port)];
          }),
        ),
        vos: list('vos'),
      },
      profiles: list('profiles'),
      credentials: {
        // The demo's read-only reader, as app-config.sandbox.yaml names it.
        reader: {
          ...account(
            env.FEDSTACK_SANDBOX_SITE_READER_USERNAME ?? 'site-reader',
            'FEDSTACK_SANDBOX_SITE_READER_PASSWORD',
          ),
          project: env.FEDSTACK_SANDBOX_SITE_READER_PROJECT ?? 'admin',
          identityScope: 'system',
        },
        replicator: account(
          'replicator',
          'FEDSTACK_SANDBOX_REPLICATOR_PASSWORD',
        ),
        metering: account('metering', 'FEDSTACK_SANDBOX_METERING_PASSWORD'),
        accounting: account(
          'accounting',
          'FEDSTACK_SANDBOX_ACCOUNTING_PASSWORD',
        ),
      },
      sources: {
        gocdbUrl: sources.gocdb.url,
        cloudInfoUrl: sources.cloudInfo.url,
        accounting: {
          kind: sources.accounting.kind,
          location: sources.accounting.url ?? sources.accounting.location,
        },
        federationLogin: {
          tokenUrl: sources.federationLogin.tokenUrl,
          clientId: sources.federationLogin.clientId,
          clientSecretEnv: 'FEDSTACK_SANDBOX_OIDC_PROBE_CLIENT_SECRET',
          caFile: sources.federationLogin.caFile,
          authUrl: (sources.federationLogin.sites ?? []).find(
            (entry: any) => entry.keystoneUrl === keystoneUrl,
          )?.authUrl,
        },
      },
    };
    const file = path.join(
      fs.mkdtempSync(path.join(os.tmpdir(), 'fedstack-')),
      'scan.json',
    );
    fs.writeFileSync(file, JSON.stringify(config));
    const out: string[] = [];
    const err: string[] = [];
    await runCli(['scan', '--config', file, '--format', 'json'], {
      stdout: { write: (text: string) => out.push(text) },
      stderr: { write: (text: string) => err.push(text) },
      env,
    });
    fs.rmSync(path.dirname(file), { recursive: true });
    expect(err.join('')).not.toContain('not usable');
    return JSON.parse(out.join('')).results as Result[];
  }

  const coverage = (results: Result[]) =>
    results.find(r => r.checkId === 'accounting.coverage');

  it('accounting-vo-unrecorded fails accounting.coverage: vo.access.egi.eu ran servers without records', async () => {
    seedSiteB('accounting-vo-unrecorded');
    const portal = coverage(await scanNow(backend.server, 'site-b'));
    expect(portal).toMatchObject({
      status: 'fail',
      message: expect.stringMatching(
        /1 VO project\(s\) ran servers in the last 30 days without accounting records: vo\.access\.egi\.eu \(vo\.access\.egi\.eu\)/,
      ),
    });
    const cli = coverage(await cliScan('site-b'));
    expect(cli).toMatchObject({ status: 'fail', message: portal!.message });
  });

  it('without defects, both VOs ran servers and both are accounted', async () => {
    seedSiteB('none');
    const portal = coverage(await scanNow(backend.server, 'site-b'));
    expect(portal).toMatchObject({
      status: 'pass',
      message: expect.stringContaining(
        'has accounting records: ops and vo.access.egi.eu',
      ),
    });
    const cli = coverage(await cliScan('site-b'));
    expect(cli).toMatchObject({ status: 'pass', message: portal!.message });
  });
});
