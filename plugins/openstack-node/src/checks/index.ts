/**
 * The compliance engine: the catalogue of checks (one file each, under their area's folder),
 * the engine that runs them with their prerequisites, the profiles that score them, and
 * `scanSite`, which scans one site. Exported: the scan, its inputs and report, the catalogue
 * (built-in checks and profiles, and what modules add), the profiles' scoring, and the schema of the settings' overrides as config writes them.
 */
export { scanSite, type ScanOptions, type ScanReport } from './scan';
export type {
  ExternalSources,
  ScanContext,
  ScanSessions,
  ScanSettings,
  SiteUnderTest,
} from './context';
export type { CheckProgress } from './engine';
export { BUILT_IN_CHECKS } from './catalogue';
export { CatalogueError, ComplianceCatalogue } from './complianceCatalogue';
export type {
  Check,
  CheckArea,
  CheckMetadata,
  CheckOutcome,
  CheckResult,
  CheckStatus,
  Severity,
} from './types';
export {
  BUILT_IN_PROFILES,
  DEFAULT_READINESS_RULE,
  DEFAULT_WEIGHTS,
  notEvaluatedCheck,
  profileReadiness,
  scoreProfile,
  type Profile,
  type ProfileDefinition,
  type ProfileSettings,
  type ReadinessRule,
  type WaivedChecks,
} from './profiles';
export {
  scanSettingsOverridesSchema,
  type ScanSettingsOverrides,
} from './scanSettingsSchema';
