/**
 * The OpenStack client SDK: one `OpenStackHttp` per site (deadlines, bounded bodies, no
 * redirects followed, redacted evidence of every request, an address policy), one
 * `OpenStackSession` per credential set (tokens reused, the catalog read from the token,
 * `session.identity.*`, `session.compute.*`, …). See README.md. The resource modules
 * (`identity/`, `compute/`, …) are reached through the session, not exported one by one.
 */
export {
  OpenStackHttp,
  type HttpError,
  type HttpErrorKind,
  type HttpRequest,
  type HttpResult,
  type OpenStackHttpOptions,
  type QueryValue,
} from './http';
export { OpenStackSession, type OpenStackSessionOptions } from './session';
export type {
  ApplicationCredential,
  Credential,
  DomainRef,
  OidcCredential,
  PasswordCredential,
  Scope,
} from './identity/tokens';
export { Redactor } from './redaction';
export { EvidenceRecorder, type Evidence, type EvidenceSink } from './evidence';
export {
  AddressPolicy,
  invalidRanges,
  type AddressPolicyOptions,
  type AddressResolver,
} from './addressPolicy';
// A bounded-concurrency map (sites, tenants, projects a few at a time).
export { mapLimited } from './mapLimited';
