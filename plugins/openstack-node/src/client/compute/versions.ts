import { HttpResult } from '../http';
import { ServiceClient } from '../service';
import {
  ApiVersion,
  VERSION_STATUSES,
  versionDocumentSchema,
} from '../discovery';

/**
 * Nova version discovery. `version` is the highest microversion and `min_version` the lowest
 * (`2.93` and `2.1` on Zed); the legacy v2.0 lists them as empty strings.
 */

/** `GET /` at Nova's root: every API version. */
export function listComputeVersions(
  compute: ServiceClient,
): Promise<HttpResult<ApiVersion[]>> {
  return compute.request({
    path: '/',
    from: 'root',
    authenticated: false,
    expectStatus: VERSION_STATUSES,
    schema: versionDocumentSchema,
  });
}

/** `GET /v2.1/` (the endpoint itself): the version the catalog points at. */
export function getComputeVersion(
  compute: ServiceClient,
): Promise<HttpResult<ApiVersion[]>> {
  return compute.request({
    path: '/',
    authenticated: false,
    expectStatus: VERSION_STATUSES,
    schema: versionDocumentSchema,
  });
}
