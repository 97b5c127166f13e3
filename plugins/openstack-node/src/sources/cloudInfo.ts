import { z } from 'zod';
import { EvidenceSink } from '../client/evidence';
import { HttpError, OpenStackHttp } from '../client/http';
import { getFollowingSameHost } from './followSameHost';

/**
 * EGI's cloud information system as served by cloud-info-api (the JSON cloud-info-provider
 * publishes per site, summarised): `GET /sites/` lists every site as
 * `{id: <GOCDB id of the service>, name: <GOCDB site name>, url: <Keystone URL>, state}` and
 * `GET /site/{id}/projects` the projects it publishes, `{id: <project id>, name: <VO>}`.
 * The whole list is read rather than `?site_name=`, which answers 500 for an unknown site.
 */

export const cloudInfoSiteSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  url: z.string(),
  state: z.string().optional(),
});
export type CloudInfoSite = z.infer<typeof cloudInfoSiteSchema>;

export const cloudInfoProjectSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
});
export type CloudInfoProject = z.infer<typeof cloudInfoProjectSchema>;

export type CloudInfoLookup<T> =
  | { ok: true; value: T; url: string }
  | { ok: false; error: HttpError; url: string };

function join(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}/${path}`;
}

export async function cloudInfoSites(
  http: OpenStackHttp,
  baseUrl: string,
  recorder?: EvidenceSink,
): Promise<CloudInfoLookup<CloudInfoSite[]>> {
  const url = join(baseUrl, 'sites/');
  const result = await getFollowingSameHost(
    http,
    { url, schema: z.array(cloudInfoSiteSchema) },
    recorder,
  );
  return result.ok
    ? { ok: true, value: result.data, url }
    : { ok: false, error: result.error, url };
}

export async function cloudInfoSiteProjects(
  http: OpenStackHttp,
  baseUrl: string,
  siteId: string,
  recorder?: EvidenceSink,
): Promise<CloudInfoLookup<CloudInfoProject[]>> {
  const url = join(baseUrl, `site/${encodeURIComponent(siteId)}/projects`);
  const result = await getFollowingSameHost(
    http,
    { url, schema: z.array(cloudInfoProjectSchema) },
    recorder,
  );
  return result.ok
    ? { ok: true, value: result.data, url }
    : { ok: false, error: result.error, url };
}
