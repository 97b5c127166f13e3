import { z } from 'zod';
import { HttpResult, mapData } from '../http';
import { ServiceClient } from '../service';

/**
 * Nova's absolute limits of the token's project, with what it uses (`maxTotalCores`,
 * `totalCoresUsed`, …), in the order Nova gives them: what `openstack limits show --absolute`
 * prints first.
 */
export const absoluteLimitsSchema = z.record(z.string(), z.number());

export type AbsoluteLimits = z.infer<typeof absoluteLimitsSchema>;

export const limitsAnswerSchema = z.looseObject({
  limits: z.looseObject({
    absolute: absoluteLimitsSchema,
    rate: z.array(z.unknown()).optional(),
  }),
});

/** `GET /limits` */
export async function getComputeLimits(
  compute: ServiceClient,
): Promise<HttpResult<AbsoluteLimits>> {
  const result = await compute.request({
    path: '/limits',
    schema: limitsAnswerSchema,
  });
  return mapData(result, data => data.limits.absolute);
}
