import { EvidenceSink } from './evidence';
import { CANCELLED, OpenStackHttp, OpenStackHttpOptions } from './http';
import { Lookup, ServiceClient } from './service';
import { versionRootUrl } from './endpointUrl';
import { Authenticator } from './identity/authenticator';
import {
  Catalog,
  EndpointSelector,
  SelectedEndpoint,
  selectEndpoint,
} from './identity/catalog';
import { IdentityApi, identityApi } from './identity/index';
import { Credential, Scope, Token } from './identity/tokens';
import { ComputeApi, computeApi } from './compute/index';
import { listBlockStorageVersions } from './blockstorage/versions';
import {
  getBlockStorageQuotaSet,
  updateBlockStorageQuotaSet,
} from './blockstorage/quotas';
import { listImageVersions } from './image/versions';
import { listImages } from './image/images';
import { listVolumes } from './blockstorage/volumes';
import { listSnapshots } from './blockstorage/snapshots';
import { listFloatingIps } from './network/floatingips';
import { listRouters } from './network/routers';
import { listNetworkVersions } from './network/versions';
import {
  getNetworkQuota,
  getNetworkQuotaDetails,
  updateNetworkQuota,
} from './network/quotas';
import { getObjectStoreInfo } from './objectstore/info';

/**
 * A site as one credential set sees it: the site's http (shared by every credential set of the
 * site), a token cache, and the catalog from the token. Checks call `session.compute.flavors()`;
 * calls to different services may run at once.
 */

export interface OpenStackSessionOptions {
  /** Keystone's URL as configured for the site, e.g. `https://keystone.example.org:5000/v3`. */
  keystoneUrl: string;
  credential: Credential;
  /** The site's http; made from `httpOptions` when absent. */
  http?: OpenStackHttp;
  httpOptions?: OpenStackHttpOptions;
  /** Reuse the token cache of another session of the same credential set. */
  authenticator?: Authenticator;
  /** The catalog region to use (any when absent). */
  region?: string;
  /** Catalog interface (default `public`). */
  interface?: EndpointSelector['interface'];
  /**
   * The token scope (default: the credential's own). Set, it is also the scope of identity calls
   * (over the credential's `identityScope`).
   */
  scope?: Scope;
  /** Where this session's requests are also reported (e.g. one check's recorder). */
  recorder?: EvidenceSink;
  /**
   * The caller's cancel (a console user's Ctrl+C): later requests are not made, the ones in
   * flight are stopped. Token requests are not: other callers may share them.
   */
  signal?: AbortSignal;
  /** Re-issue tokens with less than this left (default 5 min). */
  refreshMarginMs?: number;
  now?: () => number;
}

// Official service types first, then the names sites still register (Cinder's `volumev3`).
const BLOCK_STORAGE_TYPES = ['volumev3', 'block-storage', 'volume'];

export class OpenStackSession {
  readonly http: OpenStackHttp;
  readonly authenticator: Authenticator;
  // Each service's calls, made on first use: a scan makes a session per check and account
  // (withRecorder), and most use one or two services (bench/fleet.mjs: less garbage, less heap).
  private readonly apis: {
    identity?: IdentityApi;
    compute?: ComputeApi;
    blockStorage?: ReturnType<typeof blockStorageApi>;
    image?: ReturnType<typeof imageApi>;
    network?: ReturnType<typeof networkApi>;
    objectStore?: ReturnType<typeof objectStoreApi>;
  } = {};

  constructor(private readonly options: OpenStackSessionOptions) {
    this.http = options.http ?? new OpenStackHttp(options.httpOptions);
    this.authenticator =
      options.authenticator ??
      new Authenticator({
        http: this.http,
        keystoneUrl: options.keystoneUrl,
        credential: options.credential,
        refreshMarginMs: options.refreshMarginMs,
        now: options.now,
      });
  }

  get identity(): IdentityApi {
    return (this.apis.identity ??= identityApi(this.identityClient()));
  }

  get compute(): ComputeApi {
    return (this.apis.compute ??= computeApi(this.service('compute')));
  }

  get blockStorage(): ReturnType<typeof blockStorageApi> {
    return (this.apis.blockStorage ??= blockStorageApi(
      this.service(BLOCK_STORAGE_TYPES),
    ));
  }

  get image(): ReturnType<typeof imageApi> {
    return (this.apis.image ??= imageApi(this.service('image')));
  }

  get network(): ReturnType<typeof networkApi> {
    return (this.apis.network ??= networkApi(this.service('network')));
  }

  get objectStore(): ReturnType<typeof objectStoreApi> {
    return (this.apis.objectStore ??= objectStoreApi(
      this.service('object-store'),
    ));
  }

  /** The same site and credential set, its requests also reported to `recorder`. */
  withRecorder(recorder: EvidenceSink): OpenStackSession {
    return this.derived({ recorder });
  }

  /** The caller's cancel this session's requests end with, if any. */
  get signal(): AbortSignal | undefined {
    return this.options.signal;
  }

  /** The same site and credential set, its requests ended by `signal` (see the option). */
  withSignal(signal: AbortSignal): OpenStackSession {
    return this.derived({ signal });
  }

  /** The same credential set with another token scope (tokens cached per scope). */
  withScope(scope: Scope): OpenStackSession {
    return this.derived({ scope });
  }

  // Same http and token cache: a derived session costs no new connection or token.
  private derived(
    change: Pick<OpenStackSessionOptions, 'recorder' | 'signal' | 'scope'>,
  ): OpenStackSession {
    return new OpenStackSession({
      ...this.options,
      http: this.http,
      authenticator: this.authenticator,
      ...change,
    });
  }

