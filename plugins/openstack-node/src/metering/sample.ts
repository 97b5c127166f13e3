import { z } from 'zod';
import { usageTotalsSchema } from '@fedstack/plugin-openstack-terms';
import { HttpError, HttpResult } from '../client/http';
import { OpenStackSession } from '../client/session';
import { Server } from '../client/compute/servers';
import { Volume } from '../client/blockstorage/volumes';
import { Snapshot } from '../client/blockstorage/snapshots';
import { FloatingIp } from '../client/network/floatingips';
import { Router } from '../client/network/routers';
import { Image } from '../client/image/images';
import {
  listLoadBalancers,
  LoadBalancer,
} from '../client/loadbalancer/loadbalancers';

/**
 * One metering sample: what a project holds at one moment, as its metering account (a reader of
 * the project, with a token scoped to it) sees it. A failing call is recorded in `errors` and the
 * rest of the sample is still taken; a service missing from the catalog is `unavailable`.
 */

/** Infrastructure Manager marks the servers it creates with these metadata keys. */
export const WORKLOAD_PREFIX = 'eu.egi.cloud.orchestrator';

/** The first microversion that embeds the flavor (name, vCPUs, RAM, disk) in each server. */
export const FLAVOR_MICROVERSION = '2.47';

export const METERED_RESOURCES = [
  'servers',
  'volumes',
  'snapshots',
  'floatingIps',
  'routers',
  'loadBalancers',
  'images',
] as const;

export type MeteredResource = (typeof METERED_RESOURCES)[number];

const resourceSchema = z.enum(METERED_RESOURCES);

export const meteredServerSchema = z.object({
  id: z.string(),
  name: z.string(),
  status: z.string(),
  flavor: z.object({
    name: z.string().optional(),
    vcpus: z.number(),
    /** MB */
    ram: z.number(),
    /** GB */
    disk: z.number(),
  }),
  deleted: z.boolean(),
  createdAt: z.string(),
  /** When Nova last changed it (for a deleted server: about when it was deleted). */
  updatedAt: z.string().optional(),
  /** `eu.egi.cloud.orchestrator*` metadata: the Infrastructure Manager workload it belongs to. */
  workload: z.record(z.string(), z.string()).optional(),
});

export const meteredVolumeSchema = z.object({
  id: z.string(),
  name: z.string().optional(),
  /** GB */
  size: z.number(),
  type: z.string().optional(),
  status: z.string(),
});

export const meteredSnapshotSchema = z.object({
  id: z.string(),
  name: z.string().optional(),
  /** GB */
  size: z.number(),
  volumeId: z.string(),
  status: z.string(),
});

export const meteredFloatingIpSchema = z.object({
  id: z.string(),
  address: z.string(),
  status: z.string(),
  /** Whether it is attached to a port. */
  attached: z.boolean(),
});

export const meteredRouterSchema = z.object({
  id: z.string(),
  name: z.string(),
  status: z.string(),
});

export const meteredLoadBalancerSchema = z.object({
  id: z.string(),
  name: z.string().optional(),
  provisioningStatus: z.string(),
  operatingStatus: z.string(),
});

export const meteredImageSchema = z.object({
  id: z.string(),
  name: z.string().optional(),
  /** bytes (0 while an image has no data) */
  size: z.number(),
  status: z.string(),
});

export const sampleErrorSchema = z.object({
  resource: resourceSchema,
  kind: z.string(),
  message: z.string(),
  status: z.number().optional(),
});

export const projectUsageSampleSchema = z.object({
  projectId: z.string(),
  takenAt: z.iso.datetime({ offset: true }),
  servers: z.array(meteredServerSchema),
  volumes: z.array(meteredVolumeSchema),
  snapshots: z.array(meteredSnapshotSchema),
  floatingIps: z.array(meteredFloatingIpSchema),
  routers: z.array(meteredRouterSchema),
  loadBalancers: z.array(meteredLoadBalancerSchema),
  images: z.array(meteredImageSchema),
  totals: usageTotalsSchema,
  /** Services the site does not offer (not in the catalog): nothing to meter, not an error. */
  unavailable: z.array(
    z.object({ resource: resourceSchema, reason: z.string() }),
  ),
  /** Calls that failed: those resources are missing from this sample (and from its totals). */
  errors: z.array(sampleErrorSchema),
});

