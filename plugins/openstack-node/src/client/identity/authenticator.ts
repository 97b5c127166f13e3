import { HttpError, HttpResult, OpenStackHttp } from '../http';
import { Lookup, ServiceClient } from '../service';
import { versionRootUrl } from '../endpointUrl';
import { Evidence } from '../evidence';
import {
  Credential,
  Scope,
  Token,
  authBody,
  createFederatedToken,
  createToken,
  tokenAuthBody,
} from './tokens';

/**
 * One credential set's tokens on one site. A password token costs Keystone a bcrypt round, so
 * a token is reused until it nears expiry, and callers asking at the same time share one
 * request. It counts what it issued: the goal is one token per credential set per scan.
 */

export interface AuthenticatorOptions {
  http: OpenStackHttp;
  /** Keystone's URL as configured for the site, e.g. `https://keystone.example.org:5000/v3`. */
  keystoneUrl: string;
  credential: Credential;
  /** Re-issue when less than this is left (default 5 minutes). */
  refreshMarginMs?: number;
  /** The clock, for tests. */
  now?: () => number;
}

export class Authenticator {
  private readonly keystone: ServiceClient;
  private readonly tokens = new Map<string, Token>();
  private readonly inFlight = new Map<string, Promise<Lookup<Token>>>();
  private readonly refreshMarginMs: number;
  private readonly now: () => number;
  private issued = 0;
  // Only the latest: a site's sessions live as long as the backend, and a token is issued every
  // hour per account (all of them kept grew by ~0.25 MB per site and day).
  private lastIssuedEvidence?: Evidence;

  constructor(private readonly options: AuthenticatorOptions) {
    this.refreshMarginMs = options.refreshMarginMs ?? 5 * 60_000;
    this.now = options.now ?? Date.now;
    const root = versionRootUrl(options.keystoneUrl);
    this.keystone = new ServiceClient({
      http: options.http,
      serviceType: 'identity',
      endpoint: async () => ({ ok: true, value: root }),
    });
    if (options.credential.type === 'password') {
      options.http.addSecrets(options.credential.password);
    } else if (options.credential.type === 'application-credential') {
      options.http.addSecrets(options.credential.secret);
    } else if (typeof options.credential.accessToken === 'string') {
      options.http.addSecrets(options.credential.accessToken);
    }
  }

  /** Tokens issued so far (rescoped ones included). */
  get tokensIssued(): number {
    return this.issued;
  }

  /** The request that issued the latest token: evidence for checks about logging in. */
  get evidence(): readonly Evidence[] {
    return this.lastIssuedEvidence ? [this.lastIssuedEvidence] : [];
  }

  /**
   * A valid token for the credential's own scope, or for another one (e.g. a project, for
   * reads that Keystone's policies allow only project-scoped).
   */
  token(scope?: Scope): Promise<Lookup<Token>> {
    const wanted = scope ?? this.defaultScope();
    const key = scopeKey(wanted);
    const cached = this.tokens.get(key);
    if (cached && this.isFresh(cached)) {
      return Promise.resolve({ ok: true, value: cached });
    }
    const running = this.inFlight.get(key);
    if (running) return running;
    const request = this.issue(wanted)
      .then(result => {
        if (result.ok) this.tokens.set(key, result.value);
        return result;
      })
      .finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, request);
    return request;
  }

  /** Forget cached tokens (e.g. after Keystone said one was revoked). */
  invalidate(): void {
    this.tokens.clear();
  }

  /** A token is reused while more than the margin is left, or half its lifetime if shorter. */
  isFresh(token: Token): boolean {
    const left = token.expiresAt.getTime() - this.now();
    const lifetime = token.issuedAt
      ? token.expiresAt.getTime() - token.issuedAt.getTime()
      : Infinity;
    return left > Math.min(this.refreshMarginMs, lifetime / 2);
  }

  private defaultScope(): Scope {
    const credential = this.options.credential;
    return credential.type === 'application-credential'
      ? 'unscoped'
      : credential.scope ?? 'unscoped';
  }

  private async issue(scope: Scope): Promise<Lookup<Token>> {
    const credential = this.options.credential;
    if (credential.type !== 'oidc') {
      return this.count(
        await createToken(this.keystone, authBody(credential, scope)),
      );
    }
    // Federated: an unscoped token from the access token, then rescoped by Keystone alone.
    if (scope !== 'unscoped') {
      const unscoped = await this.token('unscoped');
      if (!unscoped.ok) return unscoped;
      return this.count(
        await createToken(
          this.keystone,
          tokenAuthBody(unscoped.value.id, scope),
        ),
      );
    }
    let accessToken: string;
    try {
      accessToken =
        typeof credential.accessToken === 'string'
          ? credential.accessToken
          : await credential.accessToken();
    } catch (error) {
      return {
        ok: false,
        error: {
          kind: 'auth',
          message: `no OIDC access token: ${(error as Error).message}`,
        },
      };
    }
    return this.count(
      await createFederatedToken(this.keystone, {
        identityProvider: credential.identityProvider,
        protocol: credential.protocol,
        accessToken,
        authUrl: credential.authUrl,
      }),
    );
  }

  private count(result: HttpResult<Token>): Lookup<Token> {
    if (result.evidence) this.lastIssuedEvidence = result.evidence;
    if (!result.ok) {
      return {
        ok: false,
        error: authError(result.error),
        evidence: result.evidence,
      };
    }
    this.issued += 1;
    return { ok: true, value: result.data };
  }
}

// The token request's failure, told as what it means for the request that needed the token.
function authError(error: HttpError): HttpError {
  return {
    ...error,
    kind: error.kind === 'http' ? 'auth' : error.kind,
    message: `authentication failed: ${error.message}`,
  };
}

function scopeKey(scope: Scope): string {
  return scope === 'unscoped' ? 'unscoped' : JSON.stringify(scope);
}
