export interface Config {
  /** The portal's own settings. */
  fedstack?: {
    /**
     * Groups whose members approve tenant requests and run replications (the permission
     * policy's platform operators), as entity refs, e.g. `group:default/platform-team`.
     * Nobody may when unset.
     */
    platformOperators?: string[];
    /**
     * Groups whose members approve waivers of a check on a site (e.g. the federation manager
     * group), as entity refs; the platform operators when unset.
     */
    waiverApprovers?: string[];
  };
}
