import { randomUUID } from 'node:crypto';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import {
  BackstageCredentials,
  BackstageUserPrincipal,
  HttpAuthService,
  LoggerService,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import {
  AuthorizeResult,
  BasicPermission,
} from '@backstage/plugin-permission-common';
import {
  LandingZone,
  TenantDetail,
  TenantMember,
  TenantQuotas,
  approvalDecisionSchema,
  listTenantsQuerySchema,
  openstackReplicationRunPermission,
  openstackSiteReadPermission,
  openstackTenantApprovePermission,
  openstackTenantRequestPermission,
  tenantMembersUpdateSchema,
  tenantRequestSchema,
} from '@fedstack/plugin-openstack-common';
import { TenantRecord, TenantStore } from './TenantStore';
import {
  ReplicationService,
  SiteNotReplicableError,
} from './ReplicationService';
import { SiteRegistry } from '../sites/SiteRegistry';
import {
  autoApproved,
  quotaRequestProblems,
  quotasOver,
  toApiTenant,
} from './tenantModel';
import { approvalNotice, decisionNotice, TenantNotices } from './tenantNotices';
import { parseInput } from '../http/validation';
import { siteAccess } from '../sites/siteAccess';

export interface TenantRouterOptions {
  store: TenantStore;
  replication: ReplicationService;
  registry: SiteRegistry;
  httpAuth: HttpAuthService;
  userInfo: UserInfoService;
  permissions: PermissionsService;
  logger: LoggerService;
  /** Tells approvers, requesters and workspaces of requests and decisions; none: nobody. */
  notices?: TenantNotices;
  /** Replicate a site right after a tenant of it is approved or changed (default true). */
  replicateOnChange?: boolean;
}

const idParamsSchema = z.object({ id: z.uuid() });
/** `?dryRun=true`: every check of the route, nothing written (the scaffolder's dry runs). */
const dryRunQuerySchema = z
  .object({ dryRun: z.enum(['true', 'false']).optional() })
  .strict();
/** The id a dry run's tenant carries: none was made. */
export const DRY_RUN_TENANT_ID = 'dry-run-not-created';
const runBodySchema = z
  .object({ dryRun: z.boolean().default(false) })
  .strict()
  .default({ dryRun: false });
const runsQuerySchema = z
  .object({ limit: z.coerce.number().int().min(1).max(500).default(50) })
  .strict();

const isUserPrincipal = (
  credentials: BackstageCredentials,
): credentials is BackstageCredentials<BackstageUserPrincipal> =>
  (credentials.principal as { type?: string }).type === 'user';

// A tenant in these states has (or is getting) Keystone objects and can be changed or deleted.
const LIVE = ['requested', 'in-progress', 'successful', 'failed'];

/**
 * Tenants of workspaces: requests, approvals, member changes, deletion, and replication runs.
 * Requesting and changing a tenant is for members of its workspace (the Backstage group); so is
 * reading it, except for approvers (all tenants) and replication runners (all runs).
 */
export function createTenantRouter(
  options: TenantRouterOptions,
): express.Router {
  const { store, replication, registry, httpAuth, userInfo, permissions } =
    options;
  const router = Router();
  router.use(express.json({ limit: '256kb' }));

  const caller = async (req: express.Request) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    return { credentials, userRef: credentials.principal.userEntityRef };
  };
  const isAllowed = async (
    credentials: BackstageCredentials,
    permission: BasicPermission,
  ) => {
    const [decision] = await permissions.authorize([{ permission }], {
      credentials,
    });
    return decision.result === AuthorizeResult.ALLOW;
  };
  const authorizeBasic = async (
    req: express.Request,
    permission: BasicPermission,
  ) => {
    const { credentials, userRef } = await caller(req);
    if (!(await isAllowed(credentials, permission)))
      throw new NotAllowedError(`You may not ${permission.name}`);
    return { credentials, userRef };
  };
  /** The caller's workspaces: their ownership refs, lower-cased as tenants store them; none for a backend. */
  const workspacesOf = async (
    credentials: BackstageCredentials,
  ): Promise<Set<string>> => {
    if (!isUserPrincipal(credentials)) return new Set();
    const info = await userInfo.getUserInfo(credentials);
    return new Set(info.ownershipEntityRefs.map(ref => ref.toLowerCase()));
  };
  const requireWorkspaceMember = async (
    credentials: BackstageCredentials,
    workspace: string,
  ) => {
    if (!(await workspacesOf(credentials)).has(workspace.toLowerCase()))
      throw new NotAllowedError(
        `You are not a member of workspace ${workspace}`,
      );
  };
  /**
   * Whose tenants the caller may read: everyone's ('all') for those allowed to approve tenants
   * (approvers see what they approve; the framework also allows backends' own calls unless
   * their token restricts them), else their workspaces' (meshStack: members see their projects).
   */
  const readableWorkspaces = async (
    credentials: BackstageCredentials,
  ): Promise<Set<string> | 'all'> =>
    (await isAllowed(credentials, openstackTenantApprovePermission))
      ? 'all'
      : workspacesOf(credentials);
  const zoneOf = (id: string): LandingZone => {
    const zone = replication.landingZone(id);
    if (!zone) throw new InputError(`landingZone: no landing zone ${id}`);
    return zone;
  };
  const tenantOf = async (req: express.Request): Promise<TenantRecord> => {
    const { id } = parseInput(idParamsSchema, req.params, 'tenant id');
    const tenant = await store.getTenant(id);
    if (!tenant) throw new NotFoundError(`No tenant ${id}`);
    return tenant;
  };
  /** Who asked for what waits for approval: the tenant's requester, or who asked to delete it. */
  const requesterOf = async (
    tenant: TenantRecord,
  ): Promise<string | undefined> => {
    if (tenant.status !== 'deletion-requested') return tenant.requestedBy;
    const events = await store.listEvents(tenant.id);
    return events.filter(e => e.action === 'deletion requested').pop()?.actor;
  };
  const detail = async (tenant: TenantRecord): Promise<TenantDetail> => ({
    ...toApiTenant(tenant, replication.landingZone(tenant.landingZone)),
    events: await store.listEvents(tenant.id),
  });
  const checkMembers = (members: TenantMember[], zone: LandingZone) => {
    const problems = members.flatMap((member, i) =>
      Object.hasOwn(zone.roles, member.role)
        ? []
        : [
            `members.${i}.role: ${member.role} is not a role of landing zone ${
              zone.id
            } (${Object.keys(zone.roles).join(', ')})`,
          ],
    );
    const seen = new Set<string>();
    members.forEach((member, i) => {
      const key = `${member.euid} ${member.role}`;
      if (seen.has(key))
        problems.push(
          `members.${i}: ${member.euid} is listed twice as ${member.role}`,
        );
      seen.add(key);
    });
    if (problems.length > 0)
      throw new InputError(`Invalid tenant request: ${problems.join('; ')}`);
  };
  const checkQuotas = (quotas: TenantQuotas, zone: LandingZone) => {
    const problems = quotaRequestProblems(zone, quotas);
    if (problems.length > 0)
      throw new InputError(`Invalid tenant request: ${problems.join('; ')}`);
    const over = zone.maxQuotas ? quotasOver(quotas, zone.maxQuotas) : [];
    if (over.length > 0)
      throw new InputError(
        `Invalid tenant request: quotas above landing zone ${
          zone.id
        }'s maximum: ${over.join(', ')}`,
      );
  };
  // Approved changes reach Keystone soon, not at the next daily run.
  const replicateSoon = (siteRef: string) => {
    if (options.replicateOnChange === false) return;
    replication
      .replicateSite(siteRef, { trigger: 'manual' })
      .catch(error =>
        options.logger.warn(
          `Replication of ${siteRef} after a tenant change failed: ${error.message}`,
        ),
      );
  };

  router.get('/landing-zones', async (req, res) => {
    await caller(req);
    res.json({
      landingZones: replication.landingZones(),
    });
  });

  router.get('/tenants', async (req, res) => {
    const readable = await readableWorkspaces(await httpAuth.credentials(req));
    const query = parseInput(listTenantsQuerySchema, req.query, 'query');
    // Workspaces are stored lower-cased. A workspace the caller may not read stays a filter
    // that matches nothing, not an error.
    const workspace = query.workspace?.toLowerCase();
    const nothing =
      readable !== 'all' &&
      (readable.size === 0 || (workspace && !readable.has(workspace)));
    const tenants = nothing
      ? []
      : await store.listTenants({
          workspace,
          workspaces: readable === 'all' ? undefined : [...readable],
          siteRef: query.site,
          status: query.status,
        });
    res.json({
      tenants: tenants.map(t =>
        toApiTenant(t, replication.landingZone(t.landingZone)),
      ),
    });
  });

  router.post('/tenants', async (req, res) => {
    const { credentials, userRef } = await authorizeBasic(
      req,
      openstackTenantRequestPermission,
    );
    const dryRun =
      parseInput(dryRunQuerySchema, req.query, 'query').dryRun === 'true';
    const body = parseInput(tenantRequestSchema, req.body, 'tenant request');
    await requireWorkspaceMember(credentials, body.workspace);
    const zone = zoneOf(body.landingZone);
    checkMembers(body.members, zone);
    const quotas = body.quotas ?? {};
    checkQuotas(quotas, zone);
    const site = await registry.getSite(body.site);
    if (!site) throw new InputError(`site: no OpenStack site ${body.site}`);
    const existing = (
      await store.listTenants({ siteRef: site.entityRef })
    ).find(
      t =>
        t.workspace.toLowerCase() === body.workspace.toLowerCase() &&
        t.project === body.project &&
        !['deleted', 'rejected'].includes(t.status),
    );
    if (existing)
      throw new ConflictError(
        `Workspace ${body.workspace} already has project ${body.project} on ${site.entityRef} (tenant ${existing.id})`,
      );

    const now = new Date().toISOString();
    const approved = autoApproved(zone, quotas);
    const tenant: TenantRecord = {
      id: randomUUID(),
      workspace: body.workspace.toLowerCase(),
      siteRef: site.entityRef,
      project: body.project,
      landingZone: zone.id,
      description: body.description,
      members: body.members,
      quotas,
      status: approved ? 'requested' : 'requires-approval',
      deletionApproved: false,
      requestedBy: userRef,
      createdAt: now,
      updatedAt: now,
    };
    if (dryRun) {
      // Every check passed: the tenant as it would be made, nothing stored or sent.
      const wouldBe: TenantDetail = {
        ...toApiTenant(
          { ...tenant, id: DRY_RUN_TENANT_ID },
          replication.landingZone(tenant.landingZone),
        ),
        events: [],
      };
      res.status(200).json(wouldBe);
      return;
    }
    await store.createTenant(tenant, {
      at: now,
      actor: userRef,
      action: approved
        ? "requested (approved: within the landing zone's auto-approval)"
        : 'requested (waits for approval)',
    });
    options.logger.info(
      `Tenant ${tenant.id} (${tenant.workspace} ${tenant.project} on ${tenant.siteRef}) requested by ${userRef}`,
    );
    if (approved) replicateSoon(tenant.siteRef);
    else
      await options.notices?.send(
        approvalNotice(tenant, 'request', {
          approvers: options.notices.approvers,
          requester: userRef,
        }),
      );
    res.status(201).json(await detail(tenant));
  });

  router.get('/tenants/:id', async (req, res) => {
    const readable = await readableWorkspaces(await httpAuth.credentials(req));
    const tenant = await tenantOf(req);
    // 404 as for an unknown id, so that ids do not tell outsiders which tenants exist.
    if (readable !== 'all' && !readable.has(tenant.workspace.toLowerCase()))
      throw new NotFoundError(`No tenant ${tenant.id}`);
    res.json(await detail(tenant));
  });

  router.put('/tenants/:id/members', async (req, res) => {
    const { credentials, userRef } = await authorizeBasic(
      req,
      openstackTenantRequestPermission,
    );
    const dryRun =
      parseInput(dryRunQuerySchema, req.query, 'query').dryRun === 'true';
    const tenant = await tenantOf(req);
    const body = parseInput(tenantMembersUpdateSchema, req.body, 'members');
    await requireWorkspaceMember(credentials, tenant.workspace);
    checkMembers(body.members, zoneOf(tenant.landingZone));
    if (![...LIVE, 'requires-approval'].includes(tenant.status))
      throw new ConflictError(
        `Tenant ${tenant.id} is ${tenant.status}: its members cannot change`,
      );
    if (dryRun) {
      res.json({
        ...(await detail(tenant)),
        members: body.members,
      } satisfies TenantDetail);
      return;
    }
    const updated = await store.updateTenant(
      tenant.id,
      { members: body.members },
      {
        at: new Date().toISOString(),
        actor: userRef,
        action: `members changed (${body.members.length})`,
      },
    );
    if (LIVE.includes(tenant.status)) replicateSoon(tenant.siteRef);
    res.json(await detail(updated ?? tenant));
  });

  router.post('/tenants/:id/approval', async (req, res) => {
    const { userRef } = await authorizeBasic(
      req,
      openstackTenantApprovePermission,
    );
    const tenant = await tenantOf(req);
    const body = parseInput(approvalDecisionSchema, req.body, 'approval');
    const requester = await requesterOf(tenant);
    // Four eyes, whatever the app's policy says (an allow-all policy included): the one who
    // asked may withdraw (reject) but not approve. Rejecting stays open to them.
    if (body.decision === 'approve') {
      if (requester && requester.toLowerCase() === userRef.toLowerCase())
        throw new NotAllowedError(
          `You requested ${
            tenant.status === 'deletion-requested'
              ? `the deletion of tenant ${tenant.id}`
              : `tenant ${tenant.id}`
          }: nobody approves their own request, another approver must`,
        );
    }
    const at = new Date().toISOString();
    const event = (action: string) => ({
      at,
      actor: userRef,
      action,
      ...(body.comment ? { comment: body.comment } : {}),
    });
    let updated: TenantRecord | undefined;
    if (tenant.status === 'requires-approval') {
      updated = await store.updateTenant(
        tenant.id,
        { status: body.decision === 'approve' ? 'requested' : 'rejected' },
        event(
          body.decision === 'approve' ? 'request approved' : 'request rejected',
        ),
        ['requires-approval'],
      );
    } else if (
      tenant.status === 'deletion-requested' &&
      !tenant.deletionApproved
    ) {
      updated = await store.updateTenant(
        tenant.id,
        body.decision === 'approve'
          ? { deletionApproved: true }
          : // Refused: the tenant goes back to being replicated, bindings and all.
            { status: 'requested' },
        event(
          body.decision === 'approve'
            ? 'deletion approved'
            : 'deletion rejected',
        ),
        ['deletion-requested'],
      );
    }
    if (!updated)
      throw new ConflictError(
        `Tenant ${tenant.id} is ${tenant.status}${
          tenant.deletionApproved ? ' (deletion approved)' : ''
        }: nothing waits for approval`,
      );
    // Told before the replication starts, so that "approved" comes before "ready".
    await options.notices?.send(
      decisionNotice(updated, {
        kind: tenant.status === 'requires-approval' ? 'request' : 'deletion',
        decision: body.decision,
        actor: userRef,
        requester,
        comment: body.comment,
      }),
    );
    if (updated.status !== 'rejected') replicateSoon(tenant.siteRef);
    res.json(await detail(updated));
  });

  router.delete('/tenants/:id', async (req, res) => {
    const { credentials, userRef } = await authorizeBasic(
      req,
      openstackTenantRequestPermission,
    );
    const tenant = await tenantOf(req);
    await requireWorkspaceMember(credentials, tenant.workspace);
    const at = new Date().toISOString();
    let updated: TenantRecord | undefined;
    if (tenant.status === 'requires-approval') {
      // Nothing was written to Keystone yet: withdrawing is enough.
      updated = await store.updateTenant(
        tenant.id,
        { status: 'deleted' },
        { at, actor: userRef, action: 'request withdrawn' },
        ['requires-approval'],
      );
    } else if (LIVE.includes(tenant.status)) {
      updated = await store.updateTenant(
        tenant.id,
        { status: 'deletion-requested', deletionApproved: false },
        { at, actor: userRef, action: 'deletion requested' },
        LIVE as TenantRecord['status'][],
      );
      if (updated) {
        await options.notices?.send(
          approvalNotice(updated, 'deletion', {
            approvers: options.notices.approvers,
            requester: userRef,
          }),
        );
        replicateSoon(tenant.siteRef);
      }
    }
    if (!updated)
      throw new ConflictError(`Tenant ${tenant.id} is ${tenant.status}`);
    res.json(await detail(updated));
  });

  const { siteOf } = siteAccess(options);

  router.post('/sites/:namespace/:name/replications', async (req, res) => {
    await authorizeBasic(req, openstackReplicationRunPermission);
    const siteRef = (await siteOf(req)).entityRef;
    const { dryRun } = parseInput(runBodySchema, req.body ?? {}, 'body');
    try {
      res.json(
        await replication.replicateSite(siteRef, { trigger: 'manual', dryRun }),
      );
    } catch (error) {
      if (error instanceof SiteNotReplicableError)
        throw new ConflictError(error.message);
      throw error;
    }
  });

  router.get('/sites/:namespace/:name/replications', async (req, res) => {
    const siteRef = (await siteOf(req, openstackSiteReadPermission)).entityRef;
    const { limit } = parseInput(runsQuerySchema, req.query, 'query');
    const runs = await store.listRuns(siteRef, limit);
    res.json({ runs: runs.map(({ steps: _s, tenants: _t, ...run }) => run) });
  });

  router.get('/replications/:id', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const { id } = parseInput(idParamsSchema, req.params, 'run id');
    const run = await store.getRun(id);
    if (!run) throw new NotFoundError(`No replication run ${id}`);
    // Those who may run replications see the whole run, as POST …/replications answers it.
    if (await isAllowed(credentials, openstackReplicationRunPermission)) {
      res.json(run);
      return;
    }
    // Others see their workspaces' tenants in it, and the steps for those tenants only (steps
    // of no tenant, such as a domain, may name another workspace); no tenant of theirs: 404.
    const workspaces = [...(await workspacesOf(credentials))];
    const mine = new Set(
      workspaces.length === 0
        ? []
        : (await store.listTenants({ siteRef: run.site, workspaces })).map(
            t => t.id,
          ),
    );
    const tenants = run.tenants.filter(t => mine.has(t.tenantId));
    if (tenants.length === 0)
      throw new NotFoundError(`No replication run ${id}`);
    res.json({
      ...run,
      steps: run.steps.filter(s => s.tenantId && mine.has(s.tenantId)),
      tenants,
    });
  });

  return router;
}
