import { z } from 'zod';
import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { Config } from '@backstage/config';
import { ProfileId, profileIdSchema } from '@fedstack/plugin-openstack-common';

/** GOCDB's public API, used when a `gocdb` provider names no `url`. */
export const DEFAULT_GOCDB_URL = 'https://goc.egi.eu/gocdbpi/public/';

export const DEFAULT_SITE_PROVIDER_SCHEDULE: SchedulerServiceTaskScheduleDefinition =
  {
    frequency: { minutes: 30 },
    timeout: { minutes: 10 },
    initialDelay: { seconds: 15 },
  };

const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

const httpUrl = z
  .string()
  .trim()
  .pipe(z.url({ protocol: /^https?$/, error: 'must be an http or https URL' }));

const common = {
  credentials: z
    .string({ error: 'is required (the name of a credential set)' })
    .regex(NAME_PATTERN, 'must be a credential set name'),
  // Built-in or a module's profile: the OpenStack backend names an unknown one when it scans.
  profiles: z
    .array(profileIdSchema)
    .min(1, 'must name at least one profile')
    .default(['egi-fedcloud']),
  owner: z
    .string({
      error: 'is required (an entity ref such as group:platform-team)',
    })
    .min(1)
    .refine(
      owner => {
        try {
          parseEntityRef(owner, { defaultKind: 'group' });
          return true;
        } catch {
          return false;
        }
      },
      { error: 'must be an entity ref such as group:default/platform-team' },
    ),
  // Read with Backstage's own reader below, which knows every form a schedule can take.
  schedule: z.unknown().optional(),
};

const siteProviderSchema = z.discriminatedUnion(
  'type',
  [
    z
      .object({
        type: z.literal('folder'),
        path: z.string({ error: 'is required for a folder' }).min(1),
        ...common,
      })
      .strict(),
    z
      .object({
        type: z.literal('url'),
        url: z.string({ error: 'is required for a url' }).pipe(httpUrl),
        ...common,
      })
      .strict(),
    z
      .object({
        type: z.literal('gocdb'),
        url: httpUrl.default(DEFAULT_GOCDB_URL),
        ...common,
      })
      .strict(),
  ],
  { error: "type must be one of 'folder', 'url', 'gocdb'" },
);

const siteProvidersSchema = z.record(
  z.string().regex(NAME_PATTERN, 'a provider id must be a plain name'),
  siteProviderSchema,
);

interface SiteProviderCommon {
  /** The key under `openstack.siteProviders`. */
  id: string;
  credentials: string;
  profiles: ProfileId[];
  owner: string;
  schedule: SchedulerServiceTaskScheduleDefinition;
}

export type SiteProviderConfig = SiteProviderCommon &
  (
    | { type: 'folder'; path: string }
    | { type: 'url'; url: string }
    | { type: 'gocdb'; url: string }
  );

/** Raised at start-up, so that a bad `openstack.siteProviders` stops the backend, every problem named. */
export class SiteProviderConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `Invalid openstack.siteProviders in app-config:\n${problems
        .map(p => `  - ${p}`)
        .join('\n')}`,
    );
    this.name = 'SiteProviderConfigError';
  }
}

const ROOT = 'openstack.siteProviders';

/** Reads and validates `openstack.siteProviders`; none configured gives an empty list. */
export function readSiteProviderConfigs(config: Config): SiteProviderConfig[] {
  const raw = config.getOptional(ROOT);
  if (raw === undefined) return [];
  const parsed = siteProvidersSchema.safeParse(raw);
  if (!parsed.success) {
    throw new SiteProviderConfigError(
      parsed.error.issues.map(issue => {
        const path = [ROOT, ...issue.path.map(String)].join('.');
        return `${path}: ${issue.message}`;
      }),
    );
  }
  const problems: string[] = [];
  const providers: SiteProviderConfig[] = [];
  for (const [id, entry] of Object.entries(parsed.data)) {
    let schedule = DEFAULT_SITE_PROVIDER_SCHEDULE;
    const scheduleKey = `${ROOT}.${id}.schedule`;
    if (entry.schedule !== undefined) {
      try {
        schedule = readSchedulerServiceTaskScheduleDefinitionFromConfig(
          config.getConfig(scheduleKey),
        );
      } catch (error) {
        problems.push(`${scheduleKey}: ${(error as Error).message}`);
        continue;
      }
    }
    const { schedule: _ignored, ...rest } = entry;
    providers.push({ ...rest, id, schedule } as SiteProviderConfig);
  }
  if (problems.length > 0) throw new SiteProviderConfigError(problems);
  return providers;
}
