/**
 * Tech Insights module for the fedstack OpenStack plugins: each OpenStack site's latest
 * compliance scan (scores and readiness per profile, failing checks, each check's status) as
 * facts, for tech-insights checks and scorecards.
 *
 * @packageDocumentation
 */
export { techInsightsModuleOpenStackSiteFacts as default } from './module';
export { techInsightsModuleOpenStackSiteFacts } from './module';
export { openstackSiteFactRetriever } from './retriever';
export {
  OPENSTACK_SITE_FACT_RETRIEVER_ID,
  openstackSiteFactSchema,
  profileFactNames,
  profileFactPrefix,
} from './factSchema';
