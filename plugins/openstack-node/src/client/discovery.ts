import { z } from 'zod';
import type { HttpResult } from './http';
import type { ServiceClient } from './service';

/**
 * Version discovery documents, as every OpenStack service writes them. Three shapes exist:
 * one version (`{"version": {…}}`, e.g. Keystone `/v3`, Nova `/v2.1/`), a list
 * (`{"versions": […]}`, Nova, Cinder, Glance, Neutron `/`), and Keystone's multiple-choice
 * list (`{"versions": {"values": […]}}`, answered with HTTP 300).
 */

export const linkSchema = z.looseObject({
  rel: z.string().optional(),
  href: z.string(),
  type: z.string().optional(),
});

export const apiVersionSchema = z.looseObject({
  id: z.string(),
  status: z.string(),
  updated: z.string().optional(),
  // Microversions: Nova and Cinder; empty strings on versions without them (Nova v2.0).
  version: z.string().optional(),
  min_version: z.string().optional(),
  links: z.array(linkSchema).optional(),
});

export type ApiVersion = z.infer<typeof apiVersionSchema>;

export const versionDocumentSchema = z
  .union([
    z.looseObject({ version: apiVersionSchema }),
    z.looseObject({
      versions: z.union([
        z.array(apiVersionSchema),
        z.looseObject({ values: z.array(apiVersionSchema) }),
      ]),
    }),
  ])
  .transform((doc): ApiVersion[] => {
    // Loose objects type every key as unknown: read the two shapes explicitly.
    const single = (doc as { version?: ApiVersion }).version;
    if (single) return [single];
    const versions = (
      doc as { versions: ApiVersion[] | { values: ApiVersion[] } }
    ).versions;
    return Array.isArray(versions) ? versions : versions.values;
  });

// A version document may come as 200 (one version) or 300 (multiple choices).
export const VERSION_STATUSES = [200, 300];

/** `v3.14` → [3, 14]; `2.93` → [2, 93]; not a version → undefined. */
export function parseVersionNumber(
  id: string | undefined,
): [number, number] | undefined {
  const match = /^v?(\d+)(?:\.(\d+))?$/.exec(id?.trim() ?? '');
  if (!match) return undefined;
  return [Number(match[1]), Number(match[2] ?? 0)];
}

/** Compares two versions given as [major, minor]. */
export function compareVersions(
  a: [number, number],
  b: [number, number],
): number {
  return a[0] - b[0] || a[1] - b[1];
}

/**
 * Version discovery at a service's root: `GET /` without a token, answered with 200 or 300.
 * Cinder, Glance and Neutron answer it alike; their modules name it by service.
 */
export function listRootVersions(
  client: ServiceClient,
): Promise<HttpResult<ApiVersion[]>> {
  return client.request({
    path: '/',
    from: 'root',
    authenticated: false,
    expectStatus: VERSION_STATUSES,
    schema: versionDocumentSchema,
  });
}
