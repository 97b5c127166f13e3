import { createExtensionPoint } from '@backstage/backend-plugin-api';
import type {
  Check,
  ProfileDefinition,
  ScanContext,
} from '@fedstack/plugin-openstack-node';

/**
 * Adds checks and profiles to the OpenStack backend's scans, from a backend module: an NGI's own
 * requirement as a check, and a profile that applies it (usually `basedOn: 'egi-fedcloud'`).
 * Added checks run in every scan whose profiles name them, with the same prerequisites,
 * evidence and scoring as the built-in ones; they show on the scorecard, the fleet page, the
 * console and the REST API. What is added is checked at start: a duplicate id, an unknown
 * prerequisite or a profile naming an unknown check stops the backend with every problem named.
 *
 * @public
 */
export interface OpenStackComplianceExtensionPoint {
  /** Checks, listed after the built-in ones (and those added before). */
  addChecks(...checks: Array<Check<ScanContext>>): void;
  /** Profiles: which checks apply, their weights, and the readiness rule. */
  addProfiles(...profiles: ProfileDefinition[]): void;
}

/**
 * The extension point of `OpenStackComplianceExtensionPoint`.
 *
 * @public
 */
export const openstackComplianceExtensionPoint =
  createExtensionPoint<OpenStackComplianceExtensionPoint>({
    id: 'openstack.compliance',
  });
