import { EvidenceRecorder } from '../client/evidence';
import { CHECKS } from './catalogue';
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
import {
  ProfileId,
  ProfileScore,
  ProfileSettings,
  profileCheckIds,
  scoreProfile,
} from './profiles';
import { Check, CheckResult } from './types';
import { ScanContext } from './context';

export interface ScanOptions {
  site: SiteUnderTest;
  profiles: ProfileId[];
  sessions: ScanSessions;
  sources?: ExternalSources;
  settings?: Partial<ScanSettings>;
  profileSettings?: Partial<Record<ProfileId, ProfileSettings>>;
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

/** The checks a scan runs: the profiles' (or the ones asked for), plus their prerequisites. */
export function checksFor(
  profiles: readonly ProfileId[],
  profileSettings: ScanOptions['profileSettings'] = {},
  onlyChecks?: readonly string[],
): Array<Check<ScanContext>> {
  const wanted = new Set(
    onlyChecks ??
      profiles.flatMap(profile =>
        profileCheckIds(profile, profileSettings[profile]),
      ),
  );
  // Prerequisites run too, so a dependent check can say why it could not run.
  let grew = true;
  while (grew) {
    grew = false;
    for (const check of CHECKS) {
      if (!wanted.has(check.metadata.id)) continue;
      for (const required of check.metadata.requires ?? []) {
        if (!wanted.has(required)) {
          wanted.add(required);
          grew = true;
        }
      }
    }
  }
  return CHECKS.filter(check => wanted.has(check.metadata.id));
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

  const results = await runChecks(
    checksFor(options.profiles, options.profileSettings, options.onlyChecks),
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
      scoreProfile(profile, results, options.profileSettings?.[profile]),
    ),
    tokensIssued:
      sessions.reduce((n, s) => n + s.tokensIssued, 0) - tokensBefore,
    requests: options.sessions.reader.http.requestCount - requestsBefore,
  };
}
