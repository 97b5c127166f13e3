/**
 * Accounts as configured (the CLI's config file and the backend's credential sets take the same
 * ones) and their one converter to a client `Credential`; the OIDC token sources behind
 * the `oidc-*` accounts (Check-in's token endpoint, by client credentials or refresh token);
 * the CA certificates of a CA file or directory (OpenSSL's capath, IGTF's trust anchors).
 */
export {
  caCertificatesOf,
  credentialConfigSchema,
  CredentialConfigError,
  credentialSecrets,
  describeAccount,
  OidcTokenSources,
  toCredential,
  type CredentialConfig,
  type CredentialType,
  type ToCredentialOptions,
} from './credentialConfig';
export type { OidcTokenSource } from './oidcTokenSource';
export {
  CaCertificatesError,
  readCaCertificates,
  type CaLocations,
} from './caCertificates';
