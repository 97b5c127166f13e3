import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import {
  AuditorService,
  BackstageCredentials,
  BackstageUserPrincipal,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  ListWaiversResponse,
  listWaiversQuerySchema,
  openstackSiteReadPermission,
  openstackWaiverApprovePermission,
  openstackWaiverRequestPermission,
  Waiver,
  waiverDecisionSchema,
  waiverRequestSchema,
} from '@fedstack/plugin-openstack-common';
import { ComplianceCatalogue } from '@fedstack/plugin-openstack-node';
import { OpenStackPluginConfig } from '../config';
import { parseInput } from '../http/validation';
import { siteAccess } from '../sites/siteAccess';
import { SiteRegistry } from '../sites/SiteRegistry';
import { WaiverConflictError, WaiverStore } from './WaiverStore';

export interface WaiverRouterOptions {
  config: Pick<OpenStackPluginConfig, 'waivers'>;
  catalogue: ComplianceCatalogue;
  store: WaiverStore;
  registry: SiteRegistry;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
  /** The clock waivers are judged by (tests move it). */
  now?: () => Date;
}

const idParamsSchema = z.object({ id: z.uuid() });
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Waivers: `GET|POST /sites/{ns}/{name}/waivers`, `GET /waivers`, `POST /waivers/{id}/decision`,
 * `DELETE /waivers/{id}`. A site's owners (`openstack.waiver.request` on the site) ask; approvers
 * (`openstack.waiver.approve`), never the requester, decide; the requester, the site's owners or
 * an approver may end one early. Every request, decision and revocation is audited.
 */
