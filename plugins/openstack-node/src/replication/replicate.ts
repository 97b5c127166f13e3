import { versionRootUrl } from '../client/endpointUrl';
import { Evidence, EvidenceSink } from '../client/evidence';
import { OpenStackSession } from '../client/session';
import { mapLimited } from '../client/mapLimited';
import { StepOutcome, applyPlan } from './apply';
import { DesiredTenant } from './desired';
import {
  CurrentQuotas,
  PlanStep,
  ReplicationPlan,
  TenantPlan,
  needsQuotaRead,
  planReplication,
} from './plan';
import {
  KeystoneState,
  StateRead,
  domainIdOf,
  markedProject,
  readKeystoneState,
  readKeystoneStatePerResource,
  userDomainIds,
} from './state';

export interface ReplicationOptions {
  /** Plan only: read, compare, and report what would be written. */
  dryRun?: boolean;
  /** Domains whose `User.name` holds members' external ids (default: the identity providers'). */
  userDomains?: string[];
  /** `changed` (default) reads quotas only of tenants whose quotas changed; `all` re-reads all. */
  quotaRefresh?: 'changed' | 'all';
  /** `bulk` (default), or `per-resource` (a Terraform-style refresh, for the benchmark). */
  read?: 'bulk' | 'per-resource';
  concurrency?: number;
  /** Also gets every request's evidence (e.g. to see where a run's time went). */
  recorder?: EvidenceSink;
}

export type TenantOutcome = TenantPlan & {
  status: 'successful' | 'failed' | 'planned';
  /** The project's id after the run (also for a project made in this run). */
  projectId?: string;
};

export interface ReplicationReport {
  status: 'successful' | 'failed' | 'planned';
  /** Why nothing could be planned (e.g. Keystone did not answer the bulk reads). */
  error?: string;
  startedAt: string;
  finishedAt: string;
  steps: Array<PlanStep & { outcome?: StepOutcome }>;
  tenants: TenantOutcome[];
  /** Requests sent to Keystone (tokens included), and to Nova/Cinder/Neutron for quotas. */
  keystoneCalls: number;
  otherCalls: number;
}

/** Counts requests by where they went: Keystone (the session's URL) or another service. */
class CallCounter {
  keystone = 0;
  other = 0;
  private readonly keystoneRoot: string;

  constructor(
    session: OpenStackSession,
    private readonly forward?: EvidenceSink,
  ) {
    this.keystoneRoot = versionRootUrl(session.keystoneUrl);
  }

  record(evidence: Evidence): void {
    if (evidence.url.startsWith(this.keystoneRoot)) this.keystone++;
    else this.other++;
    this.forward?.record(evidence);
  }
}

/**
 * One replication of a site: read Keystone in bulk, compare with the desired tenants, plan, and
 * (unless a dry run) write only the differences. Never throws for what the site answers.
 */
export async function replicate(
  session: OpenStackSession,
  desired: DesiredTenant[],
  options: ReplicationOptions = {},
): Promise<ReplicationReport> {
  const startedAt = new Date().toISOString();
  const counter = new CallCounter(session, options.recorder);
  const counted = session.withRecorder(counter);
  const tokensBefore = session.tokensIssued;
  const finish = (
    report: Omit<
      ReplicationReport,
      'startedAt' | 'finishedAt' | 'keystoneCalls' | 'otherCalls'
    >,
  ): ReplicationReport => ({
    ...report,
    startedAt,
    finishedAt: new Date().toISOString(),
    keystoneCalls: counter.keystone + (session.tokensIssued - tokensBefore),
    otherCalls: counter.other,
  });
  const failed = (error: string) =>
    finish({ status: 'failed', error, steps: [], tenants: [] });

  const domains = await userDomainIds(counted, options.userDomains);
  if (!domains.ok) return failed(domains.error);
  const read: StateRead =
    options.read === 'per-resource'
      ? await readKeystoneStatePerResource(counted, desired, domains.ids)
      : await readKeystoneState(counted, desired, domains.ids);
  if (!read.ok) return failed(`reading Keystone: ${read.error}`);

  const quotas = await readQuotas(
    counted,
    desired.filter(t => needsQuotaRead(t, options.quotaRefresh ?? 'changed')),
    read.state,
  );
  const plan = planReplication(desired, read.state, quotas.current);
  for (const [key, problem] of quotas.problems)
    plan.tenants.find(t => t.key === key)?.warnings.push(problem);

  if (options.dryRun) {
    return finish({
      status: 'planned',
      steps: plan.steps,
      tenants: plan.tenants.map(t => ({ ...t, status: 'planned' })),
    });
  }
  const outcomes = await applyPlan(counted, plan, {
    concurrency: options.concurrency,
  });
  const tenants = tenantOutcomes(plan, outcomes);
  return finish({
    status: tenants.some(t => t.status === 'failed') ? 'failed' : 'successful',
    steps: plan.steps.map(step => ({ ...step, outcome: outcomes[step.index] })),
    tenants,
  });
}

