import { LoggerService } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { tenantReplicationSchema } from '@fedstack/plugin-openstack-common';
import { z } from 'zod';
import { OpenStackPluginConfig } from '../config';
import { TenantRecord } from './TenantStore';

/**
 * What tenants tell people through Backstage's notifications: the approvers what waits for them,
 * the requester and the workspace how it went, a member that their pending membership was added.
 * The functions below decide what to send (pure, so the de-duplication is tested without a
 * backend); {@link TenantNotices} sends it.
 *
 * De-duplication: each notice has a `scope` (tenant id and state), so the notifications backend
 * updates a user's earlier notification of the same tenant and state instead of adding one, and
 * a notice is made only when the tenant's state changed (by the write that changed it, which the
 * store lets only one backend instance make): a replication that changes nothing sends nothing.
 */

export type NoticeSeverity = 'critical' | 'high' | 'normal' | 'low';

export interface TenantNotice {
  /** Users and groups (the notifications backend resolves a group to its members). */
  recipients: string[];
  /** Who did it: told nothing of their own act. */
  exclude?: string;
  tenantId: string;
  /** The scope's state part: one notification per tenant and state. */
  state: string;
  title: string;
  description: string;
  severity: NoticeSeverity;
}

export const TENANT_TOPIC = 'openstack-tenants';

/** The notifications' scope: the tenant and the state the notification is about. */
export function noticeScope(notice: Pick<TenantNotice, 'tenantId' | 'state'>) {
  return `openstack-tenant:${notice.tenantId}:${notice.state}`;
}

type Replication = z.infer<typeof tenantReplicationSchema>;

function replicationOf(tenant: TenantRecord): Replication | undefined {
  const parsed = tenantReplicationSchema.safeParse(tenant.lastReplication);
  return parsed.success ? parsed.data : undefined;
}

const nameOf = (ref: string) => {
  try {
    return parseEntityRef(ref).name;
  } catch {
    return ref;
  }
};

/** `team-a/app on site-a`: how a notice names a tenant. */
export function tenantLabel(
  tenant: Pick<TenantRecord, 'workspace' | 'project' | 'siteRef'>,
) {
  return `${nameOf(tenant.workspace)}/${tenant.project} on ${nameOf(
    tenant.siteRef,
  )}`;
}

const sentence = (text: string) => (/[.!?]$/.test(text) ? text : `${text}.`);
const withComment = (text: string, comment?: string) =>
  comment ? `${text}: “${comment}”.` : `${text}.`;

// Descriptions carry Keystone's error messages: kept to a readable length.
const MAX_DESCRIPTION = 1000;
const clip = (text: string) =>
  text.length > MAX_DESCRIPTION
    ? `${text.slice(0, MAX_DESCRIPTION - 1)}…`
    : text;

/** To the approvers: a tenant request, or a tenant's deletion, waits for them. */
export function approvalNotice(
  tenant: TenantRecord,
  kind: 'request' | 'deletion',
  options: { approvers: string[]; requester: string },
): TenantNotice | undefined {
  if (options.approvers.length === 0) return undefined;
  const label = tenantLabel(tenant);
  return {
    recipients: options.approvers,
    // The requester may be an approver too, but never approves their own request.
    exclude: options.requester,
    tenantId: tenant.id,
    state: kind === 'request' ? 'approval' : 'deletion-approval',
    title:
      kind === 'request'
        ? `Tenant ${label} waits for approval`
        : `Deletion of tenant ${label} waits for approval`,
    description:
      kind === 'request'
        ? `${options.requester} requested project ${tenant.project} for ${tenant.workspace} on ${tenant.siteRef} (landing zone ${tenant.landingZone}).`
        : `${options.requester} asked to delete tenant ${label}: its role bindings are revoked at once, its groups (and, where the landing zone says so, its project) go once the deletion is approved.`,
    severity: 'normal',
  };
}

