import { Evidence, EvidenceSink } from './evidence';
import { HttpError, HttpRequest, HttpResult, OpenStackHttp } from './http';
import { joinUrl, versionRootUrl } from './endpointUrl';

/**
 * One OpenStack service as seen by a credential set (gophercloud's ServiceClient): where it is
 * (from the catalog) and which token to send. Resource modules (`compute/flavors.ts`, …) take
 * one and name paths as the service's API reference does.
 */

/** Finding something needed before the request (an endpoint, a token) can fail too. */
export type Lookup<T> =
  | { ok: true; value: T }
  | { ok: false; error: HttpError; evidence?: Evidence };

export interface ServiceRequest<T> extends Omit<HttpRequest<T>, 'url'> {
  /** Path after the endpoint URL, e.g. `/flavors/detail` on Nova's `…/v2.1`. */
  path: string;
  /** `root` asks at the endpoint without its version (`GET /` version discovery). */
  from?: 'endpoint' | 'root';
  /** Send the token (default true). */
  authenticated?: boolean;
  /** An absolute URL from configuration instead of the endpoint (e.g. a federation auth URL). */
  url?: string;
}

export interface ServiceClientOptions {
  http: OpenStackHttp;
  /** The service type asked of the catalog (`compute`, `volumev3`, …). */
  serviceType: string;
  endpoint: () => Promise<Lookup<string>>;
  token?: () => Promise<Lookup<string>>;
  recorder?: EvidenceSink;
  /** The caller's cancel: requests after it are not made, the ones in flight are stopped. */
  signal?: AbortSignal;
}

export class ServiceClient {
  constructor(private readonly options: ServiceClientOptions) {}

  get serviceType(): string {
    return this.options.serviceType;
  }

  get http(): OpenStackHttp {
    return this.options.http;
  }

  /** The endpoint URL this client sends to (from the catalog or configuration). */
  endpoint(): Promise<Lookup<string>> {
    return this.options.endpoint();
  }

  /** The same service, with the requests also reported to another sink. */
  withRecorder(recorder: EvidenceSink): ServiceClient {
    return new ServiceClient({ ...this.options, recorder });
  }

  async request<T>(req: ServiceRequest<T>): Promise<HttpResult<T>> {
    const { path, from, authenticated = true, url, headers, ...rest } = req;
    let target = url;
    if (!target) {
      const endpoint = await this.options.endpoint();
      if (!endpoint.ok) return endpoint;
      target = joinUrl(
        from === 'root' ? versionRootUrl(endpoint.value) : endpoint.value,
        path,
      );
    }
    const allHeaders: Record<string, string> = { ...headers };
    if (authenticated && this.options.token) {
      const token = await this.options.token();
      if (!token.ok) return token;
      allHeaders['X-Auth-Token'] = token.value;
    }
    return this.options.http.request(
      { ...rest, url: target, headers: allHeaders },
      this.options.recorder,
      this.options.signal,
    );
  }
}
