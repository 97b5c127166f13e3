import { NotificationService } from '@backstage/plugin-notifications-node';
import { ProfileScore } from '@fedstack/plugin-openstack-common';

/** Profiles a site was ready for in its previous scan and is not any more. */
export function readinessLost(
  before: ProfileScore[] | undefined,
  after: ProfileScore[],
): ProfileScore[] {
  if (!before) return [];
  return after.filter(
    profile =>
      !profile.ready &&
      before.find(p => p.profileId === profile.profileId)?.ready === true,
  );
}

/** What stands in the way: failed critical checks, and required checks no longer evaluated. */
function readinessLostReasons(lost: ProfileScore[]): string {
  const blocking = [...new Set(lost.flatMap(p => p.blocking))];
  const notEvaluated = [
    ...new Set(
      lost.flatMap(p =>
        p.notEvaluated
          .filter(check => check.blocksReadiness)
          .map(check => `${check.checkId} (${check.reason})`),
      ),
    ),
  ];
  return [
    ...(blocking.length > 0 ? [`Blocking: ${blocking.join(', ')}`] : []),
    ...(notEvaluated.length > 0
      ? [`Not evaluated: ${notEvaluated.join(', ')}`]
      : []),
  ].join('. ');
}

/**
 * Tells the site's owners (the notifications backend resolves a Resource to its owner) that the
 * site lost readiness, and which checks stand in the way.
 */
export async function notifyReadinessLost(
  notifications: NotificationService,
  siteRef: string,
  lost: ProfileScore[],
): Promise<void> {
  if (lost.length === 0) return;
  const [, namespaceAndName] = siteRef.split(':');
  const [namespace, name] = namespaceAndName.split('/');
  await notifications.send({
    recipients: { type: 'entity', entityRef: siteRef },
    payload: {
      title: `OpenStack site ${name} is no longer ready for ${lost
        .map(p => p.profileId)
        .join(' and ')}`,
      description: readinessLostReasons(lost),
      link: `/catalog/${namespace}/resource/${name}/openstack`,
      severity: 'high',
      topic: 'openstack-readiness',
    },
  });
}
