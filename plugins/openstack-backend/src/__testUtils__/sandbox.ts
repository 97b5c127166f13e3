import { randomBytes } from 'node:crypto';
import net from 'node:net';
import request from 'supertest';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { databaseServiceFactory } from '@backstage/backend-defaults/database';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { Entity } from '@backstage/catalog-model';
import { JsonObject } from '@backstage/types';
import knexFactory from 'knex';
import { openstackPlugin } from '../plugin';

/**
 * The sandbox (sandbox/README.md) as the backend's tests see it: its sites as catalog entities,
 * its accounts as a credential set, its PostgreSQL, and whether a live test runs. Test-only.
 */

const env = process.env;

export const SANDBOX_SITES = {
  'site-a': { keystoneUrl: 'http://127.0.0.1:5000/v3', region: 'RegionOne' },
  'site-b': { keystoneUrl: 'http://127.0.0.2:5000/v3', region: 'RegionTwo' },
};

/**
 * Whether a live test runs: the sandbox's secret is in the environment, or the test command
 * requires the sandbox (FEDSTACK_SANDBOX_REQUIRED=1), when a missing sandbox fails instead.
 */
export function sandboxLive(secret = 'FEDSTACK_SANDBOX_ADMIN_PASSWORD') {
  const live = env.FEDSTACK_SANDBOX_REQUIRED === '1' || !!env[secret];
  return {
    live,
    /** `describe`, or `describe.skip` with " (SKIPPED)" in the title. */
    describeLive: (title: string, fn: () => void) =>
      (live ? describe : describe.skip)(
        `${title}${live ? '' : ' (SKIPPED)'}`,
        fn,
      ),
  };
}

/** An OpenStack site as the catalog holds it. */
export function siteEntity(site: {
  name: string;
  keystoneUrl: string;
  region?: string;
  profiles: string;
  credentials: string;
  gocdbName?: string;
}): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: site.name,
      namespace: 'default',
      annotations: {
        'openstack.fedstack.io/keystone-url': site.keystoneUrl,
        ...(site.region && { 'openstack.fedstack.io/region': site.region }),
        ...(site.gocdbName && {
          'openstack.fedstack.io/gocdb-name': site.gocdbName,
        }),
        'openstack.fedstack.io/profiles': site.profiles,
        'openstack.fedstack.io/credentials': site.credentials,
      },
    },
    spec: { type: 'openstack-site', owner: 'group:default/platform-team' },
  };
}

/** The sandbox's site-a or site-b, by default under its own name with the `sandbox` credentials. */
export function sandboxSiteEntity(
  site: keyof typeof SANDBOX_SITES,
  options: {
    profiles: string;
    name?: string;
    credentials?: string;
    gocdbName?: string;
  },
): Entity {
  return siteEntity({
    name: options.name ?? site,
    ...SANDBOX_SITES[site],
    profiles: options.profiles,
    credentials: options.credentials ?? 'sandbox',
    gocdbName: options.gocdbName,
  });
}

const ACCOUNTS = {
  replicator: 'FEDSTACK_SANDBOX_REPLICATOR_PASSWORD',
  metering: 'FEDSTACK_SANDBOX_METERING_PASSWORD',
} as const;

// Without the sandbox a placeholder, so that the configuration of a test that asks no site
// still validates.
const password = (variable: string) => env[variable] ?? 'unused-password';

/** The sandbox's admin account, as a reader of the admin project. */
export const sandboxReader = () => ({
  type: 'password',
  username: 'admin',
  password: password('FEDSTACK_SANDBOX_ADMIN_PASSWORD'),
  project: 'admin',
});

/** The `openstack.credentialSets` entry of the sandbox: its reader and the platform accounts asked for. */
export function sandboxCredentialSet(...roles: Array<keyof typeof ACCOUNTS>) {
  return {
    // The same accounts exist on both sandbox sites.
    keystoneUrls: Object.values(SANDBOX_SITES).map(site => site.keystoneUrl),
    reader: sandboxReader(),
    ...Object.fromEntries(
      roles.map(role => [
        role,
        {
          type: 'password',
          username: role,
          password: password(ACCOUNTS[role]),
        },
      ]),
    ),
  };
}

/** A credential set that may also be sent to these Keystones (a test's proxy in front of one). */
export function alsoFor<T extends { keystoneUrls: string[] }>(
  set: T,
  ...keystoneUrls: string[]
): T {
  return { ...set, keystoneUrls: [...set.keystoneUrls, ...keystoneUrls] };
}

