import { EvidenceSink } from '../client/evidence';
import { HttpRequest, HttpResult, OpenStackHttp } from '../client/http';

/**
 * A GET to a public service (the accounting portal, GOCDB, the cloud information system) that
 * follows redirects on the same host only (http may move to https), at most `maxRedirects`
 * times; each hop is its own request, so each is evidence. OpenStackHttp itself never follows.
 */
export async function getFollowingSameHost<T>(
  http: OpenStackHttp,
  request: HttpRequest<T>,
  recorder?: EvidenceSink,
  maxRedirects = 3,
): Promise<HttpResult<T>> {
  let url = request.url;
  let query = request.query;
  for (let hop = 0; ; hop++) {
    const result = await http.request({ ...request, url, query }, recorder);
    if (
      result.ok ||
      result.error.kind !== 'redirect' ||
      !result.error.location ||
      hop >= maxRedirects
    ) {
      return result;
    }
    const from = new URL(url);
    let next: URL;
    try {
      next = new URL(result.error.location, from);
    } catch {
      return result;
    }
    const sameHost = next.hostname === from.hostname;
    const sameOrSafer =
      next.protocol === from.protocol || next.protocol === 'https:';
    if (!sameHost || !sameOrSafer) return result;
    url = next.href;
    // The Location carries its own query.
    query = undefined;
  }
}
