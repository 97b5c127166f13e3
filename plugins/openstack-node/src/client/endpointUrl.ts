/** Endpoint URLs: where a request goes, and where a service's version documents are. */

/**
 * The URL version documents are asked at: the endpoint without its version suffix and what
 * follows it (`…:8776/v3/<project>` → `…:8776/`, `https://h/identity/v3` → `https://h/identity/`).
 */
export function versionRootUrl(endpointUrl: string): string {
  const url = new URL(endpointUrl);
  const segments = url.pathname.split('/').filter(Boolean);
  const versionAt = segments.findIndex(segment =>
    /^v\d+(\.\d+)?$/.test(segment),
  );
  const kept = versionAt === -1 ? segments : segments.slice(0, versionAt);
  url.pathname = `/${kept.map(s => `${s}/`).join('')}`;
  url.search = '';
  url.hash = '';
  return url.toString();
}

/** `http://h/v2.1` + `/flavors/detail`; a root `/` keeps the base's trailing slash. */
export function joinUrl(base: string, path: string): string {
  const trimmed = base.replace(/\/+$/, '');
  if (path === '') return trimmed;
  return `${trimmed}${path.startsWith('/') ? '' : '/'}${path}`;
}
