import { HttpResult, mapData } from '../http';
import { ServiceClient } from '../service';
import { AbsoluteLimits, limitsAnswerSchema } from '../compute/limits';

/**
 * Cinder's absolute limits of the token's project (`maxTotalVolumes`, `totalVolumesUsed`, …),
 * printed by `openstack limits show --absolute` after Nova's. Cinder answers as Nova does.
 */
export async function getBlockStorageLimits(
  volume: ServiceClient,
): Promise<HttpResult<AbsoluteLimits>> {
  const result = await volume.request({
    path: '/limits',
    schema: limitsAnswerSchema,
  });
  return mapData(result, data => data.limits.absolute);
}
