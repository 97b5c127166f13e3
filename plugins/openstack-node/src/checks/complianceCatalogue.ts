import { z } from 'zod';
import {
  checkAreaSchema,
  checkIdSchema,
  profileIdSchema,
  ProfileScore,
  severitySchema,
} from '@fedstack/plugin-openstack-terms';
import { BUILT_IN_CHECKS } from './catalogue';
import { ScanContext } from './context';
import {
  BUILT_IN_PROFILES,
  DEFAULT_READINESS_RULE,
  Profile,
  ProfileDefinition,
  profileCheckIds,
  ProfileSettings,
  scoreProfile,
} from './profiles';
import { Check, CheckResult } from './types';

const words = z.string().trim().min(1, { message: 'must not be empty' });

const checkMetadataSchema = z.object({
  id: checkIdSchema,
  title: words,
  area: checkAreaSchema,
  severity: severitySchema,
  reads: words,
  rule: words,
  remediation: words,
  docsUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
  requires: z.array(z.string()).optional(),
  ownerOnlyDetails: z.array(words).optional(),
});

const profileDefinitionSchema = z.object({
  id: profileIdSchema,
  title: words,
  description: words,
  basedOn: z.string().optional(),
  checks: z.array(z.string()).optional(),
  withoutChecks: z.array(z.string()).optional(),
  weights: z.record(z.string(), z.number().min(0)).optional(),
  readiness: z
    .object({
      blocking: z.array(severitySchema).optional(),
      mustBeEvaluated: z.array(severitySchema).optional(),
    })
    .optional(),
});

