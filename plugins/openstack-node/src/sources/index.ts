/**
 * External sources: what the registration and accounting checks (and the catalog module's GOCDB
 * provider) ask outside the site. See README.md. Exported: the one GOCDB reader, the one
 * comparison of endpoint URLs, the per-fleet source cache and where accounting is looked up.
 */
export {
  gocdbServices,
  gocdbServiceUrls,
  gocdbSites,
  type GocdbLookup,
  type GocdbService,
  type GocdbSite,
} from './gocdb';
export {
  compareEndpointUrls,
  normalEndpointUrl,
  type UrlComparison,
  type UrlSpelling,
} from './urls';
export { createSourceCache, type SourceCache } from './sourceCache';
export type { AccountingSourceSettings } from './accounting';
