import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  isResourcePermission,
  PolicyDecision,
  ResourcePermission,
} from '@backstage/plugin-permission-common';

/** How long a caller's unconditional decision on a permission is reused. */
export const DECISION_CACHE_MS = 5_000;
/** Callers × permissions kept; beyond that the cache starts over. */
const MAX_ENTRIES = 10_000;

/**
 * The permission service with, per caller and resource permission, the policy's answer for the
 * permission as such kept for a few seconds. When that answer is allow or deny it answers the
 * questions about single resources too; when it is conditional (e.g. "the site's owners") they
 * still go to the permission backend, each time. Each question is an HTTP round trip to the
 * permission backend; for the portal's policy ("everyone may read") it was ~2/3 of the CPU
 * time of a scorecard read. A changed policy or membership applies within DECISION_CACHE_MS.
 */
export function withDecisionCache(
  permissions: PermissionsService,
  options: { ttlMs?: number; now?: () => number } = {},
): PermissionsService {
  const ttlMs = options.ttlMs ?? DECISION_CACHE_MS;
  const now = options.now ?? Date.now;
  const cache = new Map<
    string,
    { at: number; decision: Promise<PolicyDecision> }
  >();

  const callerKey = (credentials: BackstageCredentials): string | undefined => {
    const principal = credentials.principal as { type?: string };
    if (principal.type === 'user' || principal.type === 'service') {
      return JSON.stringify(principal);
    }
    return undefined;
  };

  /** The policy's answer for the permission as such, without a resource. */
  const unconditional = (
    credentials: BackstageCredentials,
    caller: string,
    permission: ResourcePermission,
  ): Promise<PolicyDecision> => {
    const key = `${caller}\n${permission.name}`;
    const at = now();
    const kept = cache.get(key);
    if (kept && at - kept.at < ttlMs) return kept.decision;
    if (cache.size >= MAX_ENTRIES) cache.clear();
    const decision = permissions
      .authorizeConditional([{ permission }], { credentials })
      .then(([answer]) => answer);
    const entry = { at, decision };
    cache.set(key, entry);
    // A failed question is not kept: the next request asks again.
    decision.catch(() => {
      if (cache.get(key) === entry) cache.delete(key);
    });
    return decision;
  };

  return {
    async authorizeConditional(queries, opts) {
      const caller = callerKey(opts.credentials);
      if (!caller) return permissions.authorizeConditional(queries, opts);
      return Promise.all(
        queries.map(query =>
          unconditional(opts.credentials, caller, query.permission),
        ),
      );
    },
    async authorize(requests, opts) {
      const caller = callerKey(opts.credentials);
      if (!caller) return permissions.authorize(requests, opts);
      const answers = await Promise.all(
        requests.map(async request =>
          request.resourceRef && isResourcePermission(request.permission)
            ? (
                await unconditional(
                  opts.credentials,
                  caller,
                  request.permission,
                )
              ).result
            : AuthorizeResult.CONDITIONAL,
        ),
      );
      // What the cache cannot answer goes to the permission backend, in one request.
      const open = requests.filter(
        (_, i) => answers[i] === AuthorizeResult.CONDITIONAL,
      );
      const asked = open.length ? await permissions.authorize(open, opts) : [];
      let next = 0;
      return answers.map(result =>
        result === AuthorizeResult.CONDITIONAL
          ? asked[next++]
          : { result: result as AuthorizeResult.ALLOW | AuthorizeResult.DENY },
      );
    },
  };
}
