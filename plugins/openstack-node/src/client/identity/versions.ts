import { HttpResult } from '../http';
import { ServiceClient } from '../service';
import {
  ApiVersion,
  VERSION_STATUSES,
  versionDocumentSchema,
} from '../discovery';

/** Keystone version discovery: `GET /` (multiple choices, 300) and `GET /v3` (one version). */

/** What `GET /` must answer: a version document, with 200 or 300. */
export const IDENTITY_VERSION_DISCOVERY = {
  expectStatus: VERSION_STATUSES,
  schema: versionDocumentSchema,
};

export function listIdentityVersions(
  identity: ServiceClient,
): Promise<HttpResult<ApiVersion[]>> {
  return identity.request({
    path: '/',
    authenticated: false,
    ...IDENTITY_VERSION_DISCOVERY,
  });
}

export function getIdentityV3Version(
  identity: ServiceClient,
): Promise<HttpResult<ApiVersion[]>> {
  return identity.request({
    path: '/v3',
    authenticated: false,
    expectStatus: VERSION_STATUSES,
    schema: versionDocumentSchema,
  });
}
