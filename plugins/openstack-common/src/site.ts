import { z } from 'zod';
import { OPENSTACK_ANNOTATIONS, OPENSTACK_SITE_TYPE } from './annotations';
import { profileIdSchema } from '@fedstack/plugin-openstack-terms';

// Keystone's service types (`object-store`, `volumev3`) and EGI's VO names (`vo.access.egi.eu`).
const SERVICE_TYPE = /^[a-z][a-z0-9-]{0,63}$/;
// A VO, or a VOMS group of one as EGI's vo-mappings.yaml names some (`/vo.lifewatch.eu/openbiomap`).
const VO_NAME =
  /^(?:\/?[A-Za-z0-9][A-Za-z0-9._-]{0,127})(?:\/[A-Za-z0-9][A-Za-z0-9._-]{0,127})*$/;

const commaList = (value: string | undefined) =>
  value === undefined
    ? undefined
    : value
        .split(',')
        .map(item => item.trim())
        .filter(Boolean);

/** `compute=8774,object-store=8080` → `{compute: 8774, …}`; a malformed pair keeps its text so the schema names it. */
function portList(value: string | undefined): unknown {
  if (value === undefined) return undefined;
  const ports: Record<string, unknown> = {};
  for (const pair of commaList(value) ?? []) {
    const [type, port, ...rest] = pair.split('=').map(part => part.trim());
    if (!type || port === undefined || rest.length > 0) return value;
    ports[type] = /^\d+$/.test(port) ? Number(port) : port;
  }
  return ports;
}

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
  profiles: z.array(profileIdSchema).min(1),
  credentials: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'must be a credential set name'),
  /** Optional services offered (catalog types), e.g. `object-store`: keystone.catalog requires them. */
  services: z
    .array(z.string().regex(SERVICE_TYPE, 'must be catalog service types'))
    .optional(),
  /** Declared ports per service type, over the defaults. */
  ports: z
    .record(
      z.string().regex(SERVICE_TYPE, 'must name catalog service types'),
      z.number().int().min(1).max(65535),
    )
    .optional(),
  /** The VOs the site serves. */
  vos: z.array(z.string().regex(VO_NAME, 'must be VO names')).optional(),
  accountingName: z.string().min(1).max(200).optional(),
  federationProtocol: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be a protocol id such as openid')
    .optional(),
  /** The NGI or federation (GOCDB's ROC, e.g. `NGI_IBERGRID`). */
  ngi: z
    .string()
    .regex(
      /^[A-Za-z0-9_.-]{1,100}$/,
      'must be an NGI name such as NGI_IBERGRID',
    )
    .optional(),
});

export type SiteDescriptor = z.output<typeof siteDescriptorSchema>;

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
    profiles: commaList(profiles),
    credentials: annotations[OPENSTACK_ANNOTATIONS.credentials],
    services: commaList(annotations[OPENSTACK_ANNOTATIONS.services]),
    ports: portList(annotations[OPENSTACK_ANNOTATIONS.ports]),
    vos: commaList(annotations[OPENSTACK_ANNOTATIONS.vos]),
    accountingName: annotations[OPENSTACK_ANNOTATIONS.accountingName],
    federationProtocol: annotations[OPENSTACK_ANNOTATIONS.federationProtocol],
    ngi: annotations[OPENSTACK_ANNOTATIONS.ngi],
  };
  const parsed = siteDescriptorSchema.safeParse(candidate);
  if (parsed.success) {
    return { ok: true, site: parsed.data };
  }
  const annotationOf: Record<string, string> = OPENSTACK_ANNOTATIONS;
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
