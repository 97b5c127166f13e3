/**
 * The one comparison of endpoint URLs (a site's Keystone URL against GOCDB's, the information
 * system's): the same endpoint whatever the case of the scheme and host, an explicit default
 * port (443, 80) or trailing slashes; the path's case, the query and everything else count.
 * WHATWG URL parsing already lower-cases the scheme and host and drops a default port, so the
 * differences are named by comparing the raw spellings.
 */

export type UrlSpelling =
  | 'trailing slash'
  | 'scheme case'
  | 'host case'
  | 'default port';

export type UrlComparison =
  | { same: true; exact: boolean; spelling: UrlSpelling[] }
  | { same: false };

/** `scheme://host[:port]/path?query` with the spelling differences above removed; undefined if not a URL. */
export function normalEndpointUrl(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return undefined;
  }
  const path = parsed.pathname.replace(/\/+$/, '');
  return `${parsed.protocol}//${parsed.host}${path}${parsed.search}`;
}

// What new URL() normalises away, read from the raw text: `scheme://[userinfo@]host[:port]`.
const AUTHORITY =
  /^\s*([A-Za-z][A-Za-z0-9+.-]*):\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#]*)(?::(\d*))?/;

function parts(url: string) {
  const match = AUTHORITY.exec(url);
  return {
    scheme: match?.[1] ?? '',
    host: match?.[2] ?? '',
    port: match?.[3] ?? '',
    path: url.replace(/[?#].*$/, ''),
  };
}

/** Whether two URLs name the same endpoint, and which spellings differ when not written alike. */
export function compareEndpointUrls(a: string, b: string): UrlComparison {
  const normalA = normalEndpointUrl(a);
  if (normalA === undefined || normalA !== normalEndpointUrl(b)) {
    return { same: false };
  }
  if (a.trim() === b.trim()) return { same: true, exact: true, spelling: [] };
  const pa = parts(a);
  const pb = parts(b);
  const spelling: UrlSpelling[] = [];
  if (pa.scheme !== pb.scheme) spelling.push('scheme case');
  if (pa.host !== pb.host) spelling.push('host case');
  if (pa.port !== pb.port) spelling.push('default port');
  if (/\/$/.test(pa.path) !== /\/$/.test(pb.path)) {
    spelling.push('trailing slash');
  }
  return { same: true, exact: spelling.length === 0, spelling };
}
