/**
 * The fedstack OpenStack library: the OpenStack client, the compliance checks and the
 * replication planner. It knows OpenStack and nothing of Backstage.
 *
 * @packageDocumentation
 */
export { Redactor, REDACTED } from './client/redaction';

// The OpenStack client: one OpenStackHttp per site, one OpenStackSession per credential set.
export {
  OpenStackHttp,
  mapData,
  withQuery,
  type HttpError,
  type HttpErrorKind,
  type HttpRequest,
  type HttpResult,
  type OpenStackHttpOptions,
  type QueryValue,
} from './client/http';
export {
  EvidenceRecorder,
  type Evidence,
  type EvidenceSink,
} from './client/evidence';
export {
  ServiceClient,
  joinUrl,
  type Lookup,
  type ServiceClientOptions,
  type ServiceRequest,
} from './client/service';
export {
  OpenStackSession,
  type OpenStackSessionOptions,
} from './client/session';
export {
  apiVersionSchema,
  compareVersions,
  parseVersionNumber,
  versionDocumentSchema,
  versionRootUrl,
  type ApiVersion,
} from './client/discovery';

export {
  Authenticator,
  type AuthenticatorOptions,
} from './client/identity/authenticator';
export {
  authBody,
  createFederatedToken,
  createToken,
  scopeBody,
  tokenAuthBody,
  tokenBodySchema,
  type ApplicationCredential,
  type Credential,
  type DomainRef,
  type OidcCredential,
  type PasswordCredential,
  type Scope,
  type Token,
} from './client/identity/tokens';
export {
  catalogSchema,
  getAuthCatalog,
  listEndpoints,
  selectEndpoint,
  type Catalog,
  type CatalogEndpoint,
  type CatalogService,
  type EndpointInterface,
  type EndpointSelector,
  type SelectedEndpoint,
} from './client/identity/catalog';
export {
  getIdentityV3Version,
  listIdentityVersions,
} from './client/identity/versions';
export {
  getIdentityProvider,
  getMapping,
  getProtocol,
  listIdentityProviders,
  listMappings,
  listProtocols,
  mappingRuleSchema,
  mappingSchema,
  type IdentityProvider,
  type Mapping,
  type MappingRule,
  type Protocol,
} from './client/identity/federation';
export { getDomain, listDomains, type Domain } from './client/identity/domains';
export {
  getProject,
  listAuthProjects,
  listProjects,
  type Project,
} from './client/identity/projects';
export {
  listGroupUsers,
  listGroups,
  type Group,
} from './client/identity/groups';
export { getUser, listUsers, type User } from './client/identity/users';
export { listRoles, type Role } from './client/identity/roles';
export {
  listRoleAssignments,
  type RoleAssignment,
  type RoleAssignmentFilters,
} from './client/identity/roleAssignments';
export { identityApi, type IdentityApi } from './client/identity/index';

export { computeApi, type ComputeApi } from './client/compute/index';
export {
  getComputeVersion,
  listComputeVersions,
} from './client/compute/versions';
export { listFlavors, type Flavor } from './client/compute/flavors';
export {
  getServerMetadata,
  listServers,
  type Server,
  type ServerFilters,
} from './client/compute/servers';
export {
  getTenantUsage,
  listTenantUsages,
  type TenantUsage,
} from './client/compute/usage';
export {
  getComputeQuotaSet,
  getComputeQuotaSetDetail,
  updateComputeQuotaSet,
  type ComputeQuotaSet,
  type ComputeQuotaSetDetail,
} from './client/compute/quotas';
export { listBlockStorageVersions } from './client/blockstorage/versions';
export {
  getBlockStorageQuotaSet,
  updateBlockStorageQuotaSet,
  type BlockStorageQuotaUsage,
} from './client/blockstorage/quotas';
export { listImageVersions } from './client/image/versions';
export { listImages, type Image } from './client/image/images';
export { listVolumes, type Volume } from './client/blockstorage/volumes';
export { listSnapshots, type Snapshot } from './client/blockstorage/snapshots';
export { listFloatingIps, type FloatingIp } from './client/network/floatingips';
export { listRouters, type Router } from './client/network/routers';
export { listNetworkVersions } from './client/network/versions';
export {
  getNetworkQuota,
  getNetworkQuotaDetails,
  updateNetworkQuota,
  type NetworkQuotaUsage,
} from './client/network/quotas';
export { getObjectStoreInfo, type SwiftInfo } from './client/objectstore/info';

