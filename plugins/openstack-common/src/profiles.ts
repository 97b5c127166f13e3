/**
 * Profiles group checks: `egi-fedcloud` is what a site needs to join the EGI Federated Cloud,
 * `tenant-platform` what a tenant-replication platform needs to manage the site.
 */
export const PROFILE_IDS = ['egi-fedcloud', 'tenant-platform'] as const;

export type ProfileId = (typeof PROFILE_IDS)[number];

export function isProfileId(value: string): value is ProfileId {
  return (PROFILE_IDS as readonly string[]).includes(value);
}
