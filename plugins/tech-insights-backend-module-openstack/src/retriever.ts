import { ResponseError } from '@backstage/errors';
import type { FactRetriever } from '@backstage-community/plugin-tech-insights-node';
import { OPENSTACK_SITE_TYPE } from '@fedstack/plugin-openstack-common';
import {
  OPENSTACK_SITE_FACT_RETRIEVER_ID,
  openstackSiteFactSchema,
} from './factSchema';
import { fleetExportSchema, siteFacts } from './siteFacts';

/**
 * Each `openstack-site`'s latest compliance scan as facts (schema: `openstackSiteFactSchema`).
 *
 * One request per run, whatever the number of sites: the OpenStack backend's fleet export
 * (`GET /api/openstack/export?format=json`: every site's summary as `GET /sites` gives it, and
 * its latest scan's check results), as this plugin's service, which may read every site.
 *
 * @public
 */
export const openstackSiteFactRetriever: FactRetriever = {
  id: OPENSTACK_SITE_FACT_RETRIEVER_ID,
  // Raise on any change of the schema or of what the handler returns: tech-insights stores a
  // schema once per (id, version).
  version: '0.1.0',
  title: 'OpenStack site compliance',
  description:
    "Each OpenStack site's latest compliance scan: scores and readiness per profile, failing checks, each check's status, when it was scanned",
  entityFilter: [{ kind: 'resource', 'spec.type': OPENSTACK_SITE_TYPE }],
  schema: openstackSiteFactSchema,
  async handler({ auth, discovery, logger }) {
    const { token } = await auth.getPluginRequestToken({
      onBehalfOf: await auth.getOwnServiceCredentials(),
      targetPluginId: 'openstack',
    });
    const baseUrl = await discovery.getBaseUrl('openstack');
    const response = await fetch(`${baseUrl}/export?format=json`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    if (!response.ok) throw await ResponseError.fromResponse(response);
    const parsed = fleetExportSchema.safeParse(await response.json());
    if (!parsed.success) {
      // Names the field, so a version mismatch with the OpenStack backend is plain in the log.
      throw new Error(
        `Unexpected answer from ${baseUrl}/export: ${parsed.error.issues
          .slice(0, 5)
          .map(i => `${i.path.join('.')}: ${i.message}`)
          .join('; ')}`,
      );
    }
    const facts = parsed.data.sites.map(siteFacts);
    logger.info(
      `OpenStack site facts: ${facts.length} sites, ${
        facts.filter(f => f.facts.scanned).length
      } with a completed scan`,
    );
    return facts;
  },
};