/** The sandbox's passwords in the environment, which no answer or log may contain. */
export const sandboxPasswords = () =>
  [
    env.FEDSTACK_SANDBOX_ADMIN_PASSWORD,
    env.FEDSTACK_SANDBOX_REPLICATOR_PASSWORD,
    env.FEDSTACK_SANDBOX_METERING_PASSWORD,
  ].filter((p): p is string => !!p);

/**
 * Backend instances on the sandbox's PostgreSQL, each with the real database and scheduler
 * services: its databases carry a random prefix and are dropped after the file's tests.
 */
export function sandboxPostgresBackends(name: string) {
  const prefix = `fedstack_${name}_${randomBytes(4).toString('hex')}_`;
  const connection = {
    host: '127.0.0.1',
    port: 5433,
    user: 'postgres',
    password: env.FEDSTACK_SANDBOX_DB_PASSWORD,
  };

  afterAll(async () => {
    const admin = knexFactory({
      client: 'pg',
      connection: { ...connection, database: 'postgres' },
    });
    const { rows } = await admin.raw(
      'SELECT datname FROM pg_database WHERE datname LIKE ?',
      [`${prefix}%`],
    );
    for (const { datname } of rows) {
      await admin.raw(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
    await admin.destroy();
  });

  const database: JsonObject = { client: 'pg', connection, prefix };
  return {
    /** The `backend.database` configuration the instances share (for one in another process). */
    database,
    /** One more instance, with these sites in its catalog and this `openstack` configuration. */
    start: (entities: Entity[], openstack: JsonObject) =>
      startPostgresBackend({ database, entities, openstack }),
    /** The plugin's own database, which the instances share. */
    pluginDatabase: () =>
      knexFactory({
        client: 'pg',
        connection: { ...connection, database: `${prefix}openstack` },
      }),
  };
}

/** A backend with the real database and scheduler services, the plugin, and these sites. */
export function startPostgresBackend(options: {
  database: JsonObject;
  entities: Entity[];
  openstack: JsonObject;
}) {
  return startTestBackend({
    features: [
      openstackPlugin,
      databaseServiceFactory,
      schedulerServiceFactory,
      catalogServiceMock.factory({ entities: options.entities }),
      mockServices.rootConfig.factory({
        data: {
          backend: {
            baseUrl: 'http://localhost:7007',
            database: options.database,
          },
          openstack: options.openstack,
        },
      }),
    ],
  });
}

/** Every line written to the console while the file's tests run (the mock logger writes there). */
export function captureConsole(): string[] {
  const lines: string[] = [];
  beforeAll(() => {
    for (const level of ['error', 'warn', 'info', 'debug', 'log'] as const) {
      jest.spyOn(console, level).mockImplementation((...args: unknown[]) => {
        lines.push(
          args
            .map(a => (typeof a === 'string' ? a : JSON.stringify(a)))
            .join(' '),
        );
      });
    }
  });
  afterAll(() => {
    jest.restoreAllMocks();
  });
  return lines;
}

/** A loopback port that was free a moment ago: connections to it are refused. */
export async function freeLoopbackPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise(resolve => server.close(resolve));
  return port;
}

/** "Scan now" over REST, waits for the scan to end, and answers the site's latest results. */
export async function scanNow(
  server: Parameters<typeof request>[0],
  site: string,
): Promise<
  Array<{
    checkId: string;
    status: string;
    message: string;
    evidence: Array<{ url: string }>;
  }>
> {
  const started = await request(server).post(
    `/api/openstack/sites/default/${site}/scans`,
  );
  if (started.status !== 202) {
    throw new Error(
      `Scan now of ${site}: HTTP ${started.status} ${started.text}`,
    );
  }
  await waitFor(async () => {
    const scan = await request(server).get(
      `/api/openstack/scans/${started.body.scanId}`,
    );
    return scan.body.scan?.status === 'running' ? undefined : scan;
  }, `the scan of ${site}`);
  const detail = await request(server).get(
    `/api/openstack/sites/default/${site}`,
  );
  if (detail.status !== 200) {
    throw new Error(`site ${site}: HTTP ${detail.status} ${detail.text}`);
  }
  return detail.body.results;
}

/** Polls `read` until it answers something, for up to a minute. */
export async function waitFor<T>(
  read: () => Promise<T | undefined>,
  what: string,
): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise(resolve => setTimeout(resolve, 250));
  }
}
