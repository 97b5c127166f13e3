import { OpenStackHttp } from '../client/http';
import { Redactor } from '../client/redaction';
import { PasswordCredential, Scope } from '../client/identity/tokens';
import { OpenStackSession } from '../client/session';
import { ScanSessions, SiteUnderTest } from '../checks/context';

/**
 * The sandbox's two sites as a scan sees them: one http per site, and a session per account
 * (admin reads; replicator, metering and accounting are the platform accounts).
 */
export const SANDBOX_SITES = {
  'site-a': {
    name: 'site-a',
    keystoneUrl: 'http://127.0.0.1:5000/v3',
    region: 'RegionOne',
    offersObjectStorage: true,
  },
  'site-b': {
    name: 'site-b',
    keystoneUrl: 'http://127.0.0.2:5000/v3',
    region: 'RegionTwo',
    offersObjectStorage: true,
  },
} satisfies Record<string, SiteUnderTest>;

const ACCOUNTS = {
  reader: ['admin', 'FEDSTACK_SANDBOX_ADMIN_PASSWORD', 'admin-secret'],
  replicator: [
    'replicator',
    'FEDSTACK_SANDBOX_REPLICATOR_PASSWORD',
    'replicator-secret',
  ],
  metering: [
    'metering',
    'FEDSTACK_SANDBOX_METERING_PASSWORD',
    'metering-secret',
  ],
  accounting: [
    'accounting',
    'FEDSTACK_SANDBOX_ACCOUNTING_PASSWORD',
    'accounting-secret',
  ],
} as const;

/** A session of a sandbox site's user (in the default domain) logging in with a password. */
export function passwordSession(
  site: SiteUnderTest,
  http: OpenStackHttp,
  username: string,
  password: string,
  scope?: Scope,
): OpenStackSession {
  return new OpenStackSession({
    keystoneUrl: site.keystoneUrl,
    region: site.region,
    http,
    credential: { type: 'password', username, password, scope },
  });
}

/**
 * The sandbox's read-only account, `site-reader` (sandbox/README.md, "Accounts and credentials"):
 * reader on the system and on project admin, no admin anywhere. Its identity reads go with a
 * system-scoped token (`identityScope`), the services' with the project-scoped one.
 */
export function sandboxSiteReader(
  settings: Record<string, string>,
): PasswordCredential {
  return {
    type: 'password',
    username: settings.FEDSTACK_SANDBOX_SITE_READER_USERNAME ?? 'site-reader',
    password:
      settings.FEDSTACK_SANDBOX_SITE_READER_PASSWORD ?? 'site-reader-secret',
    scope: { project: { name: 'admin', domain: { id: 'default' } } },
    identityScope: { system: 'all' },
  };
}

export function sandboxSessions(
  site: SiteUnderTest,
  settings: Record<string, string>,
): { sessions: ScanSessions; http: OpenStackHttp; passwords: string[] } {
  const passwords = Object.values(ACCOUNTS).map(
    ([, variable, fallback]) => settings[variable] ?? fallback,
  );
  const http = new OpenStackHttp({
    timeoutMs: 10_000,
    redactor: new Redactor(passwords),
  });
  const session = (role: keyof typeof ACCOUNTS) => {
    const [username, variable, fallback] = ACCOUNTS[role];
    return passwordSession(
      site,
      http,
      username,
      settings[variable] ?? fallback,
      // Only the reader needs a project: the others' rights are read, not used.
      role === 'reader'
        ? { project: { name: 'admin', domain: { id: 'default' } } }
        : undefined,
    );
  };
  return {
    http,
    passwords,
    sessions: {
      reader: session('reader'),
      replicator: session('replicator'),
      metering: session('metering'),
      accounting: session('accounting'),
    },
  };
}
