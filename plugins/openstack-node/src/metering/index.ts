/**
 * Metering: a sample of what one project holds (servers, volumes, snapshots, images, floating IPs,
 * routers, load balancers) as its metering account sees it, and usage over time from stored
 * samples. See `sample.ts` and `usage.ts`.
 */
export {
  buildSample,
  METERED_RESOURCES,
  projectUsageSampleSchema,
  sampleProjectUsage,
  usageTotalsSchema,
  type MeteredResource,
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
