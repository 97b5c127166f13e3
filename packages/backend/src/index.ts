/*
 * The fedstack portal's backend: Backstage's core plugins plus the OpenStack plugin.
 */
import { createBackend } from '@backstage/backend-defaults';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { rootHttpRouterServiceFactory } from '@backstage/backend-defaults/rootHttpRouter';
import { jsonWithoutStackTraces } from '@fedstack/plugin-openstack-backend';
import { rootLoggerWithBuiltSchema } from './rootLogger';

const backend = createBackend();

// The configuration schema the production build wrote into this package (scripts/production.sh),
// so that no TypeScript compiler is loaded at start to find the secrets to redact from logs.
backend.add(
  rootLoggerWithBuiltSchema(
    resolvePackagePath('backend', 'dist/config-schema.json'),
  ),
);

// Backstage's default root router, and no answer of any plugin carries a stack trace (the
// absolute paths of the server's files): under NODE_ENV=development each plugin's error handler
// would send one, for instance with the 401 of its credentials barrier, which runs before the
// plugin's own routes. Errors are still logged with their stacks.
backend.add(
  rootHttpRouterServiceFactory({
    configure: ({ app, middleware, routes, healthRouter }) => {
      app.use(middleware.helmet());
      app.use(middleware.cors());
      app.use(middleware.compression());
      app.use(middleware.logging());
      app.use(middleware.rateLimit());
      app.use(jsonWithoutStackTraces);
      app.use(healthRouter);
      app.use(routes);
      app.use(middleware.notFound());
      app.use(middleware.error({ showStackTraces: false }));
    },
  }),
);

backend.add(import('@backstage/plugin-app-backend'));

// Sign-in: guest in development only (Backstage refuses it elsewhere); OpenID Connect with
// Check-in's claims (users from `sub`, groups from `eduperson_entitlement`)
// wherever auth.providers.oidc is configured.
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
backend.add(import('@fedstack/plugin-auth-backend-module-checkin-provider'));

// Catalog: this project's entity and the example OpenStack sites.
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));
// Sites from fedcloud-catchall-operations site files or GOCDB (openstack.siteProviders).
backend.add(import('@fedstack/plugin-catalog-backend-module-openstack'));

// Permissions: everyone reads; a site's owners scan it and use its console.
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(
  import('@fedstack/plugin-openstack-backend-module-permission-policy'),
);

// The events bus lets the catalog and signals subscribe to each other's events.
backend.add(import('@backstage/plugin-events-backend'));
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));

backend.add(import('@fedstack/plugin-openstack-backend'));

// Software templates (Create…), with actions that request OpenStack tenants through the plugin.
backend.add(import('@backstage/plugin-scaffolder-backend'));
// The catalog's Template kind, for the templates of catalog.locations.
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
backend.add(import('@fedstack/plugin-scaffolder-backend-module-openstack'));

// Search (Lunr, in memory: the search plugin's default engine) over OpenStack sites and tenants.
backend.add(import('@backstage/plugin-search-backend'));
backend.add(import('@fedstack/plugin-search-backend-module-openstack'));

backend.start();
