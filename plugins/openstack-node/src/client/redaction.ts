/**
 * Secrets must never reach evidence, logs or API answers. Redaction works on two levels:
 * by name (headers and JSON keys that always hold secrets) and by value (every secret the
 * client was configured with, wherever it shows up, e.g. echoed back in an error page).
 */

export const REDACTED = '<redacted>';

const SECRET_HEADER_NAMES = new Set([
  'authorization',
  'cookie',
  'set-cookie',
  'x-auth-token',
  'x-subject-token',
  'x-service-token',
  'proxy-authorization',
]);

// JSON keys whose string values are secrets in Keystone, OIDC and our own config.
const SECRET_KEY_PATTERN =
  /^(password|secret|client_secret|access_token|refresh_token|id_token|token|passcode|totp)$/i;

export class Redactor {
  private readonly secrets: string[];

  constructor(secrets: Iterable<string | undefined> = []) {
    // Longest first, so that a secret containing another is replaced whole.
    this.secrets = [...new Set([...secrets].filter(isUsefulSecret))].sort(
      (a, b) => b.length - a.length,
    );
  }

  get size(): number {
    return this.secrets.length;
  }

  /** A redactor that also knows these secrets (e.g. a token just issued). */
  with(...secrets: Array<string | undefined>): Redactor {
    return new Redactor([...this.secrets, ...secrets]);
  }

  text(value: string): string {
    let out = value;
    for (const secret of this.secrets) {
      out = out.split(secret).join(REDACTED);
    }
    return out;
  }

  headers(
    headers: Record<string, unknown> | undefined,
  ): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers ?? {})) {
      if (value === undefined || value === null) continue;
      out[name.toLowerCase()] = SECRET_HEADER_NAMES.has(name.toLowerCase())
        ? REDACTED
        : this.text(Array.isArray(value) ? value.join(', ') : String(value));
    }
    return out;
  }

  /** Deep copy of a JSON value with secret keys and known secret values redacted. */
  json(value: unknown): unknown {
    if (typeof value === 'string') return this.text(value);
    if (Array.isArray(value)) return value.map(item => this.json(item));
    if (value && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) {
        out[key] =
          SECRET_KEY_PATTERN.test(key) && typeof item === 'string'
            ? REDACTED
            : this.json(item);
      }
      return out;
    }
    return value;
  }
}

// Very short values (e.g. "a") would shred unrelated text; such a secret is no secret anyway.
function isUsefulSecret(value: string | undefined): value is string {
  return typeof value === 'string' && value.length >= 4;
}
