import net from 'node:net';
import { Evidence } from '../../client/evidence';
import { HttpError } from '../../client/http';
import { SelectedEndpoint, listEndpoints } from '../../client/identity/catalog';
import { ScanContext } from '../context';

/** What the services.* checks look through: the catalog's public endpoints in the site's region. */
export async function publicEndpoints({
  sessions,
  site,
}: Pick<ScanContext, 'sessions' | 'site'>): Promise<
  { ok: true; endpoints: SelectedEndpoint[] } | { ok: false; error: HttpError }
> {
  const catalog = await sessions.reader.catalog();
  if (!catalog.ok) return catalog;
  return {
    ok: true,
    endpoints: listEndpoints(catalog.value, {
      interface: 'public',
      region: site.region,
    }),
  };
}

/** ` in region X`, or nothing when the site names no region. */
export function inRegion(region: string | undefined): string {
  return region ? ` in region ${region}` : '';
}

/** An endpoint URL's port, explicit or the scheme's default; undefined for a URL that is not one. */
export function endpointPort(url: string): number | undefined {
  try {
    const parsed = new URL(url);
    if (parsed.port) return Number(parsed.port);
    if (parsed.protocol === 'https:') return 443;
    if (parsed.protocol === 'http:') return 80;
    return undefined;
  } catch {
    return undefined;
  }
}

export interface TcpProbeResult {
  open: boolean;
  error?: string;
  evidence: Evidence;
}

/** Whether a host's port accepts a TCP connection within the timeout (closed right after). */
export function probeTcp(
  host: string,
  port: number,
  timeoutMs: number,
): Promise<TcpProbeResult> {
  const started = Date.now();
  const address = host.replace(/^\[|\]$/g, '');
  const evidence = (error?: string): Evidence => ({
    at: new Date(started).toISOString(),
    method: 'TCP',
    // A colon only in IPv6 literals (host names have none); cheaper than net.isIPv6.
    url: `tcp://${address.includes(':') ? `[${address}]` : address}:${port}`,
    durationMs: Date.now() - started,
    requestHeaders: {},
    responseHeaders: {},
    ...(error ? { error } : {}),
  });
  return new Promise(resolve => {
    const socket = net.connect({ host: address, port });
    let settled = false;
    const done = (error?: string) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      resolve({
        open: !error,
        ...(error ? { error } : {}),
        evidence: evidence(error),
      });
    };
    socket.setTimeout(timeoutMs, () =>
      done(`no TCP connection within ${timeoutMs} ms`),
    );
    socket.once('connect', () => done());
    socket.once('error', (err: NodeJS.ErrnoException) =>
      done(
        err.code && !err.message.includes(err.code)
          ? `${err.code}: ${err.message}`
          : err.message,
      ),
    );
  });
}