// Compliance checks: the catalogue, the engine, profiles and scores, and a whole-site scan.
export { CHECKS, checkById } from './checks/catalogue';
export {
  runChecks,
  type CheckProgress,
  type RunChecksOptions,
} from './checks/engine';
export {
  DEFAULT_WEIGHTS,
  MUST_BE_EVALUATED,
  notEvaluatedCheck,
  PROFILE_CHECKS,
  profileCheckIds,
  profileReadiness,
  READINESS_STATES,
  scoreProfile,
  type NotEvaluatedCheck,
  type ProfileId,
  type ProfileScore,
  type ProfileSettings,
  type Readiness,
} from './checks/profiles';
export {
  DEFAULT_SCAN_SETTINGS,
  type AccountingSourceSettings,
  type ExternalSources,
  type ScanContext,
  type ScanSessions,
  type ScanSettings,
  type SiteUnderTest,
} from './checks/context';
export {
  checksFor,
  scanSite,
  type ScanOptions,
  type ScanReport,
} from './checks/scan';
export {
  CHECK_AREAS,
  CHECK_STATUSES,
  SEVERITIES,
  type Check,
  type CheckArea,
  type CheckMetadata,
  type CheckOutcome,
  type CheckResult,
  type CheckStatus,
  type Severity,
} from './checks/types';
export {
  main as runCli,
  EXIT_COULD_NOT_SCAN,
  EXIT_NOT_READY,
  EXIT_READY,
} from './cli/main';
export {
  AddressPolicy,
  ALWAYS_DENIED,
  invalidRanges,
  type AddressPolicyOptions,
} from './client/addressPolicy';
export {
  formatJunit,
  formatReport,
  formatTable,
  type JunitReport,
  type ReportFormat,
} from './cli/reportFormats';

// The scan's settings as config writes them, and federation.login's OIDC token source.
export {
  scanSettingsOverridesSchema,
  type ScanSettingsOverrides,
} from './checks/scanSettingsSchema';
export {
  oidcTokenSource,
  OidcTokenError,
  type OidcTokenSource,
  type OidcTokenSourceOptions,
} from './oidc/tokenSource';

// One account as configured (CLI and backend credential sets), and its one converter.
export {
  CREDENTIAL_TYPES,
  credentialConfigSchema,
  CredentialConfigError,
  credentialSecrets,
  OidcTokenSources,
  toCredential,
  type CredentialConfig,
  type CredentialType,
  type ToCredentialOptions,
} from './credentials/credentialConfig';

// A strict reader of the plain data XML GOCDB writes, fast-xml-parser plus refusals (sources/xml.ts).
export { childText, parseXml, XmlError, type XmlElement } from './sources/xml';

// External sources read once per fleet scan (a TTL cache passed in every scan's sources), the
// one GOCDB reader (the registration check and the backend's site provider) and the one
// comparison of endpoint URLs.
export { createSourceCache, type SourceCache } from './sources/sourceCache';
export {
  gocdbServices,
  gocdbServiceUrls,
  gocdbSites,
  type GocdbLookup,
  type GocdbService,
  type GocdbSite,
} from './sources/gocdb';
export {
  compareEndpointUrls,
  normalEndpointUrl,
  type UrlComparison,
  type UrlSpelling,
} from './sources/urls';

// A bounded-concurrency map (sites, tenants, projects a few at a time).
export { mapLimited } from './mapLimited';

// Tenant replication: desired tenants → plan → only the differences written.
export * from './replication';

// Metering: per-project usage samples (the metering account's view) and usage over time.
export * from './metering/index';
export {
  listLoadBalancers,
  type LoadBalancer,
} from './client/loadbalancer/loadbalancers';

// The site console: an allow-listed, read-only subset of the openstack CLI (see src/console).
export * from './console';
