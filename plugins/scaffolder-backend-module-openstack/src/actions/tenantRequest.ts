import { z } from 'zod';
import { JsonObject } from '@backstage/types';
import { TemplateAction } from '@backstage/plugin-scaffolder-node';
import { tenantRequestSchema } from '@fedstack/plugin-openstack-common';
import { OpenStackTenantsApi } from '../openstackApi';
import { actionInputSchema, parseInput } from './schemas';
import { examples } from './tenantRequest.examples';

/** Where the portal shows tenants (the openstack frontend plugin's pages). */
export const tenantPageUrl = (appBaseUrl: string, id: string) =>
  `${appBaseUrl.replace(/\/+$/, '')}/openstack/tenants/${encodeURIComponent(
    id,
  )}`;

/**
 * A dry run's tenant id: where an id would be, saying that none was made.
 *
 * @public
 */
export const DRY_RUN_TENANT_ID = 'dry-run-not-created';

const outputSchema = z.object({
  tenantId: z
    .string()
    .describe(`The tenant's id (a dry run: ${DRY_RUN_TENANT_ID})`),
  status: z
    .string()
    .describe(
      'requested (approved at once: replication follows) or requires-approval; a dry run: dry-run',
    ),
  projectName: z
    .string()
    .describe("The project's name in Keystone, from the landing zone's pattern")
    .optional(),
  tenantUrl: z
    .string()
    .describe(
      "The tenant's page in the portal (a dry run: the workspace's tenants)",
    ),
  request: z
    .record(z.string(), z.unknown())
    .describe('A dry run only: the request the action would send')
    .optional(),
});

/**
 * `openstack:tenant:request`: requests a tenant (a workspace's project on a site) through the
 * OpenStack backend's `POST /tenants`, as the template's user.
 *
 * @public
 */
export function createTenantRequestAction(options: {
  api: OpenStackTenantsApi;
  /** The portal's `app.baseUrl`, for the link to the tenant's page. */
  appBaseUrl: string;
}): TemplateAction<JsonObject, JsonObject, 'v2'> {
  const { api, appBaseUrl } = options;
  return {
    id: 'openstack:tenant:request',
    description:
      "Requests an OpenStack tenant (a workspace's project on a site) through the OpenStack backend, as the template's user: the same checks, store and history as the request form and POST /tenants.",
    examples,
    supportsDryRun: true,
    schema: {
      input: actionInputSchema(tenantRequestSchema, {
        workspace:
          'The workspace: a group entity ref the user belongs to (group:default/team-a)',
        site: 'The OpenStack site: a resource entity ref (resource:default/site-a)',
        project:
          'The project id: lower-case letters, digits and -, at most 40; the landing zone makes the Keystone name from it',
        landingZone: 'The landing zone id (GET /api/openstack/landing-zones)',
        description: "The project's description (at most 255 characters)",
        members:
          "Members: each an external user id (EGI Check-in's …@egi.eu) and a role of the landing zone (admin, user, reader…)",
        quotas:
          "Quotas above the landing zone's own, by service (compute, blockStorage, network) in OpenStack's key names",
      }),
      output: z.toJSONSchema(outputSchema, { io: 'output' }) as JsonObject,
    },
    async handler(ctx) {
      // The route's own schema and wording, before anything is sent.
      const request = parseInput(
        tenantRequestSchema,
        ctx.input,
        'tenant request',
      );
      const credentials = await ctx.getInitiatorCredentials();

      if (ctx.isDryRun) {
        // Every check of the route (workspace, site, permission, landing zone, roles, quotas,
        // duplicates), as the user; the backend stores nothing.
        const wouldBe = await api.requestTenant(
          credentials,
          request,
          ctx.signal,
          { dryRun: true },
        );
        ctx.logger.info(
          `Dry run: would request ${wouldBe.projectName} of ${request.workspace} on ${request.site} (${wouldBe.status}); nothing was created`,
        );
        ctx.output('tenantId', DRY_RUN_TENANT_ID);
        ctx.output('status', 'dry-run');
        ctx.output('projectName', wouldBe.projectName);
        ctx.output(
          'tenantUrl',
          `${appBaseUrl.replace(
            /\/+$/,
            '',
          )}/openstack/tenants?workspace=${encodeURIComponent(
            request.workspace,
          )}`,
        );
        ctx.output('request', request as unknown as JsonObject);
        return;
      }

      // A resumed task (the scaffolder's recovery) reuses the tenant it made, not a 409.
      const tenant = await ctx.checkpoint({
        key: `openstack-tenant-request-${request.workspace}-${request.site}-${request.project}`,
        fn: async () => {
          const made = await api.requestTenant(
            credentials,
            request,
            ctx.signal,
          );
          return {
            id: made.id,
            status: made.status,
            projectName: made.projectName,
          };
        },
      });
      ctx.logger.info(
        `Tenant ${tenant.id} (${tenant.projectName}) requested; its status: ${tenant.status}`,
      );
      ctx.output('tenantId', tenant.id);
      ctx.output('status', tenant.status);
      ctx.output('projectName', tenant.projectName);
      ctx.output('tenantUrl', tenantPageUrl(appBaseUrl, tenant.id));
    },
  };
}
