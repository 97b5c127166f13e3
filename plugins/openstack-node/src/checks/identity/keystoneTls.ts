import net from 'node:net';
import tls from 'node:tls';
import { Evidence } from '../../client/evidence';
import { Check, CheckOutcome } from '../types';
import { ScanContext } from '../context';
import { fail, listed, pass, warn } from '../outcomes';

const DAY_MS = 24 * 60 * 60 * 1000;
const TLS_TIMEOUT_MS = 10_000;

/** What a TLS handshake showed about a server's certificate, before any judgement. */
export interface TlsProbe {
  host: string;
  port: number;
  /** The chain verifies against the trust store (host name not considered). */
  chainVerified: boolean;
  /** OpenSSL's reason when it does not, e.g. `DEPTH_ZERO_SELF_SIGNED_CERT`. */
  chainError?: string;
  /** `tls.checkServerIdentity`'s complaint, when the certificate is not for the host. */
  hostError?: string;
  subject: string;
  issuer: string;
  validFrom: Date;
  validTo: Date;
  subjectAltNames: string[];
  protocol?: string;
}

export type TlsProbeResult =
  | { ok: true; probe: TlsProbe; evidence: Evidence }
  | { ok: false; error: string; evidence: Evidence };

export interface TlsProbeOptions {
  /**
   * CA certificates (PEM) to trust instead of the default store (tests); without it, Node's
   * store plus NODE_EXTRA_CA_CERTS, as the check uses.
   */
  ca?: string | Buffer | Array<string | Buffer>;
  timeoutMs?: number;
}

/**
 * Opens a TLS connection to an https URL's host and port (with SNI for names) without
 * rejecting anything, so the certificate can be judged in words rather than as an error.
 */
export function probeTls(
  url: string,
  options: TlsProbeOptions = {},
): Promise<TlsProbeResult> {
  const parsed = new URL(url);
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  const port = Number(parsed.port || 443);
  const timeoutMs = options.timeoutMs ?? TLS_TIMEOUT_MS;
  const started = Date.now();
  const evidence = (extra: Partial<Evidence>): Evidence => ({
    at: new Date(started).toISOString(),
    method: 'TLS',
    url: `tls://${parsed.host}`,
    durationMs: Date.now() - started,
    requestHeaders: {},
    responseHeaders: {},
    ...extra,
  });

  return new Promise(resolve => {
    const state: { settled: boolean; timer?: NodeJS.Timeout } = {
      settled: false,
    };
    const socket = tls.connect({
      host,
      port,
      // SNI carries names only (RFC 6066): an IP address is not sent.
      servername: net.isIP(host) ? undefined : host,
      ca: options.ca,
      rejectUnauthorized: false,
      // The chain alone decides `authorized`; the host name is judged separately below.
      checkServerIdentity: () => undefined,
    });
    const finish = (result: TlsProbeResult) => {
      if (state.settled) return;
      state.settled = true;
      clearTimeout(state.timer);
      socket.destroy();
      resolve(result);
    };
    // The whole handshake is bounded, not only the idle time between packets.
    state.timer = setTimeout(() => {
      const error = `no TLS handshake within ${timeoutMs} ms`;
      finish({ ok: false, error, evidence: evidence({ error }) });
    }, timeoutMs);
    socket.once('error', (err: NodeJS.ErrnoException) => {
      const error =
        err.code && !err.message.includes(err.code)
          ? `${err.code}: ${err.message}`
          : err.message;
      finish({ ok: false, error, evidence: evidence({ error }) });
    });
    socket.once('secureConnect', () => {
      const certificate = socket.getPeerCertificate();
      if (!certificate || Object.keys(certificate).length === 0) {
        const error = 'the server sent no certificate';
        finish({ ok: false, error, evidence: evidence({ error }) });
        return;
      }
      const hostError = tls.checkServerIdentity(host, certificate);
      const probe: TlsProbe = {
        host,
        port,
        chainVerified: socket.authorized,
        chainError: socket.authorized
          ? undefined
          : String(socket.authorizationError ?? 'unknown reason'),
        hostError: hostError?.message,
        subject: distinguishedName(certificate.subject),
        issuer: distinguishedName(certificate.issuer),
        validFrom: new Date(certificate.valid_from),
        validTo: new Date(certificate.valid_to),
        subjectAltNames: (certificate.subjectaltname ?? '')
          .split(',')
          .map(name => name.trim())
          .filter(Boolean),
        protocol: socket.getProtocol() ?? undefined,
      };
      finish({
        ok: true,
        probe,
        evidence: evidence({
          responseBody: JSON.stringify({
            protocol: probe.protocol,
            subject: probe.subject,
            issuer: probe.issuer,
            validTo: probe.validTo.toISOString(),
            subjectAltNames: probe.subjectAltNames,
            authorized: probe.chainVerified,
            authorizationError: probe.chainError,
          }),
        }),
      });
    });
  });
}

// OpenSSL's verify codes, told as what an operator sees.
const CHAIN_ERRORS: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'is self-signed',
  SELF_SIGNED_CERT_IN_CHAIN:
    'chains to a self-signed root that is not in the trust store',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    'is issued by a CA that is not in the trust store (or the server does not send its intermediate certificates)',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    'is issued by a CA that is not in the trust store (or the server does not send its intermediate certificates)',
  UNABLE_TO_GET_ISSUER_CERT:
    'is issued by a CA that is not in the trust store (or the server does not send its intermediate certificates)',
};