/** To the requester and the workspace: an approver approved or rejected a request or a deletion. */
export function decisionNotice(
  tenant: TenantRecord,
  options: {
    kind: 'request' | 'deletion';
    decision: 'approve' | 'reject';
    actor: string;
    requester?: string;
    comment?: string;
  },
): TenantNotice {
  const { kind, decision, actor } = options;
  const label = tenantLabel(tenant);
  const approved = decision === 'approve';
  const what =
    kind === 'request' ? `Tenant ${label}` : `Deletion of tenant ${label}`;
  // What happens next, by kind and decision.
  const next = {
    request: {
      approve: " It is replicated into the site's Keystone next.",
      reject: '',
    },
    deletion: {
      approve: ' Its groups are removed at the next replication.',
      reject:
        ' The tenant stays, and its bindings come back at the next replication.',
    },
  }[kind][decision];
  return {
    recipients: [
      ...(options.requester ? [options.requester] : []),
      tenant.workspace,
    ],
    exclude: actor,
    tenantId: tenant.id,
    state: `${kind === 'request' ? '' : 'deletion-'}${
      approved ? 'approved' : 'rejected'
    }`,
    title: `${what} ${approved ? 'approved' : 'rejected'}`,
    description: `${withComment(
      `${approved ? 'Approved' : 'Rejected'} by ${actor}`,
      options.comment,
    )}${next}`,
    severity: 'normal',
  };
}

/**
 * To the requester and the workspace, after a replication wrote a tenant's outcome (`after`,
 * with the run's report; `before`, the tenant as the run read it): replicated the first time or
 * again after failing, changes written, failed (once, until it recovers), or deleted. Nothing for
 * a run that changed nothing. `runError`: the whole run failed before it got to the tenants.
 */
export function replicationNotice(
  before: TenantRecord,
  after: TenantRecord,
  runError?: string,
): TenantNotice | undefined {
  const label = tenantLabel(after);
  const report = replicationOf(after);
  const base = {
    recipients: [after.requestedBy, after.workspace],
    tenantId: after.id,
  };
  if (after.status === 'deleted' && before.status !== 'deleted')
    return {
      ...base,
      state: 'deleted',
      title: `Tenant ${label} deleted`,
      description: `Its groups${
        after.projectId
          ? ' (and, where the landing zone says so, its project)'
          : ''
      } were removed from the site's Keystone.`,
      severity: 'normal',
    };
  if (after.status === 'failed') {
    // A tenant that keeps failing is told once: the daily run would repeat it otherwise.
    if (before.status === 'failed') return undefined;
    const errors = runError ? [runError] : report?.errors ?? [];
    return {
      ...base,
      state: 'failed',
      title: `Replication of tenant ${label} failed`,
      description: clip(
        errors.length > 0
          ? errors.map(sentence).join(' ')
          : 'The replication did not complete; the tenant page shows its steps.',
      ),
      severity: 'high',
    };
  }
  if (after.status === 'successful') {
    const writes = (report?.steps ?? []).filter(s => s.outcome === 'done');
    const first = before.status !== 'successful';
    // A run that found nothing to write keeps the earlier run on show: nothing new to tell.
    const sameRun = replicationOf(before)?.runId === report?.runId;
    if (!first && (writes.length === 0 || sameRun)) return undefined;
    const remarks = report?.remarks ?? [];
    return {
      ...base,
      state: 'replicated',
      title: first ? `Tenant ${label} is ready` : `Tenant ${label} updated`,
      description: clip(
        [
          `${
            first ? 'Replicated' : 'Changes replicated'
          } into the site's Keystone${
            after.projectId ? ` (project ${after.projectId})` : ''
          }: ${writes.length} write(s).`,
          ...(remarks.length > 0
            ? [`Left for later: ${remarks.map(sentence).join(' ')}`]
            : []),
        ].join(' '),
      ),
      severity: 'normal',
    };
  }
  return undefined;
}

/**
 * Members the replication could not add yet, from its remarks (the node library's wording:
 * `member <euid> (<role>) has no account on the site yet…` or `… matches N users…`).
 */