export type ProjectUsageSample = z.infer<typeof projectUsageSampleSchema>;
export type MeteredServer = z.infer<typeof meteredServerSchema>;

export interface SampleOptions {
  /** The sample's time (default now). */
  now?: () => Date;
  /**
   * Servers deleted since then are listed too (Nova's `changes-since`); default 24 hours before
   * the sample. The metering service passes the previous sample's time.
   */
  deletedSince?: Date;
}

/** What the sample's calls answered, one result per resource type. */
export interface SampleAnswers {
  servers: HttpResult<Server[]>;
  /** Servers changed since `deletedSince`, deleted ones included. */
  changedServers: HttpResult<Server[]>;
  volumes: HttpResult<Volume[]>;
  snapshots: HttpResult<Snapshot[]>;
  floatingIps: HttpResult<FloatingIp[]>;
  routers: HttpResult<Router[]>;
  loadBalancers: HttpResult<LoadBalancer[]>;
  images: HttpResult<Image[]>;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Samples one project. `session` is the metering account's; the calls use a token scoped to the
 * project, since under Zed's default policies a project reader lists its project's resources
 * only so (`all_tenants` is admin-only, and a system-scoped token sees no servers).
 */
export async function sampleProjectUsage(
  session: OpenStackSession,
  projectId: string,
  options: SampleOptions = {},
): Promise<ProjectUsageSample> {
  const takenAt = (options.now ?? (() => new Date()))();
  const since = options.deletedSince ?? new Date(takenAt.getTime() - DAY_MS);
  const project = session.withScope({ project: { id: projectId } });
  const microversion = FLAVOR_MICROVERSION;
  const [
    servers,
    changedServers,
    volumes,
    snapshots,
    floatingIps,
    routers,
    loadBalancers,
    images,
  ] = await Promise.all([
    project.compute.servers({ microversion }),
    project.compute.servers({
      microversion,
      // Nova wants ISO 8601; seconds are enough.
      changes_since: `${since.toISOString().slice(0, 19)}Z`,
    }),
    project.blockStorage.volumes(),
    project.blockStorage.snapshots(),
    project.network.floatingIps(),
    project.network.routers(),
    listLoadBalancers(project.service('load-balancer')),
    project.image.images(),
  ]);
  return buildSample(projectId, takenAt, {
    servers,
    changedServers,
    volumes,
    snapshots,
    floatingIps,
    routers,
    loadBalancers,
    images,
  });
}

/** The sample from the calls' answers (pure: the tests feed it recorded answers). */
export function buildSample(
  projectId: string,
  takenAt: Date,
  answers: SampleAnswers,
): ProjectUsageSample {
  const errors: ProjectUsageSample['errors'] = [];
  const unavailable: ProjectUsageSample['unavailable'] = [];
  const read = <T>(resource: MeteredResource, result: HttpResult<T[]>): T[] => {
    if (result.ok) return result.data;
    // `catalog`: the service is not in the token's catalog (not "the token has no catalog").
    if (
      result.error.kind === 'catalog' &&
      result.error.message.startsWith('no ')
    ) {
      if (!unavailable.some(u => u.resource === resource)) {
        unavailable.push({ resource, reason: unavailableReason(resource) });
      }
    } else if (!errors.some(e => e.resource === resource)) {
      errors.push(errorOf(resource, result.error));
    }
    return [];
  };
  // A project reader may see other projects' public resources (images, shared networks' IPs):
  // only what the project owns is its usage.
  const owned = <T extends { project_id?: string }>(items: T[]) =>
    items.filter(item => !item.project_id || item.project_id === projectId);

  const current = read('servers', answers.servers);
  const changed = read('servers', answers.changedServers);
  const byId = new Map<string, Server>();
  for (const server of [...changed, ...current]) byId.set(server.id, server);
  const servers = [...byId.values()]
    .filter(server => server.tenant_id === projectId)
    .map(server => meteredServer(server, errors));

  const volumes = read('volumes', answers.volumes).map(volume => ({
    id: volume.id,
    ...(volume.name ? { name: volume.name } : {}),
    size: volume.size,
    ...(volume.volume_type ? { type: volume.volume_type } : {}),
    status: volume.status,
  }));
  const snapshots = read('snapshots', answers.snapshots).map(snapshot => ({
    id: snapshot.id,
    ...(snapshot.name ? { name: snapshot.name } : {}),
    size: snapshot.size,
    volumeId: snapshot.volume_id,
    status: snapshot.status,
  }));
  const floatingIps = owned(read('floatingIps', answers.floatingIps)).map(
    ip => ({
      id: ip.id,
      address: ip.floating_ip_address,
      status: ip.status,
      attached: !!ip.port_id,
    }),
  );
  const routers = owned(read('routers', answers.routers)).map(router => ({
    id: router.id,
    name: router.name,
    status: router.status,
  }));
  const loadBalancers = owned(read('loadBalancers', answers.loadBalancers)).map(
    lb => ({
      id: lb.id,
      ...(lb.name ? { name: lb.name } : {}),
      provisioningStatus: lb.provisioning_status,
      operatingStatus: lb.operating_status,
    }),
  );
  const images = read('images', answers.images)
    .filter(image => image.owner === projectId)
    .map(image => ({
      id: image.id,
      ...(image.name ? { name: image.name } : {}),
      size: image.size ?? 0,
      status: image.status,
    }));

  const running = servers.filter(holdsResources);
  const sum = <T>(items: T[], of: (item: T) => number) =>
    items.reduce((total, item) => total + of(item), 0);
  return {
    projectId,
    takenAt: takenAt.toISOString(),
    servers,
    volumes,
    snapshots,
    floatingIps,
    routers,
    loadBalancers,
    images,
    totals: {
      servers: running.length,
      vcpus: sum(running, s => s.flavor.vcpus),
      ramMb: sum(running, s => s.flavor.ram),
      diskGb: sum(running, s => s.flavor.disk),
      volumes: volumes.length,
      volumeGb: sum(volumes, v => v.size),
      snapshots: snapshots.length,
      snapshotGb: sum(snapshots, s => s.size),
      floatingIps: floatingIps.length,
      routers: routers.length,
      loadBalancers: loadBalancers.length,
      images: images.length,
      imageBytes: sum(images, i => i.size),
    },
    unavailable,
    errors,
  };
}

/** Deleted and shelved-offloaded servers hold no vCPUs or RAM on a host. */
export function holdsResources(server: MeteredServer): boolean {
  return !server.deleted && server.status !== 'SHELVED_OFFLOADED';
}

/** The `eu.egi.cloud.orchestrator*` metadata of a server, if any. */
export function workloadOf(
  metadata: Record<string, string> | undefined,
): Record<string, string> | undefined {
  const entries = Object.entries(metadata ?? {}).filter(
    ([key]) => key === WORKLOAD_PREFIX || key.startsWith(`${WORKLOAD_PREFIX}.`),
  );
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}

function meteredServer(
  server: Server,
  errors: ProjectUsageSample['errors'],
): MeteredServer {
  const { flavor } = server;
  if (
    flavor.vcpus === undefined ||
    flavor.ram === undefined ||
    flavor.disk === undefined
  ) {
    // Before microversion 2.47 Nova links the flavor instead of copying it.
    if (!errors.some(e => e.resource === 'servers' && e.kind === 'schema')) {
      errors.push({
        resource: 'servers',
        kind: 'schema',
        message: `Nova did not embed the flavor in the servers (microversion ${FLAVOR_MICROVERSION} needed): their vCPUs, RAM and disk count as 0`,
      });
    }
  }
  const workload = workloadOf(server.metadata);
  return {
    id: server.id,
    name: server.name,
    status: server.status,
    flavor: {
      ...(flavor.original_name ? { name: flavor.original_name } : {}),
      vcpus: flavor.vcpus ?? 0,
      ram: flavor.ram ?? 0,
      disk: flavor.disk ?? 0,
    },
    deleted: server.status === 'DELETED',
    createdAt: server.created,
    ...(server.updated ? { updatedAt: server.updated } : {}),
    ...(workload ? { workload } : {}),
  };
}

function unavailableReason(resource: MeteredResource): string {
  const service: Record<MeteredResource, string> = {
    servers: 'compute',
    volumes: 'block-storage',
    snapshots: 'block-storage',
    floatingIps: 'network',
    routers: 'network',
    loadBalancers: 'load-balancer',
    images: 'image',
  };
  return `no ${service[resource]} service in the catalog`;
}

function errorOf(
  resource: MeteredResource,
  error: HttpError,
): ProjectUsageSample['errors'][number] {
  return {
    resource,
    kind: error.kind,
    message: error.message,
    ...(error.status !== undefined ? { status: error.status } : {}),
  };
}
