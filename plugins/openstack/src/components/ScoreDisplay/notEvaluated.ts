import { ProfileScore } from '@fedstack/plugin-openstack-common';

const checks = (count: number) => `${count} check${count === 1 ? '' : 's'}`;

/**
 * "5 checks not evaluated (4 critical/major)": what the score leaves out, and how much of it
 * holds readiness back. Undefined when every check of the profile was evaluated.
 */
export function notEvaluatedSummary(
  profile: Pick<ProfileScore, 'notEvaluated'>,
): string | undefined {
  const all = profile.notEvaluated.length;
  if (all === 0) return undefined;
  const required = profile.notEvaluated.filter(c => c.blocksReadiness).length;
  return `${checks(all)} not evaluated${
    required > 0 ? ` (${required} critical/major)` : ''
  }`;
}

/** One line per check not evaluated: its id and why. */
export function notEvaluatedReasons(
  profile: Pick<ProfileScore, 'notEvaluated'>,
): string {
  return profile.notEvaluated
    .map(check => `${check.checkId} (${check.severity}): ${check.reason}`)
    .join('\n');
}

/** Why a profile is incomplete rather than ready: "4 critical/major checks not evaluated". */
export function incompleteReason(
  profile: Pick<ProfileScore, 'notEvaluated'>,
): string {
  const required = profile.notEvaluated.filter(c => c.blocksReadiness).length;
  return `${required} critical/major check${
    required === 1 ? '' : 's'
  } not evaluated`;
}