function tenantOutcomes(
  plan: ReplicationPlan,
  outcomes: StepOutcome[],
): TenantOutcome[] {
  return plan.tenants.map(tenant => {
    const errors = [...tenant.errors];
    let projectId = tenant.projectId;
    // A domain step serves several tenants: its failure is each one's (said once per tenant).
    const failedDomains = new Set<number>();
    for (const index of tenant.steps) {
      const outcome = outcomes[index];
      const step = plan.steps[index];
      if ('domain' in step && 'step' in step.domain) {
        const domainOutcome = outcomes[step.domain.step];
        if (
          domainOutcome.status === 'failed' &&
          !failedDomains.has(step.domain.step)
        ) {
          failedDomains.add(step.domain.step);
          errors.push(
            `${plan.steps[step.domain.step].summary}: ${domainOutcome.error}`,
          );
        }
      }
      if (outcome.status === 'failed')
        errors.push(`${step.summary}: ${outcome.error}`);
      else if (outcome.status === 'skipped')
        errors.push(`${step.summary}: skipped, ${outcome.reason}`);
      else if (step.kind === 'create-project') projectId = outcome.id;
      else if (step.kind === 'delete-project') projectId = undefined;
    }
    return {
      ...tenant,
      errors,
      projectId,
      status: errors.length > 0 ? 'failed' : 'successful',
    };
  });
}

/**
 * Current limits of the tenants whose quotas must be compared (Nova with usage, so a lower limit
 * is forced knowingly). A read that fails leaves that service to be written in full.
 */
async function readQuotas(
  session: OpenStackSession,
  tenants: DesiredTenant[],
  state: KeystoneState,
): Promise<{ current: CurrentQuotas; problems: Array<[string, string]> }> {
  const current: CurrentQuotas = new Map();
  const problems: Array<[string, string]> = [];
  await mapLimited(tenants, 4, async tenant => {
    const project = markedProject(
      state.projects,
      tenant.key,
      domainIdOf(state, tenant),
    );
    if (!project) return;
    const [compute, blockStorage, network] = await Promise.all([
      tenant.quotas?.compute
        ? session.compute.quotaSetDetail(project.id)
        : undefined,
      tenant.quotas?.blockStorage
        ? session.blockStorage.quotaSet(project.id)
        : undefined,
      tenant.quotas?.network ? session.network.quota(project.id) : undefined,
    ]);
    const entry: CurrentQuotas extends Map<string, infer V> ? V : never = {};
    if (compute?.ok)
      entry.compute = Object.fromEntries(
        Object.entries(compute.data).map(([k, v]) => [
          k,
          { limit: v.limit, inUse: v.in_use },
        ]),
      );
    else if (compute)
      problems.push([
        tenant.key,
        `reading compute quotas: ${compute.error.message}`,
      ]);
    if (blockStorage?.ok)
      entry.blockStorage = Object.fromEntries(
        Object.entries(blockStorage.data).map(([k, v]) => [
          k,
          { limit: v.limit, inUse: v.in_use },
        ]),
      );
    else if (blockStorage)
      problems.push([
        tenant.key,
        `reading block storage quotas: ${blockStorage.error.message}`,
      ]);
    if (network?.ok)
      entry.network = Object.fromEntries(
        Object.entries(network.data).map(([k, v]) => [k, { limit: v }]),
      );
    else if (network)
      problems.push([
        tenant.key,
        `reading network quotas: ${network.error.message}`,
      ]);
    current.set(project.id, entry);
  });
  return { current, problems };
}
