export {
  buildSample,
  FLAVOR_MICROVERSION,
  holdsResources,
  METERED_RESOURCES,
  meteredServerSchema,
  projectUsageSampleSchema,
  sampleProjectUsage,
  usageTotalsSchema,
  workloadOf,
  WORKLOAD_PREFIX,
  type MeteredResource,
  type MeteredServer,
  type ProjectUsageSample,
  type SampleAnswers,
  type SampleOptions,
  type UsageTotals,
} from './sample';
export {
  usageOverTime,
  type TimedTotals,
  type UsageOptions,
  type UsageOverTime,
} from './usage';
