import { HttpResult } from '../http';
import { ServiceClient } from '../service';
import {
  ApiVersion,
  VERSION_STATUSES,
  versionDocumentSchema,
} from '../discovery';

/** Glance version discovery: `GET /` at the service's root (answered with 200 or 300). */
export function listImageVersions(
  client: ServiceClient,
): Promise<HttpResult<ApiVersion[]>> {
  return client.request({
    path: '/',
    from: 'root',
    authenticated: false,
    expectStatus: VERSION_STATUSES,
    schema: versionDocumentSchema,
  });
}
