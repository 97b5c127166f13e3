import { listRootVersions } from '../discovery';

/** Neutron version discovery: `GET /` at the service's root (answered with 200 or 300). */
export const listNetworkVersions = listRootVersions;
