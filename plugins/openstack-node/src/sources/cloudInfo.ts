import { z } from 'zod';
import { EvidenceSink } from '../client/evidence';
import { HttpError, OpenStackHttp } from '../client/http';
import { getFollowingSameHost } from './followSameHost';

/**
 * EGI's cloud information system as served by cloud-info-api (the GLUE JSON cloud-info-provider
 * publishes per site, summarised). It is keyed by GOCDB **site name**: `GET /site/{name}/…`.
 * `GET /sites/?include_projects=true` lists every site in one read, each as
 * `{id: <GOCDB id of the nova service>, name: <GOCDB site name>, url: <Keystone URL>, state,
 * hostname, projects: [{id: <project id>, name: <VO>}]}`; a site with two Keystones (two
 * nova services under one GOCDB name) is two entries of one name, which `/site/{name}/` cannot
 * tell apart. That list is what is read.
 */

export const cloudInfoProjectSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
});
export type CloudInfoProject = z.infer<typeof cloudInfoProjectSchema>;

export const cloudInfoSiteSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  url: z.string(),
  state: z.string().optional(),
  hostname: z.string().optional(),
  projects: z.array(cloudInfoProjectSchema).optional(),
});
export type CloudInfoSite = z.infer<typeof cloudInfoSiteSchema>;

export type CloudInfoLookup<T> =
  | { ok: true; value: T; url: string }
  | { ok: false; error: HttpError; url: string };

/** `<base>/sites/?include_projects=true`: the whole list, with each site's projects. */
export function cloudInfoSitesUrl(baseUrl: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/sites/?include_projects=true`;
}

export async function cloudInfoSites(
  http: OpenStackHttp,
  baseUrl: string,
  recorder?: EvidenceSink,
): Promise<CloudInfoLookup<CloudInfoSite[]>> {
  const url = cloudInfoSitesUrl(baseUrl);
  const result = await getFollowingSameHost(
    http,
    { url, schema: z.array(cloudInfoSiteSchema) },
    recorder,
  );
  return result.ok
    ? { ok: true, value: result.data, url }
    : { ok: false, error: result.error, url };
}
