import { parse } from 'yaml';
import { z } from 'zod';

/**
 * A fedcloud-catchall-operations site file: one YAML file per site in the `sites/` folder of
 * https://github.com/EGI-Federation/fedcloud-catchall-operations, validated there against its
 * `schema.json` (draft-07) and described in its README:
 *
 * ```yaml
 * gocdb: IFCA-LCG2                          # required: the site's name in GOCDB
 * endpoint: https://api.cloud.ifca.es:5000/v3/   # required: Keystone, as registered in GOCDB
 * region: RegionOne                         # optional: region if not the default one
 * protocol: openid                          # optional: Keystone federation protocol (openid | oidc)
 * auth: v3applicationcredential             # optional: keystoneauth1 auth method of EGI's tools
 * vos:                                      # the VOs the site supports
 *   - name: ops
 *     auth:
 *       project_id: a372c1e2fba040e58fd0cb524a3ccd34
 *       region: WAW4-1                      # any auth key is allowed (CREODIAS sets its region)
 *     # other keys for cloud-info-provider (defaultNetwork, publicNetwork, …) are allowed
 * images:     { sync: true, formats: [qcow2, raw] }
 * accounting: { enabled: true, site_name: OTHER-NAME }   # records kept under another name
 * ```
 *
 * Older files in that repository wrote `vos` as a mapping from VO name to `{auth: …}`; both forms
 * are read. The schema forbids other top-level keys (`auth_type` among them: it says `auth`);
 * here they are reported but do not make the file unusable, so that a key added upstream does not
 * drop sites from the catalog.
 */

export const KNOWN_KEYS = [
  'gocdb',
  'endpoint',
  'auth',
  'region',
  'protocol',
  'vos',
  'images',
  'accounting',
] as const;

const voAuthSchema = z
  .object({
    // An id of digits only reads as a YAML number; it is not used here, so it is kept as text.
    project_id: z.union([z.string(), z.number()]).transform(String).optional(),
    region: z.string().trim().min(1, 'must not be empty').optional(),
  })
  .loose()
  .nullish();

const voSchema = z
  .object({
    name: z.string().trim().min(1, 'a VO needs a name'),
    auth: voAuthSchema,
  })
  .loose();

const vosSchema = z
  .union(
    [
      z.array(voSchema),
      // The older mapping form: `vos: {ops: {auth: {project_id: …}}}`.
      z
        .record(z.string().min(1), z.object({ auth: voAuthSchema }).loose())
        .transform(mapping =>
          Object.entries(mapping).map(([name, vo]) => ({ ...vo, name })),
        ),
    ],
    { error: 'must be a list of {name, auth: {project_id}}' },
  )
  .nullish();

export const siteFileSchema = z
  .object({
    gocdb: z.string().trim().min(1, 'must not be empty'),
    endpoint: z
      .string()
      .trim()
      .pipe(
        z.url({
          protocol: /^https?$/,
          error: 'must be an http or https URL',
        }),
      ),
    auth: z.string().nullish(),
    region: z.string().trim().min(1, 'must not be empty').nullish(),
    protocol: z.string().trim().min(1, 'must not be empty').nullish(),
    vos: vosSchema,
    images: z
      .object({
        sync: z.boolean().optional(),
        formats: z.array(z.string()).optional(),
      })
      .loose()
      .nullish(),
    accounting: z
      .object({
        enabled: z.boolean().optional(),
        site_name: z.string().optional(),
      })
      .loose()
      .nullish(),
  })
  .loose();

export interface SiteFile {
  gocdb: string;
  endpoint: string;
  region?: string;
  protocol?: string;
  vos: Array<{ name: string; projectId?: string; region?: string }>;
  images?: { sync?: boolean; formats?: string[] };
  accounting?: { enabled?: boolean; siteName?: string };
}

export type SiteFileResult =
  | { ok: true; site: SiteFile; notes: string[] }
  | { ok: false; problems: string[] };

/** Largest site file read; real ones are a few KB. */
export const MAX_SITE_FILE_BYTES = 1024 * 1024;

/**
 * Reads one site file. Problems name the field at fault (`endpoint: must be an http or https
 * URL`); notes are harmless oddities (an unknown key) worth a log line.
 */
export function parseSiteFile(text: string): SiteFileResult {
  if (text.length > MAX_SITE_FILE_BYTES) {
    return {
      ok: false,
      problems: [`larger than ${MAX_SITE_FILE_BYTES} bytes`],
    };
  }
  let document: unknown;
  try {
    // `yaml` v2 with its defaults: YAML 1.2 core schema, duplicate keys refused, alias
    // expansion bounded (maxAliasCount 100), a single document only.
    document = parse(text);
  } catch (error) {
    const message = (error as Error).message.split('\n')[0];
    return { ok: false, problems: [`not valid YAML: ${message}`] };
  }
  if (
    document === null ||
    typeof document !== 'object' ||
    Array.isArray(document)
  ) {
    return {
      ok: false,
      problems: ['not a site file: expected a mapping with gocdb and endpoint'],
    };
  }
  const parsed = siteFileSchema.safeParse(document);
  if (!parsed.success) {
    const raw = document as Record<string, unknown>;
    return {
      ok: false,
      problems: parsed.error.issues.map(issue => {
        const field = issue.path.map(String).join('.') || '(file)';
        const top = String(issue.path[0] ?? '');
        return issue.path.length === 1 && raw[top] === undefined
          ? `${field}: is missing`
          : `${field}: ${issue.message}`;
      }),
    };
  }
  const data = parsed.data;
  const notes = Object.keys(document)
    .filter(key => !(KNOWN_KEYS as readonly string[]).includes(key))
    .map(key => `${key}: not a key of the site file format, ignored`);
  const site: SiteFile = {
    gocdb: data.gocdb,
    endpoint: data.endpoint,
    region: data.region ?? undefined,
    protocol: data.protocol ?? undefined,
    vos: (data.vos ?? []).map(vo => ({
      name: vo.name,
      projectId: vo.auth?.project_id,
      region: vo.auth?.region,
    })),
    images: data.images
      ? { sync: data.images.sync, formats: data.images.formats }
      : undefined,
    accounting: data.accounting
      ? {
          enabled: data.accounting.enabled,
          siteName: data.accounting.site_name,
        }
      : undefined,
  };
  return { ok: true, site, notes };
}
