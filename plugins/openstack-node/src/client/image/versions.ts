import { listRootVersions } from '../discovery';

/** Glance version discovery: `GET /` at the service's root (answered with 200 or 300). */
export const listImageVersions = listRootVersions;
