import { AddressInfo } from 'node:net';
import { createBackendPlugin } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  scaffolderActionsExtensionPoint,
  TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { JsonObject } from '@backstage/types';
import { Entity } from '@backstage/catalog-model';
// The real plugin the actions call, in tests only (a devDependency).
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import openstackPlugin from '@fedstack/plugin-openstack-backend';
import { scaffolderModuleOpenStack } from '../module';

/**
 * A backend with the real OpenStack backend plugin (its routes, store, permission and workspace
 * checks) and this module, whose actions a stand-in scaffolder collects through the real
 * extension point. The actions reach the plugin over HTTP with the backend's own auth and
 * discovery services, as in a portal. Test-only.
 */

export const PORTAL = 'http://portal.test';
export const teamA = 'group:default/team-a';
export const alice = 'user:default/alice'; // member of team-a
export const bob = 'user:default/bob'; // member of team-b only

const ownership: Record<string, string[]> = {
  [alice]: [alice, teamA],
  [bob]: [bob, 'group:default/team-b'],
};

// Its Keystone is a closed port here: an approved tenant's replication fails quietly.
const site: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: 'site-a',
    namespace: 'default',
    annotations: {
      'openstack.fedstack.io/keystone-url': 'http://127.0.0.1:9/v3',
      'openstack.fedstack.io/profiles': 'tenant-platform',
      'openstack.fedstack.io/credentials': 'closed',
    },
  },
  spec: { type: 'openstack-site', owner: 'group:default/platform-team' },
};

const LATER = {
  frequency: { hours: 24 },
  timeout: { minutes: 1 },
  initialDelay: { hours: 24 },
};

type Feature = Parameters<typeof startTestBackend>[0]['features'] extends
  | Array<infer F>
  | undefined
  ? F
  : never;

/**
 * Starts the backend. `scaffolder`: the real scaffolder plugin (its task runner, the catalog
 * holding `entities` besides the site) instead of the stand-in that only collects the actions.
 */
export async function startBackend(
  options: { scaffolder?: Feature; entities?: Entity[] } = {},
) {
  const actions: TemplateAction<any, any, any>[] = [];
  const scaffolderStandIn = createBackendPlugin({
    pluginId: 'scaffolder',
    register(reg) {
      reg.registerExtensionPoint(scaffolderActionsExtensionPoint, {
        addActions: (...added) => actions.push(...added),
      });
      reg.registerInit({ deps: {}, async init() {} });
    },
  });
  const backend = await startTestBackend({
    features: [
      openstackPlugin,
      options.scaffolder ?? scaffolderStandIn,
      scaffolderModuleOpenStack,
      catalogServiceMock.factory({
        entities: [site, ...(options.entities ?? [])],
      }),
      mockServices.userInfo.mock({
        getUserInfo: async credentials => {
          const user = (credentials.principal as { userEntityRef: string })
            .userEntityRef;
          return {
            userEntityRef: user,
            ownershipEntityRefs: ownership[user] ?? [user],
          };
        },
      }).factory,
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: PORTAL },
          openstack: {
            credentialSets: {
              closed: {
                keystoneUrls: ['http://127.0.0.1:9/v3'],
                reader: { type: 'password', username: 'u', password: 'p' },
                replicator: { type: 'password', username: 'r', password: 'r' },
              },
            },
            network: { allow: ['127.0.0.0/8'] },
            scans: { schedule: LATER },
            metering: { schedule: LATER },
            replication: {
              schedule: LATER,
              landingZones: [
                {
                  id: 'standard',
                  title: 'Standard',
                  quotas: { compute: { cores: 8 } },
                  maxQuotas: { compute: { cores: 64 } },
                  autoApproveUpTo: { compute: { cores: 16 } },
                },
              ],
            },
          },
        },
      }),
      mockServices.rootLogger.factory({ level: 'none' }),
    ],
  });
  const root = `http://127.0.0.1:${
    (backend.server.address() as AddressInfo).port
  }/api`;
  const base = `${root}/openstack`;

  /** The tenant REST API itself, as a user: the path the actions must match. */
  const rest = async (
    user: string,
    method: string,
    path: string,
    body?: unknown,
  ) => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: {
        Authorization: mockCredentials.user.header(user),
        'Content-Type': 'application/json',
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: await response.json() };
  };

  /** Runs an action as the scaffolder would for a template started by `user`. */
  const run = async (
    id: string,
    user: string,
    input: JsonObject,
    how: { isDryRun?: boolean } = {},
  ) => {
    const action = actions.find(a => a.id === id);
    if (!action) throw new Error(`the module added no action ${id}`);
    const output: Record<string, unknown> = {};
    // createMockActionContext keeps only some of the options it is given (input, logger…):
    // the user, the dry run and the outputs are set on what it returns.
    const context = {
      ...createMockActionContext({ input }),
      isDryRun: how.isDryRun,
      getInitiatorCredentials: async () => mockCredentials.user(user),
      output: (name: string, value: unknown) => {
        output[name] = value;
      },
    };
    await action.handler(context);
    return output;
  };

  return { backend, actions, rest, run, root };
}
