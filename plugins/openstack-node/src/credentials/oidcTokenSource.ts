import { z } from 'zod';
import { EvidenceSink } from '../client/evidence';
import { OpenStackHttp } from '../client/http';

/**
 * Where federation.login's test account gets its OIDC access token, as EGI's monitoring probes
 * and fedcloudclient get theirs: a refresh token (`grant_type=refresh_token`) or the client's own
 * credentials (`grant_type=client_credentials`) exchanged at the issuer's token endpoint.
 */
export interface OidcTokenSourceOptions {
  /** The issuer's token endpoint, e.g. `https://aai.egi.eu/auth/realms/egi/protocol/openid-connect/token`. */
  tokenUrl: string;
  clientId: string;
  /** Absent for a public client (refresh token only). */
  clientSecret?: string;
  /** When set, the refresh-token grant; otherwise client credentials. */
  refreshToken?: string;
  /** Scopes asked for, space-separated, e.g. `openid eduperson_entitlement`. */
  scope?: string;
  /** The client that asks (its CA, timeout, address policy); the secrets are added to its redactor. */
  http: OpenStackHttp;
  now?: () => number;
}

export interface OidcTokenSource {
  readonly grant: 'refresh_token' | 'client_credentials';
  /** A valid access token: the last one while it has a minute left, else a new exchange. */
  accessToken(recorder?: EvidenceSink): Promise<string>;
}

export class OidcTokenError extends Error {}

const tokenAnswerSchema = z.looseObject({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z.coerce.number().positive().optional(),
  refresh_token: z.string().min(1).optional(),
});

// Kept unless the issuer says otherwise (Check-in's access tokens live an hour).
const DEFAULT_LIFETIME_S = 300;
const RENEW_BEFORE_MS = 60_000;

export function oidcTokenSource(
  options: OidcTokenSourceOptions,
): OidcTokenSource {
  const now = options.now ?? Date.now;
  const grant = options.refreshToken ? 'refresh_token' : 'client_credentials';
  if (grant === 'client_credentials' && !options.clientSecret) {
    throw new OidcTokenError(
      'an OIDC token source needs a refresh token or a client secret',
    );
  }
  options.http.addSecrets(options.clientSecret, options.refreshToken);
  // The issuer may rotate the refresh token: the newest one is used next.
  let refreshToken = options.refreshToken;
  let current: { token: string; until: number } | undefined;
  let inFlight: Promise<string> | undefined;

  const exchange = async (recorder?: EvidenceSink): Promise<string> => {
    const form: Record<string, string> = {
      grant_type: grant,
      client_id: options.clientId,
    };
    if (options.clientSecret) form.client_secret = options.clientSecret;
    if (refreshToken) form.refresh_token = refreshToken;
    if (options.scope) form.scope = options.scope;
    const answer = await options.http.request(
      {
        method: 'POST',
        url: options.tokenUrl,
        form,
        schema: tokenAnswerSchema,
      },
      recorder,
    );
    if (!answer.ok) {
      throw new OidcTokenError(
        `the token endpoint ${options.tokenUrl} gave no access token (${grant} grant): ${answer.error.message}`,
      );
    }
    const lifetimeMs = (answer.data.expires_in ?? DEFAULT_LIFETIME_S) * 1000;
    options.http.addExpiringSecret(
      answer.data.access_token,
      new Date(now() + lifetimeMs),
    );
    if (answer.data.refresh_token) {
      refreshToken = answer.data.refresh_token;
      options.http.addSecrets(refreshToken);
    }
    current = { token: answer.data.access_token, until: now() + lifetimeMs };
    return answer.data.access_token;
  };

  return {
    grant,
    async accessToken(recorder) {
      if (current && current.until - RENEW_BEFORE_MS > now())
        return current.token;
      // Concurrent scans share one exchange.
      inFlight ??= exchange(recorder).finally(() => {
        inFlight = undefined;
      });
      return inFlight;
    },
  };
}