/** Judges a handshake's certificate: chain, host name, expiry, and how soon it expires. */
export function judgeTls(
  probe: TlsProbe,
  options: { now: Date; warnDays: number },
): CheckOutcome {
  const daysLeft = Math.floor(
    (probe.validTo.getTime() - options.now.getTime()) / DAY_MS,
  );
  const where = `${probe.host}:${probe.port}`;
  const details = {
    subject: probe.subject,
    issuer: probe.issuer,
    validFrom: probe.validFrom.toISOString(),
    validTo: probe.validTo.toISOString(),
    daysLeft,
    subjectAltNames: probe.subjectAltNames,
    chainVerified: probe.chainVerified,
    ...(probe.chainError ? { chainError: probe.chainError } : {}),
    ...(probe.hostError ? { hostError: probe.hostError } : {}),
    ...(probe.protocol ? { protocol: probe.protocol } : {}),
  };
  const validTo = probe.validTo.toISOString().slice(0, 10);
  const problems: string[] = [];
  const expired = probe.validTo.getTime() <= options.now.getTime();
  const notYetValid = probe.validFrom.getTime() > options.now.getTime();
  if (expired) problems.push(`expired on ${validTo}`);
  if (notYetValid) {
    problems.push(
      `is not valid before ${probe.validFrom.toISOString().slice(0, 10)}`,
    );
  }
  const chainErrorCovered =
    (expired && probe.chainError === 'CERT_HAS_EXPIRED') ||
    (notYetValid && probe.chainError === 'CERT_NOT_YET_VALID');
  if (!probe.chainVerified && !chainErrorCovered) {
    problems.push(
      `${CHAIN_ERRORS[probe.chainError ?? ''] ?? 'does not verify'} (${
        probe.chainError
      })`,
    );
  }
  if (probe.hostError) {
    // Node's own text lists only one kind of name: say every name the certificate holds.
    const names =
      probe.subjectAltNames.length > 0
        ? probe.subjectAltNames.join(', ')
        : probe.subject;
    problems.push(`is not valid for ${probe.host} (it names ${names})`);
  }
  if (problems.length > 0) {
    return fail(
      `Keystone's certificate at ${where} ${listed(problems)}; issued to ${
        probe.subject
      } by ${probe.issuer}`,
      details,
    );
  }
  if (daysLeft < options.warnDays) {
    return warn(
      `Keystone's certificate at ${where} expires on ${validTo}, in ${daysLeft} day(s), under the ${options.warnDays}-day threshold: renew it`,
      details,
    );
  }
  return pass(
    `Keystone's certificate at ${where} verifies, is valid for ${probe.host} and expires on ${validTo} (in ${daysLeft} days)`,
    details,
  );
}

/** Keystone's public URL is https, with a certificate that verifies and is valid for its host. */
export const keystoneTls: Check<ScanContext> = {
  metadata: {
    id: 'keystone.tls',
    title: 'Keystone is served over https with a valid certificate',
    area: 'identity',
    severity: 'major',
    reads:
      "A TLS handshake with the host and port of the site's Keystone URL (with SNI, against the CA certificates configured for the site, e.g. an IGTF directory, else Node's trust store plus `NODE_EXTRA_CA_CERTS`); no HTTP request.",
    rule: 'Fails when the URL is not https, no handshake completes within 10 s, or the certificate is expired, not yet valid, does not chain to a trusted CA or is not valid for the host name; warns when it expires in fewer than `tlsWarnDays` days (default 14); passes otherwise.',
    remediation:
      'Serve Keystone over https with a certificate from a CA in the IGTF or public trust stores, valid for the host name in the URL, sent with its intermediate certificates; renew it before it expires. Register the https URL: `openstack endpoint set --url https://<host>:5000/v3 <identity-public-endpoint-id>`.',
    docsUrl: 'https://docs.egi.eu/providers/cloud-compute/requirements/',
    requires: ['keystone.reachable'],
  },
  async run({ site, settings, recorder, now, sessions }) {
    const url = new URL(site.keystoneUrl);
    if (url.protocol === 'http:') {
      return fail(
        `Keystone's public URL ${site.keystoneUrl} is plain http: serve it over https with a certificate valid for ${url.hostname}`,
      );
    }
    if (url.protocol !== 'https:') {
      return fail(
        `Keystone's public URL ${site.keystoneUrl} is neither http nor https`,
      );
    }
    // Judged against what the scan trusts for this site: its configured CA (an IGTF
    // directory, say), else the system's store.
    const result = await probeTls(site.keystoneUrl, {
      timeoutMs: TLS_TIMEOUT_MS,
      ca: sessions.reader.http.ca,
    });
    recorder.record(result.evidence);
    if (!result.ok) {
      return fail(
        `No TLS handshake with Keystone at ${url.host}: ${result.error}`,
      );
    }
    return judgeTls(result.probe, {
      now: now(),
      warnDays: settings.tlsWarnDays,
    });
  },
};

function distinguishedName(
  name: tls.Certificate | Record<string, unknown> | undefined,
): string {
  if (!name) return '(none)';
  return (
    Object.entries(name)
      .map(
        ([key, value]) =>
          `${key}=${Array.isArray(value) ? value.join('+') : String(value)}`,
      )
      .join(', ') || '(empty)'
  );
}