export function createWaiverRouter(
  options: WaiverRouterOptions,
): express.Router {
  const { store, httpAuth, permissions, auditor, catalogue } = options;
  const now = options.now ?? (() => new Date());
  const policy = {
    maxDays: options.config.waivers.maxDays,
    countsAs: options.config.waivers.countsAs,
  };
  const { authorizeSite, siteOf } = siteAccess(options);
  const router = Router();
  router.use(express.json({ limit: '64kb' }));

  const userOf = async (req: express.Request) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    return {
      credentials,
      userRef: (credentials as BackstageCredentials<BackstageUserPrincipal>)
        .principal.userEntityRef,
    };
  };
  const holds = async (
    credentials: BackstageCredentials,
    permission: typeof openstackWaiverApprovePermission,
  ) =>
    (await permissions.authorize([{ permission }], { credentials }))[0]
      .result === AuthorizeResult.ALLOW;
  const holdsOnSite = async (
    credentials: BackstageCredentials,
    permission: typeof openstackWaiverRequestPermission,
    siteRef: string,
  ) =>
    (
      await permissions.authorize([{ permission, resourceRef: siteRef }], {
        credentials,
      })
    )[0].result === AuthorizeResult.ALLOW;

  router.get('/sites/:namespace/:name/waivers', async (req, res) => {
    const site = await siteOf(req, openstackSiteReadPermission);
    const { state } = parseInput(listWaiversQuerySchema, req.query, 'query');
    const body: ListWaiversResponse = {
      items: await store.listForSite(site.entityRef, state, now()),
      policy,
    };
    res.json(body);
  });

  router.post('/sites/:namespace/:name/waivers', async (req, res) => {
    const { userRef } = await userOf(req);
    const site = await siteOf(req);
    const audit = await auditor.createEvent({
      eventId: 'waiver-request',
      severityLevel: 'medium',
      request: req,
      meta: { site: site.entityRef },
    });
    try {
      await authorizeSite(
        req,
        openstackWaiverRequestPermission,
        site.entityRef,
      );
      const request = parseInput(waiverRequestSchema, req.body, 'waiver');
      if (!catalogue.check(request.checkId)) {
        throw new InputError(
          `Invalid waiver: checkId: ${request.checkId} is not a check`,
        );
      }
      const expiresAt = new Date(request.expiresAt);
      const at = now();
      if (expiresAt.getTime() <= at.getTime()) {
        throw new InputError(
          'Invalid waiver: expiresAt: must be in the future',
        );
      }
      if (expiresAt.getTime() > at.getTime() + policy.maxDays * DAY_MS) {
        throw new InputError(
          `Invalid waiver: expiresAt: must be at most ${policy.maxDays} days ahead`,
        );
      }
      const waiver = await store
        .create(
          {
            siteRef: site.entityRef,
            checkId: request.checkId,
            reason: request.reason,
            requestedBy: userRef,
            expiresAt,
          },
          at,
        )
        .catch(error => {
          if (error instanceof WaiverConflictError)
            throw new ConflictError(error.message);
          throw error;
        });
      await audit.success({
        meta: {
          waiver: waiver.id,
          check: waiver.checkId,
          expiresAt: waiver.expiresAt,
        },
      });
      res.status(201).json(waiver);
    } catch (error) {
      await audit.fail({ error: error as Error });
      throw error;
    }
  });

  router.get('/waivers', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const { state } = parseInput(listWaiversQuerySchema, req.query, 'query');
    const waivers = await store.list(state, now());
    // Only the sites the caller may read, with one decision per site.
    const sites = [...new Set(waivers.map(waiver => waiver.siteRef))];
    const decisions = sites.length
      ? await permissions.authorize(
          sites.map(resourceRef => ({
            permission: openstackSiteReadPermission,
            resourceRef,
          })),
          { credentials },
        )
      : [];
    const readable = new Set(
      sites.filter((_, i) => decisions[i].result === AuthorizeResult.ALLOW),
    );
    const body: ListWaiversResponse = {
      items: waivers.filter(waiver => readable.has(waiver.siteRef)),
      policy,
    };
    res.json(body);
  });

  const waiverOf = async (req: express.Request): Promise<Waiver> => {
    const { id } = parseInput(idParamsSchema, req.params, 'waiver id');
    const waiver = await store.get(id, now());
    if (!waiver) throw new NotFoundError(`No waiver ${id}`);
    return waiver;
  };

  router.post('/waivers/:id/decision', async (req, res) => {
    const { credentials, userRef } = await userOf(req);
    const waiver = await waiverOf(req);
    const audit = await auditor.createEvent({
      eventId: 'waiver-decision',
      severityLevel: 'medium',
      request: req,
      meta: { waiver: waiver.id, site: waiver.siteRef, check: waiver.checkId },
    });
    try {
      const decision = parseInput(waiverDecisionSchema, req.body, 'decision');
      if (!(await holds(credentials, openstackWaiverApprovePermission))) {
        throw new NotAllowedError(
          `You may not ${openstackWaiverApprovePermission.name}`,
        );
      }
      // Whatever the policy says: nobody approves their own waiver.
      if (waiver.requestedBy.toLowerCase() === userRef.toLowerCase()) {
        throw new NotAllowedError('You may not decide your own waiver');
      }
      if (decision.decision === 'reject' && !decision.reason) {
        throw new InputError(
          'Invalid decision: reason: say why it is rejected',
        );
      }
      const status = decision.decision === 'approve' ? 'approved' : 'rejected';
      if (
        !(await store.decide(
          waiver.id,
          status,
          userRef,
          decision.reason,
          now(),
        ))
      ) {
        throw new ConflictError(`Waiver ${waiver.id} is no longer pending`);
      }
      await audit.success({ meta: { decision: status } });
      res.json(await store.get(waiver.id, now()));
    } catch (error) {
      await audit.fail({ error: error as Error });
      throw error;
    }
  });

  router.delete('/waivers/:id', async (req, res) => {
    const { credentials, userRef } = await userOf(req);
    const waiver = await waiverOf(req);
    const audit = await auditor.createEvent({
      eventId: 'waiver-revoke',
      severityLevel: 'medium',
      request: req,
      meta: { waiver: waiver.id, site: waiver.siteRef, check: waiver.checkId },
    });
    try {
      const may =
        waiver.requestedBy.toLowerCase() === userRef.toLowerCase() ||
        (await holdsOnSite(
          credentials,
          openstackWaiverRequestPermission,
          waiver.siteRef,
        )) ||
        (await holds(credentials, openstackWaiverApprovePermission));
      if (!may) throw new NotAllowedError('You may not revoke this waiver');
      if (!(await store.revoke(waiver.id, userRef, now()))) {
        throw new ConflictError(
          `Waiver ${waiver.id} is ${waiver.status}: only a pending or approved one can be revoked`,
        );
      }
      await audit.success();
      res.json(await store.get(waiver.id, now()));
    } catch (error) {
      await audit.fail({ error: error as Error });
      throw error;
    }
  });

  return router;
}