  /** The session's token (issued once, then reused until it nears expiry). */
  token(): Promise<Lookup<Token>> {
    return this.tokenFor(this.options.scope);
  }

  /**
   * The token `identity` calls are made with: the credential's `identityScope` (a system reader's
   * system-scoped token), unless this session was given a scope; else the session's token.
   */
  identityToken(): Promise<Lookup<Token>> {
    return this.tokenFor(this.identityScope() ?? this.options.scope);
  }

  private tokenFor(scope: Scope | undefined): Promise<Lookup<Token>> {
    // Once cancelled, no new token is asked for (one already on its way is shared by others).
    if (this.options.signal?.aborted) {
      return Promise.resolve({ ok: false, error: CANCELLED });
    }
    return this.authenticator.token(scope);
  }

  private identityScope(): Scope | undefined {
    if (this.options.scope) return undefined;
    const credential = this.options.credential;
    return credential.type === 'application-credential'
      ? undefined
      : credential.identityScope;
  }

  /** The catalog of the session's token. */
  async catalog(): Promise<Lookup<Catalog>> {
    const token = await this.token();
    return token.ok ? { ok: true, value: token.value.catalog } : token;
  }

  /** A service's endpoint from the catalog, by type (first found of several), interface and region. */
  async endpoint(
    serviceType: string | readonly string[],
    selector: EndpointSelector = {},
  ): Promise<Lookup<SelectedEndpoint>> {
    const catalog = await this.catalog();
    if (!catalog.ok) return catalog;
    const wanted = {
      interface: selector.interface ?? this.options.interface ?? 'public',
      region: selector.region ?? this.options.region,
    };
    const found = selectEndpoint(catalog.value, serviceType, wanted);
    if (found) return { ok: true, value: found };
    const types = typeof serviceType === 'string' ? [serviceType] : serviceType;
    return {
      ok: false,
      error: {
        kind: 'catalog',
        message:
          catalog.value.length === 0
            ? 'the token has no catalog (is it scoped?)'
            : `no ${wanted.interface} endpoint for ${types.join(' / ')}${
                wanted.region ? ` in region ${wanted.region}` : ''
              } in the catalog`,
      },
    };
  }

  /** A client for any catalog service (e.g. `orchestration`), for calls not bound here. */
  service(
    serviceType: string | readonly string[],
    selector: EndpointSelector = {},
  ): ServiceClient {
    return new ServiceClient({
      http: this.http,
      serviceType:
        typeof serviceType === 'string' ? serviceType : serviceType[0],
      endpoint: async () => {
        const found = await this.endpoint(serviceType, selector);
        return found.ok ? { ok: true, value: found.value.url } : found;
      },
      token: () => this.tokenId(this.token()),
      recorder: this.options.recorder,
      signal: this.options.signal,
    });
  }

  /** Keystone's URL as configured for the site. */
  get keystoneUrl(): string {
    return this.options.keystoneUrl;
  }

  get tokensIssued(): number {
    return this.authenticator.tokensIssued;
  }

  get requestCount(): number {
    return this.http.requestCount;
  }

  /** Frees the site's connections (only when this session made its http). */
  close(): void {
    if (!this.options.http) this.http.close();
  }

  private identityClient(): ServiceClient {
    const keystoneRoot = versionRootUrl(this.options.keystoneUrl);
    return new ServiceClient({
      http: this.http,
      serviceType: 'identity',
      // The configured URL, not the catalog's: it is the URL the site registered.
      endpoint: async () => ({ ok: true, value: keystoneRoot }),
      token: () => this.tokenId(this.identityToken()),
      recorder: this.options.recorder,
      signal: this.options.signal,
    });
  }

  private async tokenId(
    lookup: Promise<Lookup<Token>>,
  ): Promise<Lookup<string>> {
    const token = await lookup;
    return token.ok ? { ok: true, value: token.value.id } : token;
  }
}

function blockStorageApi(volume: ServiceClient) {
  return {
    client: volume,
    versions: () => listBlockStorageVersions(volume),
    volumes: (filters?: Parameters<typeof listVolumes>[1]) =>
      listVolumes(volume, filters),
    snapshots: (filters?: Parameters<typeof listSnapshots>[1]) =>
      listSnapshots(volume, filters),
    quotaSet: (projectId: string) => getBlockStorageQuotaSet(volume, projectId),
    updateQuotaSet: (projectId: string, changes: Record<string, number>) =>
      updateBlockStorageQuotaSet(volume, projectId, changes),
  };
}

function imageApi(image: ServiceClient) {
  return {
    client: image,
    versions: () => listImageVersions(image),
    images: (filters?: Parameters<typeof listImages>[1]) =>
      listImages(image, filters),
  };
}

function networkApi(network: ServiceClient) {
  return {
    client: network,
    versions: () => listNetworkVersions(network),
    floatingIps: (filters?: { project_id?: string }) =>
      listFloatingIps(network, filters),
    routers: (filters?: { project_id?: string }) =>
      listRouters(network, filters),
    quota: (projectId: string) => getNetworkQuota(network, projectId),
    quotaDetails: (projectId: string) =>
      getNetworkQuotaDetails(network, projectId),
    updateQuota: (projectId: string, changes: Record<string, number>) =>
      updateNetworkQuota(network, projectId, changes),
  };
}

function objectStoreApi(objectStore: ServiceClient) {
  return { client: objectStore, info: () => getObjectStoreInfo(objectStore) };
}
