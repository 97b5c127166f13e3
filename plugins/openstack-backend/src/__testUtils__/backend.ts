import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { JsonObject } from '@backstage/types';
import { Knex } from 'knex';
import { openstackPlugin } from '../plugin';
import { siteEntity } from './sandbox';
import { userInfoWith } from './users';

/**
 * The backend the route tests start: the plugin, the catalog holding their sites, users' groups
 * (their workspaces), the `openstack` config section and whatever else a test adds (a
 * permissions service, a database service). Test-only.
 */

/** A schedule that does not fire within a test: the test starts every run. */
export const LATER = {
  frequency: { hours: 24 },
  timeout: { minutes: 1 },
  initialDelay: { hours: 24 },
};

/** A user's Authorization header. */
export const as = (user: string) => mockCredentials.user.header(user);

/** A site whose Keystone is a closed port on this machine, read with the `closed` set. */
export function closedSiteEntity(name = 'site-a'): Entity {
  return siteEntity({
    name,
    keystoneUrl: 'http://127.0.0.1:9/v3',
    profiles: 'tenant-platform',
    credentials: 'closed',
  });
}

/**
 * The `openstack` section's credential set `closed` (a reader and the given accounts) and the
 * network setting that lets it reach 127.0.0.1: nothing leaves the machine.
 */
export function closedSiteConfig(
  ...accounts: Array<'replicator' | 'metering'>
): JsonObject {
  const more: Record<string, JsonObject> = {
    replicator: { type: 'password', username: 'r', password: 'r' },
    metering: { type: 'password', username: 'm', password: 'm' },
  };
  return {
    credentialSets: {
      closed: {
        keystoneUrls: ['http://127.0.0.1:9/v3'],
        reader: { type: 'password', username: 'u', password: 'p4ss' },
        ...Object.fromEntries(accounts.map(a => [a, more[a]])),
      },
    },
    network: { allow: ['127.0.0.0/8'] },
  };
}

type Feature = Parameters<typeof startTestBackend>[0]['features'] extends
  | Array<infer F>
  | undefined
  ? F
  : never;

export function startOpenStackBackend(options: {
  /** The catalog's entities: the sites. */
  sites?: Entity[];
  /** A catalog of the test's own instead (one that records what it is asked). */
  catalog?: Feature;
  /** The `openstack` section; its scans, metering and replication run on {@link LATER}. */
  openstack: JsonObject;
  /** The groups a user owns (their workspaces), themselves included; default themselves. */
  ownership?: (user: string) => string[];
  /** A database of `TestDatabases`; default, the test backend's own. */
  knex?: Knex;
  /** The rest of the root config (`permission`, `backend`). */
  config?: JsonObject;
  /** More features: a permissions service, a database service, a stand-in plugin. */
  features?: Feature[];
  logLevel?: 'none' | 'error' | 'warn' | 'info' | 'debug';
}) {
  const { scans, metering, replication, ...openstack } = options.openstack;
  const withLater = (section: unknown): JsonObject => ({
    schedule: LATER,
    ...(section as JsonObject | undefined),
  });
  return startTestBackend({
    features: [
      openstackPlugin,
      ...(options.knex
        ? [mockServices.database.factory({ knex: options.knex })]
        : []),
      options.catalog ??
        catalogServiceMock.factory({ entities: options.sites ?? [] }),
      userInfoWith(options.ownership ?? (user => [user])),
      ...(options.features ?? []),
      mockServices.rootConfig.factory({
        data: {
          ...options.config,
          openstack: {
            ...openstack,
            scans: withLater(scans),
            metering: withLater(metering),
            replication: withLater(replication),
          },
        },
      }),
      mockServices.rootLogger.factory({ level: options.logLevel ?? 'error' }),
    ],
  });
}

/** A backend {@link startOpenStackBackend} started. */
export type OpenStackTestBackend = Awaited<
  ReturnType<typeof startOpenStackBackend>
>;
