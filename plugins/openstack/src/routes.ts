import {
  createRouteRef,
  RouteRef,
  useRouteRef,
} from '@backstage/core-plugin-api';

/**
 * Where the app mounted a page (its route), or `fallback` when the app did not mount it under
 * that ref: a card linking to it still links somewhere sensible rather than failing to render.
 */
export function useMountedPath(routeRef: RouteRef, fallback: string): string {
  try {
    return useRouteRef(routeRef)();
  } catch {
    return fallback;
  }
}

/** The fleet overview page. */
export const rootRouteRef = createRouteRef({ id: 'openstack' });

/** Where the fleet page is mounted by default. */
export const FLEET_PATH = '/openstack';

/** Where the scorecard tab sits under an entity's page; the readiness card links to it. */
export const SITE_SCORECARD_PATH = 'openstack';

/**
 * Where the tenant pages are mounted by default: the list at this path, a tenant at
 * `<path>/<id>`. Links from other pages (a group's Tenants tab) follow the tenants page's route
 * wherever the app mounts it, and fall back to this path when the app did not mount it.
 */
export const TENANTS_PATH = '/openstack/tenants';

/** The tenant pages: a workspace's tenants, requests, approvals and each tenant. */
export const tenantsRouteRef = createRouteRef({ id: 'openstack-tenants' });

/** Where the Tenants tab sits under a group's page. */
export const WORKSPACE_TENANTS_PATH = 'tenants';

/** Where the site console tab sits under an `openstack-site` entity's page. */
export const SITE_CONSOLE_PATH = 'openstack-console';
