import { EvidenceRecorder, EvidenceSink } from '../client/evidence';
import { OpenStackSession } from '../client/session';
import type { AccountingSourceSettings } from '../sources/accounting';
import type { SourceCache } from '../sources/sourceCache';

/** The site a scan looks at, as its entity (or the CLI's config) declares it. */
export interface SiteUnderTest {
  name: string;
  /** Keystone's public URL as registered, e.g. `https://keystone.example.org:5000/v3`. */
  keystoneUrl: string;
  region?: string;
  gocdbName?: string;
  /** Whether the site offers object storage (Swift): then object-store must be in the catalog. */
  offersObjectStorage?: boolean;
  /** Optional services the site declares (catalog types, e.g. `orchestration`): each must be in the catalog. */
  optionalServices?: string[];
  /**
   * Ports the site declares per service type, over the settings' `defaultPorts`: `services.ports`
   * expects each service's public endpoint on its declared port, else the usual one.
   */
  declaredPorts?: Record<string, number>;
  /** VOs the site serves besides ops (from its site file), when known. */
  vos?: string[];
  /** The name its accounting records are kept under, when not its GOCDB name (EGI-NOTEBOOKS). */
  accountingName?: string;
  /** Its identity provider's federation protocol, when not the settings' (`oidc` on some sites). */
  federationProtocol?: string;
}

/** Thresholds and names: defaults from the EGI documentation, every one a setting. */
export interface ScanSettings {
  identityProvider: string;
  protocol: string;
  /** Check-in's issuer; the identity provider's remote_ids and the mapping's guard name it. */
  issuer: string;
  /** Suffixes of federated user names (`<opaque id>@egi.eu`). */
  federatedUserSuffixes: string[];
  /** Project properties that name a project's VO. */
  voPropertyKeys: string[];
  opsVo: string;
  /** Smallest root disk of the monitoring VM's flavor, in GB. */
  monitoringFlavorMinDiskGb: number;
  /** `keystone.tls` warns when the certificate expires sooner than this. */
  tlsWarnDays: number;
  /** Default inbound ports per service type. */
  defaultPorts: Record<string, number>;
  /** Minimum API versions per service type, as [major, minor]. */
  minimumVersions: Record<string, [number, number]>;
  /** Service types every site must list with a public endpoint. */
  requiredServiceTypes: string[][];
  /** Accounting freshness: `warn` after, `fail` after (days). */
  accountingWarnDays: number;
  accountingFailDays: number;
}

export const DEFAULT_SCAN_SETTINGS: ScanSettings = {
  identityProvider: 'egi.eu',
  protocol: 'openid',
  issuer: 'https://aai.egi.eu/auth/realms/egi',
  federatedUserSuffixes: ['@egi.eu', '@sram.surf.nl'],
  voPropertyKeys: ['egi.VO', 'VO', 'accounting:VO', 'egi.eu:VO'],
  opsVo: 'ops',
  monitoringFlavorMinDiskGb: 8,
  tlsWarnDays: 14,
  defaultPorts: {
    identity: 5000,
    compute: 8774,
    volumev3: 8776,
    'block-storage': 8776,
    network: 9696,
    image: 9292,
  },
  minimumVersions: {
    identity: [3, 0],
    compute: [2, 0],
    volumev3: [3, 0],
    network: [2, 0],
    image: [2, 0],
    orchestration: [1, 0],
    dns: [2, 0],
    'object-store': [1, 0],
  },
  // Alternatives in one entry: Cinder registers as volumev3 or block-storage.
  requiredServiceTypes: [
    ['identity'],
    ['compute'],
    ['volumev3', 'block-storage'],
    ['image'],
    ['network'],
  ],
  accountingWarnDays: 7,
  accountingFailDays: 30,
};

/** External services a scan may ask, each configurable (their public URLs by default). */
export interface ExternalSources {
  /** GOCDB's public API base URL, e.g. `https://goc.egi.eu/gocdbpi/public/`. */
  gocdbUrl?: string;
  /** The cloud information system (cloud-info-provider's output, as served). */
  cloudInfoUrl?: string;
  accounting?: AccountingSourceSettings;
  /**
   * Answers of GOCDB, the information system and the accounting portal kept for a fleet scan
   * (one per backend): each is read once for every site. Absent: read once per scan.
   */
  cache?: SourceCache;
  /**
   * federation.login: where the test account's OIDC access token comes from, and the URL of
   * the federation auth endpoint when it is not Keystone's own (a front proxy).
   */
  /** Why federation.login does not run for this site though a token source exists (not listed). */
  federationLoginWithheld?: string;
  federationLogin?: {
    /** The exchange's request lands in the check's evidence through `recorder`. */
    accessToken: (recorder?: EvidenceSink) => Promise<string>;
    authUrl?: string;
    project: string;
  };
}

/** The accounts a scan may use, each a session of its own credential set. */
export interface ScanSessions {
  /** Reads the site (an admin or system reader account). */
  reader: OpenStackSession;
  replicator?: OpenStackSession;
  metering?: OpenStackSession;
  accounting?: OpenStackSession;
}

/** What a check gets: the site, the settings, sessions whose requests land in its evidence. */
export interface ScanContext {
  site: SiteUnderTest;
  settings: ScanSettings;
  sessions: ScanSessions;
  sources: ExternalSources;
  recorder: EvidenceRecorder;
  /**
   * A read other checks of the scan may need too, made once per scan (keyed by `key`); its
   * evidence is this check's as well.
   */
  shared<T>(
    key: string,
    read: (sessions: ScanSessions, recorder: EvidenceRecorder) => Promise<T>,
  ): Promise<T>;
  now(): Date;
}

/**
 * Sessions that report to one check's recorder, sharing tokens with the scan's, and whose
 * requests end when `signal` (the scan's cancel) fires.
 */
export function sessionsFor(
  sessions: ScanSessions,
  recorder: EvidenceRecorder,
  signal?: AbortSignal,
): ScanSessions {
  const scope = (session: OpenStackSession) => {
    const recording = session.withRecorder(recorder);
    return signal ? recording.withSignal(signal) : recording;
  };
  const scoped: ScanSessions = { reader: scope(sessions.reader) };
  for (const role of ['replicator', 'metering', 'accounting'] as const) {
    const session = sessions[role];
    if (session) scoped[role] = scope(session);
  }
  return scoped;
}
