/**
 * Metering: a sample of what one project holds (servers, volumes, snapshots, images, floating IPs,
 * routers, load balancers) as its metering account sees it, and usage over time from stored
 * samples. See `sample.ts` and `usage.ts`;
 * the usage totals' shape is the terms package's (`usageTotalsSchema`).
 */
export {
  buildSample,
  METERED_RESOURCES,
  projectUsageSampleSchema,
  sampleProjectUsage,
  type MeteredResource,
  type ProjectUsageSample,
  type SampleAnswers,
  type SampleOptions,
} from './sample';
export {
  usageOverTime,
  type TimedTotals,
  type UsageOptions,
  type UsageOverTime,
} from './usage';
