import {
  AddressPolicy,
  AddressPolicyOptions,
  caCertificatesOf,
  Credential,
  credentialSecrets,
  OidcTokenSources,
  OpenStackHttp,
  OpenStackSession,
  Redactor,
  ScanSessions,
  toCredential as convertCredential,
} from '@fedstack/plugin-openstack-node';
import { SiteDescriptor } from '@fedstack/plugin-openstack-common';
import { ACCOUNT_ROLES, CredentialConfig, CredentialSet } from '../config';

/**
 * The token sources of the sets' OIDC client-credentials and refresh-token accounts, one per
 * account config for the backend's life: access tokens are reused across scans, and a refresh
 * token the issuer rotates is the one used next. The token endpoint is the operator's config,
 * never an entity's, so its client is not the sites' (no address policy of theirs).
 */
const tokenSources = new OidcTokenSources({
  userAgent: 'fedstack-backend',
});

/** An account's client credential, with secrets read as `fedstack scan` reads them. */
function toCredential(config: CredentialConfig): Credential {
  return convertCredential(config, {
    env: process.env,
    where: 'openstack.credentialSets',
    tokenSources,
  }).credential;
}

// Each set's CA certificates, read once (the config validated them at start).
const caOfSet = new WeakMap<CredentialSet, string[] | undefined>();

/** The CA certificates the set's sites are trusted by, when it names a CA file or directory. */
export function caCertificatesOfSet(set: CredentialSet): string[] | undefined {
  if (!set.caFile && !set.caPath) return undefined;
  if (!caOfSet.has(set)) {
    caOfSet.set(
      set,
      caCertificatesOf(
        { caFile: set.caFile, caPath: set.caPath },
        'openstack.credentialSets',
      ),
    );
  }
  return caOfSet.get(set);
}

export function secretsOf(set: CredentialSet): string[] {
  return ACCOUNT_ROLES.map(role => set[role])
    .filter((c): c is CredentialConfig => !!c)
    .flatMap(c => credentialSecrets(c, process.env));
}

/** One http per site and one session per account, kept across scans so tokens are reused. */
export interface SiteClients {
  http: OpenStackHttp;
  sessions: ScanSessions;
}

export function createSiteClients(
  site: SiteDescriptor,
  set: CredentialSet,
  options: { requestTimeoutMs: number; network: AddressPolicyOptions },
): SiteClients {
  const http = new OpenStackHttp({
    timeoutMs: options.requestTimeoutMs,
    addressPolicy: new AddressPolicy(options.network),
    redactor: new Redactor(secretsOf(set)),
    userAgent: 'fedstack-backend',
    ca: caCertificatesOfSet(set),
  });
  const session = (credential: CredentialConfig) =>
    new OpenStackSession({
      keystoneUrl: site.keystoneUrl,
      region: site.region,
      credential: toCredential(credential),
      http,
    });
  return {
    http,
    sessions: {
      reader: session(set.reader),
      ...(set.replicator ? { replicator: session(set.replicator) } : {}),
      ...(set.metering ? { metering: session(set.metering) } : {}),
      ...(set.accounting ? { accounting: session(set.accounting) } : {}),
    },
  };
}

type SessionOptions = {
  requestTimeoutMs: number;
  network: AddressPolicyOptions;
};

/** A session of one platform account with its own http (not shared with the scans). */
function accountSession(
  site: SiteDescriptor,
  set: CredentialSet,
  credential: Credential,
  options: SessionOptions & { maxBodyBytes?: number; userAgent: string },
): OpenStackSession {
  return new OpenStackSession({
    keystoneUrl: site.keystoneUrl,
    region: site.region,
    credential,
    httpOptions: {
      timeoutMs: options.requestTimeoutMs,
      maxBodyBytes: options.maxBodyBytes,
      addressPolicy: new AddressPolicy(options.network),
      redactor: new Redactor(secretsOf(set)),
      userAgent: options.userAgent,
      ca: caCertificatesOfSet(set),
    },
  });
}

/**
 * The replicator's session for one replication: its own http, because the bulk reads (every
 * effective role assignment of the cloud) outgrow the scan's answer-size bound.
 */
export function createReplicatorSession(
  site: SiteDescriptor,
  set: CredentialSet,
  options: SessionOptions,
): OpenStackSession | undefined {
  if (!set.replicator) return undefined;
  return accountSession(site, set, replicatorCredential(set.replicator), {
    requestTimeoutMs: Math.max(options.requestTimeoutMs, 60_000),
    network: options.network,
    maxBodyBytes: 256 * 1024 * 1024,
    userAgent: 'fedstack-replicator',
  });
}

/**
 * Writes need a project-scoped token: the credential's project, else Keystone's `admin` project
 * (where accounts.replicator expects the replicator to hold admin). The scan reads the same
 * account unscoped, so that check sees a missing grant as a failure, not as a refused token.
 */
function replicatorCredential(config: CredentialConfig): Credential {
  const credential = toCredential(config);
  if (credential.type !== 'password' || credential.scope) return credential;
  return {
    ...credential,
    scope: { project: { name: 'admin', domain: { name: 'Default' } } },
  };
}

/** A session of the site's metering account alone (the replicator learns its user id from it). */
export function createMeteringSession(
  site: SiteDescriptor,
  set: CredentialSet,
  options: SessionOptions,
): OpenStackSession | undefined {
  if (!set.metering) return undefined;
  return accountSession(site, set, toCredential(set.metering), {
    ...options,
    userAgent: 'fedstack-replicator',
  });
}
