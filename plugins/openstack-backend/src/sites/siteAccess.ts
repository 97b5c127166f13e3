import express from 'express';
import {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  AuthorizeResult,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import { siteParamsSchema } from '@fedstack/plugin-openstack-common';
import { SiteRegistry } from './SiteRegistry';
import { parseInput } from '../http/validation';

/**
 * The routers' one way to a site: `/sites/:namespace/:name` → its entity ref → a resource
 * permission on the site's catalog entity (403) → the registered site (404).
 */
export function siteAccess(options: {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  registry: SiteRegistry;
}) {
  const { httpAuth, permissions, registry } = options;

  const authorizeSite = async (
    req: express.Request,
    permission: ResourcePermission<'catalog-entity'>,
    entityRef: string,
  ) => {
    const credentials = await httpAuth.credentials(req);
    const [decision] = await permissions.authorize(
      [{ permission, resourceRef: entityRef }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `You may not ${permission.name} on ${entityRef}`,
      );
    }
  };

  /** The site the path names; with a permission, only for callers who hold it on the site. */
  const siteOf = async (
    req: express.Request,
    permission?: ResourcePermission<'catalog-entity'>,
  ) => {
    const { namespace, name } = parseInput(
      siteParamsSchema,
      req.params,
      'site',
    );
    const entityRef = `resource:${namespace}/${name}`;
    if (permission) await authorizeSite(req, permission, entityRef);
    const site = await registry.getSite(entityRef);
    if (!site) throw new NotFoundError(`No OpenStack site ${entityRef}`);
    return site;
  };

  return { authorizeSite, siteOf };
}