export function pendingMembers(
  remarks: readonly string[],
): Array<{ euid: string; role: string }> {
  const pending: Array<{ euid: string; role: string }> = [];
  for (const remark of remarks) {
    const match =
      /^member (\S+) \(([^)]+)\) (?:has no account|matches \d+ users)/.exec(
        remark,
      );
    if (match) pending.push({ euid: match[1], role: match[2] });
  }
  return pending;
}

/**
 * A member's Backstage user: named after their Check-in subject as the Check-in sign-in module
 * names users (the part before the last `@`, at most 63 characters, lower case). Undefined when
 * it makes no entity name.
 */
export function memberUserRef(
  euid: string,
  namespace: string,
): string | undefined {
  const at = euid.lastIndexOf('@');
  const name = (at > 0 ? euid.slice(0, at) : euid).slice(0, 63);
  if (!/^[a-z0-9A-Z]([a-z0-9A-Z._-]*[a-z0-9A-Z])?$/.test(name))
    return undefined;
  return stringifyEntityRef({ kind: 'user', namespace, name }).toLowerCase();
}

/**
 * To each member whose membership the last run left pending (a remark) and this run added
 * (`added`: the external ids of this run's successful add-member writes for the tenant).
 */
export function memberNotices(
  before: TenantRecord,
  after: TenantRecord,
  added: readonly string[],
  namespace: string,
): TenantNotice[] {
  const pending = pendingMembers(replicationOf(before)?.remarks ?? []);
  const label = tenantLabel(after);
  return pending
    .filter(member => added.includes(member.euid))
    .flatMap(member => {
      const user = memberUserRef(member.euid, namespace);
      if (!user) return [];
      return [
        {
          recipients: [user],
          tenantId: after.id,
          state: `member:${member.euid}`,
          title: `You were added to tenant ${label}`,
          description: `Your account ${member.euid} is now a member (${member.role}) of the tenant's project on the site.`,
          severity: 'normal' as const,
        },
      ];
    });
}

/** How long one send may take: an approval does not wait on a stuck notifications backend. */
const SEND_TIMEOUT_MS = 10_000;

/**
 * Sends tenant notices with the plugin's notification service. A failed send is logged, never
 * thrown: the tenant's change is made already, and notices are not worth failing it for.
 */
export class TenantNotices {
  readonly approvers: string[];

  constructor(
    private readonly options: {
      notifications?: NotificationService;
      settings: OpenStackPluginConfig['notifications'];
      /** The permission policy's operators: the approvers when `approvers` is not configured. */
      platformOperators?: string[];
      logger: LoggerService;
    },
  ) {
    this.approvers =
      options.settings.approvers ?? options.platformOperators ?? [];
  }

  get memberUserNamespace() {
    return this.options.settings.memberUserNamespace;
  }

  /** The tenant's page, relative to the app (the notifications backend checks links so). */
  link(tenantId: string) {
    return `${this.options.settings.tenantsPath.replace(
      /\/$/,
      '',
    )}/${tenantId}`;
  }

  async send(...notices: Array<TenantNotice | undefined>): Promise<void> {
    const { notifications, settings, logger } = this.options;
    if (!notifications || !settings.enabled) return;
    for (const notice of notices) {
      if (!notice) continue;
      const sending = notifications.send({
        recipients: {
          type: 'entity',
          entityRef: [...new Set(notice.recipients)],
          ...(notice.exclude ? { excludeEntityRef: notice.exclude } : {}),
        },
        payload: {
          title: notice.title,
          description: notice.description,
          link: this.link(notice.tenantId),
          severity: notice.severity,
          topic: TENANT_TOPIC,
          scope: noticeScope(notice),
        },
      });
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer in ${SEND_TIMEOUT_MS / 1000} s`)),
          SEND_TIMEOUT_MS,
        );
        timer.unref?.();
      });
      try {
        await Promise.race([sending, timeout]);
      } catch (error) {
        logger.warn(
          `Could not send the notification "${notice.title}": ${
            (error as Error).message
          }`,
        );
      } finally {
        clearTimeout(timer);
      }
    }
  }
}
