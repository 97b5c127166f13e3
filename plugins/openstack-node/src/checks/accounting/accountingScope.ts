import {
  AccountedSite,
  AccountingSource,
  accountingSourceFor,
} from '../../sources/accounting';
import { ScanContext } from '../context';
import { couldNotRead, skip } from '../outcomes';
import { CheckOutcome } from '../types';
import { readVoProjects, VoProject } from '../vo/voProjects';

/**
 * What accounting.fresh and accounting.coverage share: the configured accounting source, and the
 * site as that source knows it (its GOCDB name; its VO projects, read when needed: cASO's spool
 * is per project, and coverage compares projects).
 */
export type AccountingScope =
  | {
      ok: true;
      source: AccountingSource;
      site: AccountedSite;
      voProjects: VoProject[];
    }
  | { ok: false; outcome: CheckOutcome };

export async function accountingScope(
  context: ScanContext,
  options: { needProjects: boolean },
): Promise<AccountingScope> {
  const settings = context.sources.accounting;
  if (!settings) {
    return {
      ok: false,
      outcome: skip(
        'No accounting source is configured for this scan (the accounting portal or a cASO spool)',
      ),
    };
  }
  const accountedName = context.site.accountingName ?? context.site.gocdbName;
  if (settings.kind === 'accounting-portal' && !accountedName) {
    return {
      ok: false,
      outcome: skip(
        'The site declares no GOCDB name, by which the accounting portal knows it',
      ),
    };
  }
  const source = accountingSourceFor(settings, {
    http: context.sessions.reader.http,
    recorder: context.recorder,
    now: () => context.now(),
    cache: context.sources.cache,
  });
  let voProjects: VoProject[] = [];
  if (options.needProjects || source.kind === 'caso-spool') {
    const read = await readVoProjects(context);
    if (!read.ok)
      return { ok: false, outcome: couldNotRead(read.what, read.error) };
    voProjects = read.projects;
  }
  return {
    ok: true,
    source,
    voProjects,
    site: {
      // APEL and the portal know a site by its GOCDB name, or the one its cASO publishes under
      // (the spool does not use it).
      name: accountedName ?? context.site.name,
      // A spool root of EGI's cASO runs names the site's folder by its GOCDB name.
      otherNames: [context.site.gocdbName, context.site.name].filter(
        (name): name is string => !!name && name !== accountedName,
      ),
      projects: voProjects.map(({ project, vo }) => ({
        id: project.id,
        name: project.name,
        vo,
      })),
    },
  };
}

export const DAY_MS = 86_400_000;
