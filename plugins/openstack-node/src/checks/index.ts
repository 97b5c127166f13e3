/**
 * The compliance engine: the catalogue of checks (one file each, under their area's folder),
 * the engine that runs them with their prerequisites, the profiles that score them, and
 * `scanSite`, which scans one site. Exported: the scan, its inputs and report, the catalogue,
 * the profiles' scoring, and the schema of the settings' overrides as config writes them.
 */
export { checksFor, scanSite, type ScanOptions, type ScanReport } from './scan';
export type {
  ExternalSources,
  ScanContext,
  ScanSessions,
  ScanSettings,
  SiteUnderTest,
} from './context';
export type { CheckProgress } from './engine';
export { CHECKS } from './catalogue';
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
  notEvaluatedCheck,
  PROFILE_CHECKS,
  profileReadiness,
  READINESS_STATES,
  scoreProfile,
  type NotEvaluatedCheck,
  type ProfileId,
  type ProfileScore,
  type ProfileSettings,
  type Readiness,
} from './profiles';
export {
  scanSettingsOverridesSchema,
  type ScanSettingsOverrides,
} from './scanSettingsSchema';
