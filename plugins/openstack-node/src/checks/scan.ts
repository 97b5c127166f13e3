import { EvidenceRecorder } from '../client/evidence';
import { ComplianceCatalogue } from './complianceCatalogue';
import {
  DEFAULT_SCAN_SETTINGS,
  ExternalSources,
  ScanSessions,
  ScanSettings,
  SiteUnderTest,
  sessionsFor,
} from './context';
import { CheckProgress, runChecks } from './engine';
import { SharedReads } from './sharedReads';
import type { ProfileScore } from '@fedstack/plugin-openstack-terms';
import { ProfileSettings } from './profiles';
import { Check, CheckResult } from './types';
import { ScanContext } from './context';

export interface ScanOptions {
  site: SiteUnderTest;
  /** Ids of profiles of the catalogue. */
  profiles: string[];
  sessions: ScanSessions;
  /** The checks and profiles to use; the built-in ones by default. */
  catalogue?: ComplianceCatalogue;
  sources?: ExternalSources;
  settings?: Partial<ScanSettings>;
  profileSettings?: Readonly<Record<string, ProfileSettings | undefined>>;
  /** Run only these checks (and what they need), e.g. the console's `check ID`. */
  onlyChecks?: string[];
  onProgress?(progress: CheckProgress): void;
  checkTimeoutMs?: number;
  now?: () => number;
  /** Ends the scan early (a console user's Ctrl+C): see `signal` of `runChecks`. */
  signal?: AbortSignal;
}

export interface ScanReport {
  site: string;
  startedAt: string;
  durationMs: number;
  results: CheckResult[];
  profiles: ProfileScore[];
  /** Keystone tokens issued during the scan, over every credential set. */
  tokensIssued: number;
  /** HTTP requests made during the scan. */
  requests: number;
}

export interface ScanContextOptions {
  site: SiteUnderTest;
  sessions: ScanSessions;
  settings?: Partial<ScanSettings>;
  sources?: ExternalSources;
  now?: () => Date;
  signal?: AbortSignal;
}

/**
 * What each check of one scan gets: the site, the settings, sessions that record into the
 * check's evidence, and reads shared among the scan's checks.
 */
export function scanContextFor(
  options: ScanContextOptions,
): (check: Check<ScanContext>, recorder: EvidenceRecorder) => ScanContext {
  const settings = { ...DEFAULT_SCAN_SETTINGS, ...options.settings };
  // What the site declares of itself wins over the scan's defaults.
  if (options.site.federationProtocol)
    settings.protocol = options.site.federationProtocol;
  const sharedReads = new SharedReads();
  return (_check, recorder) => ({
    site: options.site,
    settings,
    sessions: sessionsFor(options.sessions, recorder, options.signal),
    sources: options.sources ?? {},
    recorder,
    shared: (key, read) =>
      sharedReads.get(key, recorder, own =>
        read(sessionsFor(options.sessions, own, options.signal), own),
      ),
    now: options.now ?? (() => new Date()),
  });
}

/** Scans one site: runs the checks concurrently, then scores each profile. */
export async function scanSite(options: ScanOptions): Promise<ScanReport> {
  const now = options.now ?? Date.now;
  const sessions = Object.values(options.sessions).filter(Boolean);
  const tokensBefore = sessions.reduce((n, s) => n + s.tokensIssued, 0);
  const requestsBefore = options.sessions.reader.http.requestCount;
  const startedAt = now();
  const catalogue = options.catalogue ?? ComplianceCatalogue.builtIn();

  const results = await runChecks(
    catalogue.checksFor(
      options.profiles,
      options.profileSettings,
      options.onlyChecks,
    ),
    {
      contextFor: scanContextFor({
        site: options.site,
        sessions: options.sessions,
        settings: options.settings,
        sources: options.sources,
        now: () => new Date(now()),
        signal: options.signal,
      }),
      onProgress: options.onProgress,
      checkTimeoutMs: options.checkTimeoutMs,
      now,
      signal: options.signal,
    },
  );

  return {
    site: options.site.name,
    startedAt: new Date(startedAt).toISOString(),
    durationMs: now() - startedAt,
    results,
    profiles: options.profiles.map(profile =>
      catalogue.scoreProfile(
        profile,
        results,
        options.profileSettings?.[profile],
      ),
    ),
    tokensIssued:
      sessions.reduce((n, s) => n + s.tokensIssued, 0) - tokensBefore,
    requests: options.sessions.reader.http.requestCount - requestsBefore,
  };
}