/** What is wrong with checks or profiles added to a catalogue, every problem named. */
export class CatalogueError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid compliance checks or profiles: ${problems.join('; ')}`);
    this.name = 'CatalogueError';
  }
}

function issuesOf(where: string, error: z.ZodError): string[] {
  return error.issues.map(
    issue =>
      `${where}${issue.path.length ? `.${issue.path.join('.')}` : ''} ${
        issue.message
      }`,
  );
}

/**
 * The checks and profiles a scan can use: the built-in ones, and those backend modules add
 * (an NGI's own requirement and a profile for it). Immutable; `extendedWith` checks what it is
 * given against what is there (ids, areas, prerequisites, profiles' checks) and names every
 * problem, so a bad module stops the backend at start, not a scan at night.
 */
export class ComplianceCatalogue {
  private static builtInCatalogue: ComplianceCatalogue | undefined;

  private readonly checkIndex: Map<string, Check<ScanContext>>;
  private readonly profileIndex: Map<string, Profile>;

  private constructor(
    /** Every check, in the order reports list them. */
    readonly checks: ReadonlyArray<Check<ScanContext>>,
    /** Every profile, built-in ones first. */
    readonly profiles: ReadonlyArray<Profile>,
  ) {
    this.checkIndex = new Map(checks.map(check => [check.metadata.id, check]));
    this.profileIndex = new Map(profiles.map(profile => [profile.id, profile]));
  }

  /** The checks and profiles that come with the library. */
  static builtIn(): ComplianceCatalogue {
    ComplianceCatalogue.builtInCatalogue ??= new ComplianceCatalogue(
      [],
      [],
    ).extendedWith({ checks: BUILT_IN_CHECKS, profiles: BUILT_IN_PROFILES });
    return ComplianceCatalogue.builtInCatalogue;
  }

  /** A catalogue with these checks (listed after the present ones) and profiles added. */
  extendedWith(additions: {
    checks?: ReadonlyArray<Check<ScanContext>>;
    profiles?: ReadonlyArray<ProfileDefinition>;
  }): ComplianceCatalogue {
    const problems: string[] = [];
    const checks = [...this.checks];
    const known = new Set(checks.map(check => check.metadata.id));
    for (const check of additions.checks ?? []) {
      const where = `check ${check?.metadata?.id ?? '(without an id)'}`;
      const metadata = checkMetadataSchema.safeParse(check?.metadata);
      if (!metadata.success) {
        problems.push(...issuesOf(where, metadata.error));
        continue;
      }
      if (typeof check.run !== 'function') {
        problems.push(`${where} has no run function`);
        continue;
      }
      const { id, requires = [] } = metadata.data;
      if (known.has(id)) {
        problems.push(`${where} is already in the catalogue`);
        continue;
      }
      // Prerequisites come before: the order reports list checks in, and no cycle can form.
      const unknown = requires.filter(required => !known.has(required));
      if (unknown.length > 0) {
        problems.push(
          `${where} requires ${unknown.join(
            ', ',
          )}, which is not a check listed before it`,
        );
        continue;
      }
      known.add(id);
      checks.push(check);
    }

    const profiles = [...this.profiles];
    const profileIds = new Set(profiles.map(profile => profile.id));
    for (const definition of additions.profiles ?? []) {
      const where = `profile ${definition?.id ?? '(without an id)'}`;
      const parsed = profileDefinitionSchema.safeParse(definition);
      if (!parsed.success) {
        problems.push(...issuesOf(where, parsed.error));
        continue;
      }
      const { id, basedOn, weights = {} } = parsed.data;
      if (profileIds.has(id)) {
        problems.push(`${where} is already in the catalogue`);
        continue;
      }
      const base = basedOn
        ? profiles.find(profile => profile.id === basedOn)
        : undefined;
      if (basedOn && !base) {
        problems.push(
          `${where} is based on ${basedOn}, which is not a profile defined before it`,
        );
        continue;
      }
      const named = [
        ...(parsed.data.checks ?? []),
        ...(parsed.data.withoutChecks ?? []),
        ...Object.keys(weights),
      ];
      const unknown = [...new Set(named)].filter(check => !known.has(check));
      if (unknown.length > 0) {
        problems.push(
          `${where} names checks not in the catalogue: ${unknown.join(', ')}`,
        );
        continue;
      }
      const without = new Set(parsed.data.withoutChecks ?? []);
      const wanted = new Set([
        ...(base?.checks ?? []),
        ...(parsed.data.checks ?? []),
      ]);
      const profileChecks = checks
        .map(check => check.metadata.id)
        .filter(check => wanted.has(check) && !without.has(check));
      if (profileChecks.length === 0) {
        problems.push(`${where} applies no check`);
        continue;
      }
      profileIds.add(id);
      profiles.push({
        id,
        title: parsed.data.title,
        description: parsed.data.description,
        checks: profileChecks,
        weights: { ...base?.weights, ...weights },
        readiness: {
          ...(base?.readiness ?? DEFAULT_READINESS_RULE),
          ...parsed.data.readiness,
        },
      });
    }
    if (problems.length > 0) throw new CatalogueError(problems);
    return new ComplianceCatalogue(checks, profiles);
  }

  check(id: string): Check<ScanContext> | undefined {
    return this.checkIndex.get(id);
  }

  profile(id: string): Profile | undefined {
    return this.profileIndex.get(id);
  }

  /**
   * What is wrong with a set of profile ids and their settings (unknown profiles or checks),
   * every problem named; empty when they fit the catalogue.
   */
  problemsOf(
    profileIds: readonly string[],
    profileSettings: Readonly<Record<string, ProfileSettings | undefined>> = {},
  ): string[] {
    const problems: string[] = [];
    for (const id of profileIds) {
      if (!this.profile(id)) {
        problems.push(
          `no profile ${id} (profiles: ${this.profiles
            .map(profile => profile.id)
            .join(', ')})`,
        );
      }
    }
    for (const [id, settings] of Object.entries(profileSettings)) {
      if (!this.profile(id)) {
        problems.push(`settings for ${id}, which is not a profile`);
        continue;
      }
      const named = [
        ...(settings?.disabledChecks ?? []),
        ...Object.keys(settings?.weights ?? {}),
      ];
      for (const check of new Set(named)) {
        if (!this.check(check)) {
          problems.push(
            `settings for ${id} name ${check}, which is not a check`,
          );
        }
      }
    }
    return problems;
  }

  /**
   * The profile as an installation scores it: its settings' disabled checks left out and their
   * weights over the profile's. What a scan stores, so its scores stay comparable later.
   */
  effectiveProfile(profileId: string, settings: ProfileSettings = {}): Profile {
    const profile = this.requireProfile(profileId);
    return {
      ...profile,
      checks: profileCheckIds(profile, settings),
      weights: { ...profile.weights, ...settings.weights },
    };
  }

  /** The profile's checks an installation runs (its settings may disable some). */
  checkIdsOf(profileId: string, settings?: ProfileSettings): string[] {
    return profileCheckIds(this.requireProfile(profileId), settings);
  }

  /** The checks a scan runs: the profiles' (or the ones asked for), plus their prerequisites. */
  checksFor(
    profileIds: readonly string[],
    profileSettings: Readonly<Record<string, ProfileSettings | undefined>> = {},
    onlyChecks?: readonly string[],
  ): Array<Check<ScanContext>> {
    const wanted = new Set(
      onlyChecks ??
        profileIds.flatMap(id => this.checkIdsOf(id, profileSettings[id])),
    );
    // Prerequisites come before their checks: one pass from the end adds them all.
    for (let i = this.checks.length - 1; i >= 0; i--) {
      const { id, requires = [] } = this.checks[i].metadata;
      if (wanted.has(id)) for (const required of requires) wanted.add(required);
    }
    return this.checks.filter(check => wanted.has(check.metadata.id));
  }

  scoreProfile(
    profileId: string,
    results: readonly CheckResult[],
    settings?: ProfileSettings,
  ): ProfileScore {
    return scoreProfile(this.requireProfile(profileId), results, settings);
  }

  private requireProfile(id: string): Profile {
    const profile = this.profile(id);
    if (!profile) {
      throw new Error(
        `No profile ${id} (profiles: ${this.profiles
          .map(p => p.id)
          .join(', ')})`,
      );
    }
    return profile;
  }
}
