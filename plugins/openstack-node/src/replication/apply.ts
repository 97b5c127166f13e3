import { HttpResult } from '../client/http';
import { mapLimited } from '../client/mapLimited';
import { OpenStackSession } from '../client/session';
import { DOMAIN_DESCRIPTION, TENANT_MARK } from './desired';
import { PlanStep, Ref, ReplicationPlan } from './plan';

/**
 * Carries out a plan with the replicator's session: workspace domains first, then each tenant's
 * steps in order, several tenants at once. A failed step stops only the steps that need what it
 * would have made; the next run reads Keystone again and converges.
 */

export type StepOutcome =
  | { index: number; status: 'done'; id?: string }
  | { index: number; status: 'failed'; error: string }
  | { index: number; status: 'skipped'; reason: string };

export interface ApplyOptions {
  /** Tenants written at once (default 4; Keystone serialises writes to one database anyway). */
  concurrency?: number;
}

export async function applyPlan(
  session: OpenStackSession,
  plan: ReplicationPlan,
  options: ApplyOptions = {},
): Promise<StepOutcome[]> {
  const outcomes = new Map<number, StepOutcome>();
  const run = async (step: PlanStep) => {
    const missing = refsOf(step).find(
      ref => 'step' in ref && outcomes.get(ref.step)?.status !== 'done',
    );
    if (missing && 'step' in missing) {
      outcomes.set(step.index, {
        index: step.index,
        status: 'skipped',
        reason: `step ${missing.step} (${
          plan.steps[missing.step].summary
        }) did not succeed`,
      });
      return;
    }
    const resolve = (ref: Ref): string => {
      if ('id' in ref) return ref.id;
      const done = outcomes.get(ref.step);
      return done && done.status === 'done' && done.id ? done.id : '';
    };
    const result = await execute(session, step, resolve);
    outcomes.set(
      step.index,
      result.ok
        ? {
            index: step.index,
            status: 'done',
            id: idOf(result.data),
          }
        : {
            index: step.index,
            status: 'failed',
            error: `${result.error.message}${
              result.error.status ? ` (HTTP ${result.error.status})` : ''
            }`,
          },
    );
  };

  for (const step of plan.steps.filter(s => s.kind === 'create-domain'))
    await run(step);

  const queues = plan.tenants
    .filter(tenant => tenant.steps.length > 0)
    .map(tenant => tenant.steps.map(index => plan.steps[index]));
  await mapLimited(queues, options.concurrency ?? 4, async queue => {
    for (const step of queue) await run(step);
  });
  return plan.steps.map(
    step =>
      outcomes.get(step.index) ?? {
        index: step.index,
        status: 'skipped',
        reason: 'not reached',
      },
  );
}

function refsOf(step: PlanStep): Ref[] {
  switch (step.kind) {
    case 'create-project':
    case 'create-group':
      return [step.domain];
    case 'update-project':
    case 'delete-project':
    case 'update-quotas':
      return [step.project];
    case 'delete-group':
    case 'add-member':
    case 'remove-member':
      return [step.group];
    case 'grant-role':
    case 'revoke-role':
      return [step.project, step.group];
    case 'grant-user-role':
    case 'revoke-user-role':
      return [step.project];
    default:
      return [];
  }
}

function idOf(data: unknown): string | undefined {
  if (data && typeof data === 'object' && 'id' in data) {
    const id = (data as { id: unknown }).id;
    return typeof id === 'string' ? id : undefined;
  }
  return undefined;
}

function execute(
  session: OpenStackSession,
  step: PlanStep,
  id: (ref: Ref) => string,
): Promise<HttpResult<unknown>> {
  const identity = session.identity;
  switch (step.kind) {
    case 'create-domain':
      return identity.createDomain({
        name: step.name,
        description: DOMAIN_DESCRIPTION,
        enabled: true,
      });
    case 'create-project':
      return identity.createProject({
        name: step.name,
        domain_id: id(step.domain),
        description: step.description,
        enabled: true,
        tags: step.tags,
        [TENANT_MARK]: step.tenantKey,
      });
    case 'update-project':
      return identity.updateProject(id(step.project), step.changes);
    case 'delete-project':
      return identity.deleteProject(id(step.project));
    case 'create-group':
      return identity.createGroup({
        name: step.name,
        domain_id: id(step.domain),
        description: step.description,
      });
    case 'delete-group':
      return identity.deleteGroup(id(step.group));
    case 'grant-role':
      return identity.grantProjectGroupRole(
        id(step.project),
        id(step.group),
        step.roleId,
      );
    case 'revoke-role':
      return identity.revokeProjectGroupRole(
        id(step.project),
        id(step.group),
        step.roleId,
      );
    case 'grant-user-role':
      return identity.grantProjectUserRole(
        id(step.project),
        step.userId,
        step.roleId,
      );
    case 'revoke-user-role':
      return identity.revokeProjectUserRole(
        id(step.project),
        step.userId,
        step.roleId,
      );
    case 'add-member':
      return identity.addUserToGroup(id(step.group), step.userId);
    case 'remove-member':
      return identity.removeUserFromGroup(id(step.group), step.userId);
    case 'update-quotas': {
      const projectId = id(step.project);
      if (step.service === 'compute')
        return session.compute.updateQuotaSet(projectId, step.changes, {
          force: step.force,
        });
      if (step.service === 'blockStorage')
        return session.blockStorage.updateQuotaSet(projectId, step.changes);
      return session.network.updateQuota(projectId, step.changes);
    }
    default:
      return assertNever(step);
  }
}

function assertNever(value: never): never {
  throw new Error(`unknown step ${JSON.stringify(value)}`);
}
