export interface Config {
  /** The portal's own settings. */
  fedstack?: {
    /**
     * Groups whose members approve tenant requests and run replications (the permission
     * policy's platform operators), as entity refs, e.g. `group:default/platform-team`.
     * Nobody may when unset.
     */
    platformOperators?: string[];
  };
}
