import { z } from 'zod';
import { JsonObject } from '@backstage/types';
import { TemplateAction } from '@backstage/plugin-scaffolder-node';
import { tenantMembersUpdateSchema } from '@fedstack/plugin-openstack-common';
import { OpenStackTenantsApi } from '../openstackApi';
import { actionInputSchema, parseInput } from './schemas';
import { tenantPageUrl } from './tenantRequest';
import { examples } from './tenantMembers.examples';

// The route's body and its path's id, as PUT /tenants/{id}/members takes them.
const inputSchema = tenantMembersUpdateSchema.extend({ tenantId: z.uuid() });

const outputSchema = z.object({
  tenantId: z.string(),
  status: z.string().describe("The tenant's status"),
  members: z
    .number()
    .int()
    .describe('How many members the tenant has now (a dry run: would have)'),
  tenantUrl: z.string().describe("The tenant's page in the portal"),
});

/**
 * `openstack:tenant:members`: sets a tenant's members through the OpenStack backend's
 * `PUT /tenants/{id}/members`, as the template's user.
 *
 * @public
 */
export function createTenantMembersAction(options: {
  api: OpenStackTenantsApi;
  /** The portal's `app.baseUrl`, for the link to the tenant's page. */
  appBaseUrl: string;
}): TemplateAction<JsonObject, JsonObject, 'v2'> {
  const { api, appBaseUrl } = options;
  return {
    id: 'openstack:tenant:members',
    description:
      "Sets an OpenStack tenant's members (the whole list) through the OpenStack backend, as the template's user; replication brings them to Keystone.",
    examples,
    supportsDryRun: true,
    schema: {
      input: actionInputSchema(inputSchema, {
        tenantId: "The tenant's id (openstack:tenant:request's tenantId)",
        members:
          "Every member: an external user id (EGI Check-in's …@egi.eu) and a role of the tenant's landing zone",
      }),
      output: z.toJSONSchema(outputSchema, { io: 'output' }) as JsonObject,
    },
    async handler(ctx) {
      const { tenantId, members } = parseInput(
        inputSchema,
        ctx.input,
        'members',
      );
      const credentials = await ctx.getInitiatorCredentials();

      // A dry run: every check of the route, as the user; the backend changes nothing.
      const tenant = await api.setMembers(
        credentials,
        tenantId,
        members,
        ctx.signal,
        { dryRun: ctx.isDryRun },
      );
      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: would set ${members.length} members of tenant ${tenant.id} (${tenant.projectName}); nothing was changed`,
        );
      } else {
        ctx.logger.info(
          `Tenant ${tenant.id} (${tenant.projectName}): ${tenant.members.length} members`,
        );
      }
      ctx.output('tenantId', tenant.id);
      ctx.output('status', tenant.status);
      ctx.output('members', tenant.members.length);
      ctx.output('tenantUrl', tenantPageUrl(appBaseUrl, tenant.id));
    },
  };
}
