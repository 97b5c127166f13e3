import { z } from 'zod';
import { OPENSTACK_ANNOTATIONS, OPENSTACK_SITE_TYPE } from './annotations';
import { PROFILE_IDS } from './profiles';

/** What the portal knows of a site from its catalog entity. */
export const siteDescriptorSchema = z.object({
  /** The entity ref, e.g. `resource:default/site-a`. */
  entityRef: z.string().min(1),
  name: z.string().min(1),
  title: z.string().optional(),
  keystoneUrl: z.url({
    protocol: /^https?$/,
    error: 'must be an http or https URL',
  }),
  region: z.string().min(1).optional(),
  gocdbName: z.string().min(1).optional(),
  profiles: z.array(z.enum(PROFILE_IDS)).min(1),
  credentials: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'must be a credential set name'),
});

export type SiteDescriptor = z.infer<typeof siteDescriptorSchema>;

/** The part of a catalog entity the site reader needs; avoids a hard dependency on its types. */
export interface SiteEntityLike {
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    title?: string;
    annotations?: Record<string, string>;
  };
  spec?: Record<string, unknown> | { type?: unknown };
}

export function isOpenStackSiteEntity(entity: SiteEntityLike): boolean {
  return (
    entity.kind.toLowerCase() === 'resource' &&
    (entity.spec as { type?: unknown } | undefined)?.type ===
      OPENSTACK_SITE_TYPE
  );
}

export type SiteReadResult =
  | { ok: true; site: SiteDescriptor }
  | { ok: false; entityRef: string; problems: string[] };

/**
 * Reads a site from its entity's annotations. A malformed entity gives a list of problems that
 * name the annotation at fault, so that one bad site is flagged and the others carry on.
 */
export function readSiteFromEntity(entity: SiteEntityLike): SiteReadResult {
  const namespace = entity.metadata.namespace ?? 'default';
  const entityRef = `resource:${namespace}/${entity.metadata.name}`;
  const annotations = entity.metadata.annotations ?? {};
  const profiles = annotations[OPENSTACK_ANNOTATIONS.profiles];
  const candidate = {
    entityRef,
    name: entity.metadata.name,
    title: entity.metadata.title,
    keystoneUrl: annotations[OPENSTACK_ANNOTATIONS.keystoneUrl],
    region: annotations[OPENSTACK_ANNOTATIONS.region],
    gocdbName: annotations[OPENSTACK_ANNOTATIONS.gocdbName],
    profiles:
      profiles === undefined
        ? undefined
        : profiles
            .split(',')
            .map(p => p.trim())
            .filter(Boolean),
    credentials: annotations[OPENSTACK_ANNOTATIONS.credentials],
  };
  const parsed = siteDescriptorSchema.safeParse(candidate);
  if (parsed.success) {
    return { ok: true, site: parsed.data };
  }
  const annotationOf: Record<string, string> = {
    keystoneUrl: OPENSTACK_ANNOTATIONS.keystoneUrl,
    region: OPENSTACK_ANNOTATIONS.region,
    gocdbName: OPENSTACK_ANNOTATIONS.gocdbName,
    profiles: OPENSTACK_ANNOTATIONS.profiles,
    credentials: OPENSTACK_ANNOTATIONS.credentials,
  };
  const problems = parsed.error.issues.map(issue => {
    const field = String(issue.path[0] ?? '');
    const where = annotationOf[field] ?? field;
    const value = (candidate as Record<string, unknown>)[field];
    return value === undefined
      ? `annotation ${where} is missing`
      : `annotation ${where}: ${issue.message}`;
  });
  return { ok: false, entityRef, problems };
}
