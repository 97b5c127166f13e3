import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import {
  AuthenticationError,
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import {
  LandingZone,
  TenantDetail,
  TenantMember,
  TenantRequest,
} from '@fedstack/plugin-openstack-common';

/**
 * The OpenStack backend's tenant routes, called on behalf of a template's user: the same routes
 * the request form and REST clients use, so every path ends in the same store, permission
 * checks and audit history. Never talks to Keystone itself.
 *
 * @public
 */
export class OpenStackTenantsApi {
  constructor(
    private readonly services: {
      auth: AuthService;
      discovery: DiscoveryService;
    },
  ) {}

  /**
   * `POST /tenants`: the tenant as the backend made it; with `dryRun`, as it would make it after
   * every check of the route, nothing stored.
   */
  requestTenant(
    credentials: BackstageCredentials,
    body: TenantRequest,
    signal?: AbortSignal,
    options: { dryRun?: boolean } = {},
  ): Promise<TenantDetail> {
    return this.call(
      credentials,
      'POST',
      `/tenants${options.dryRun ? '?dryRun=true' : ''}`,
      body,
      signal,
    );
  }

  /** `GET /tenants/{id}`, as the user may read it. */
  getTenant(
    credentials: BackstageCredentials,
    id: string,
    signal?: AbortSignal,
  ): Promise<TenantDetail> {
    return this.call(
      credentials,
      'GET',
      `/tenants/${encodeURIComponent(id)}`,
      undefined,
      signal,
    );
  }

  /** `PUT /tenants/{id}/members`: the whole list; with `dryRun`, every check, nothing changed. */
  setMembers(
    credentials: BackstageCredentials,
    id: string,
    members: TenantMember[],
    signal?: AbortSignal,
    options: { dryRun?: boolean } = {},
  ): Promise<TenantDetail> {
    return this.call(
      credentials,
      'PUT',
      `/tenants/${encodeURIComponent(id)}/members${
        options.dryRun ? '?dryRun=true' : ''
      }`,
      { members },
      signal,
    );
  }

  /** `GET /landing-zones`: the zones tenants may be requested in. */
  async landingZones(
    credentials: BackstageCredentials,
    signal?: AbortSignal,
  ): Promise<LandingZone[]> {
    const body = await this.call<{ landingZones: LandingZone[] }>(
      credentials,
      'GET',
      '/landing-zones',
      undefined,
      signal,
    );
    return body.landingZones;
  }

  private async call<T>(
    credentials: BackstageCredentials,
    method: string,
    path: string,
    body: unknown,
    signal: AbortSignal | undefined,
  ): Promise<T> {
    const { auth, discovery } = this.services;
    // A token for the openstack plugin that carries the user: the backend sees the template's
    // user, not the scaffolder, and checks their permissions and workspaces.
    const { token } = await auth.getPluginRequestToken({
      onBehalfOf: credentials,
      targetPluginId: 'openstack',
    });
    const response = await fetch(
      `${await discovery.getBaseUrl('openstack')}${path}`,
      {
        method,
        headers: {
          Authorization: `Bearer ${token}`,
          ...(body !== undefined && { 'Content-Type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal,
      },
    );
    if (response.ok) return (await response.json()) as T;
    throw await errorOf(response, `${method} ${path}`);
  }
}

/**
 * The backend's own error, with its own message (`Invalid tenant request: …`), as the error
 * class the scaffolder shows; the status and route only where the backend said nothing.
 */
async function errorOf(response: Response, what: string): Promise<Error> {
  let message: string | undefined;
  try {
    const body = (await response.json()) as { error?: { message?: unknown } };
    if (typeof body?.error?.message === 'string') message = body.error.message;
  } catch {
    // Not Backstage's JSON error body (a proxy's page): the status says it.
  }
  const text =
    message ??
    `OpenStack backend answered ${what} with ${response.status} ${response.statusText}`;
  switch (response.status) {
    case 400:
      return new InputError(text);
    case 401:
      return new AuthenticationError(text);
    case 403:
      return new NotAllowedError(text);
    case 404:
      return new NotFoundError(text);
    case 409:
      return new ConflictError(text);
    default:
      return new Error(text);
  }
}
