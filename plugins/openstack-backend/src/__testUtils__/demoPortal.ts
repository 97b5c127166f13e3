import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { Entity } from '@backstage/catalog-model';
import { JsonObject } from '@backstage/types';
import { runCli } from '@fedstack/plugin-openstack-node';
import { parseAllDocuments } from 'yaml';
import { openstackPlugin } from '../plugin';

/**
 * The portal as the demo runs it, for the tests that judge its verdicts: the demo's own site
 * entities (catalog-info.yaml) and the demo's sandbox configuration (app-config.sandbox.yaml:
 * credential sets, GOCDB, the information system, the accounting portal, the federated login),
 * a backend started with them, and the CLI given the same facts. Test-only, run from the source
 * tree.
 */

/** The repository, read from the source tree. */
export const ROOT = path.resolve(__dirname, '../../../..');
export const SANDBOX_DIR =
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

/** A check's verdict, as the portal's site detail and the CLI's JSON report give it. */
export type DemoResult = { checkId: string; status: string; message: string };

/** A backend {@link demoPortal}'s `start` started. */
export type DemoBackend = Awaited<ReturnType<typeof startTestBackend>>;

/**
 * The demo's entities and configuration, read when called; `start` starts a backend with them ("Scan
 * now" only: no scheduled scan during a test); `cliScan` runs `fedstack scan -f json` with the
 * facts the entity and the config give the portal.
 */
export function demoPortal(
  options: {
    /**
     * The sources' `cacheSeconds`; by default the configuration's own. 0 where a test changes
     * the stand-ins between scans.
     */
    cacheSeconds?: number;
  } = {},
) {
  const env = sandboxEnvironment();
  const appConfig = substitute(
    parseAllDocuments(
      fs.readFileSync(path.join(ROOT, 'app-config.sandbox.yaml'), 'utf8'),
    )[0].toJSON(),
    env,
  ) as { openstack: JsonObject };
  const entities = demoSiteEntities();

  function start(): Promise<DemoBackend> {
    return startTestBackend({
      features: [
        openstackPlugin,
        catalogServiceMock.factory({ entities }),
        mockServices.rootConfig.factory({
          data: {
            openstack: {
              ...appConfig.openstack,
              ...(options.cacheSeconds === undefined
                ? {}
                : {
                    sources: {
                      ...(appConfig.openstack.sources as JsonObject),
                      cacheSeconds: options.cacheSeconds,
                    },
                  }),
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
  }

  /** `fedstack scan -f json` with the same facts the entity and the config give the portal. */
  async function cliScan(site: string): Promise<DemoResult[]> {
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
    return JSON.parse(out.join('')).results as DemoResult[];
  }

  return { start, cliScan };
}
