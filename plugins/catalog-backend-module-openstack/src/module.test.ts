import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  SchedulerService,
  SchedulerServiceTaskInvocationDefinition,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  catalogProcessingExtensionPoint,
  EntityProvider,
} from '@backstage/plugin-catalog-node';
import { catalogModuleOpenStackSites } from './module';
import { OpenStackSiteProvider } from './OpenStackSiteProvider';
import { capturingLogger, fakeConnection } from './testHelpers';

// The catalog plugin itself is not started (it is heavy): its processing extension point is
// mocked, and startTestBackend runs the module against it.
describe('catalogModuleOpenStackSites', () => {
  it('adds one provider per configured source', async () => {
    const added: EntityProvider[] = [];
    const backend = await startTestBackend({
      extensionPoints: [
        [
          catalogProcessingExtensionPoint,
          {
            addEntityProvider: (
              ...providers: Array<EntityProvider | EntityProvider[]>
            ) => {
              added.push(...providers.flat());
            },
          },
        ],
      ],
      features: [
        catalogModuleOpenStackSites,
        mockServices.rootConfig.factory({
          data: {
            openstack: {
              siteProviders: {
                catchall: {
                  type: 'folder',
                  path: '/srv/sites',
                  credentials: 'egi-reader',
                  owner: 'group:default/egi-operations',
                },
                egi: {
                  type: 'gocdb',
                  url: 'https://goc.example/gocdbpi/public/',
                  credentials: 'egi-reader',
                  owner: 'group:default/egi-operations',
                },
              },
            },
          },
        }),
      ],
    });
    expect(added.map(p => p.getProviderName())).toEqual([
      'OpenStackSiteProvider:catchall',
      'OpenStackSiteProvider:egi',
      'OpenStackTenantProvider',
    ]);
    await backend.stop();
  });

  it('stops start-up on a bad section', async () => {
    await expect(
      startTestBackend({
        extensionPoints: [
          [catalogProcessingExtensionPoint, { addEntityProvider: () => {} }],
        ],
        features: [
          catalogModuleOpenStackSites,
          mockServices.rootConfig.factory({
            data: {
              openstack: {
                siteProviders: { bad: { type: 'folder', owner: 'team' } },
              },
            },
          }),
        ],
      }),
    ).rejects.toThrow(/openstack\.siteProviders\.bad\.path/);
  });
});

describe('OpenStackSiteProvider.fromConfig', () => {
  it('runs the refresh on its schedule once connected', async () => {
    const folder = await fs.mkdtemp(path.join(os.tmpdir(), 'fedstack-sites-'));
    try {
      await fs.writeFile(
        path.join(folder, 'SCAI.yaml'),
        'gocdb: SCAI\nendpoint: https://fc.scai.fraunhofer.de:5000/v3\nvos:\n- name: ops\n  auth:\n    project_id: 0123\n',
      );
      const tasks: SchedulerServiceTaskInvocationDefinition[] = [];
      const scheduler = {
        createScheduledTaskRunner: () => ({
          run: async (task: SchedulerServiceTaskInvocationDefinition) => {
            tasks.push(task);
            await task.fn(new AbortController().signal);
          },
        }),
      } as unknown as SchedulerService;
      const logger = capturingLogger();
      const [provider] = OpenStackSiteProvider.fromConfig(
        new ConfigReader({
          openstack: {
            credentialSets: {},
            siteProviders: {
              catchall: {
                type: 'folder',
                path: folder,
                credentials: 'egi-reader',
                profiles: ['tenant-platform'],
                owner: 'group:default/egi-operations',
              },
            },
          },
        }),
        { logger, scheduler },
      );
      const connection = fakeConnection();
      await provider.connect(connection);

      expect(tasks.map(t => t.id)).toEqual([
        'OpenStackSiteProvider:catchall:refresh',
      ]);
      const mutation = connection.mutations[0];
      expect(mutation.type === 'full' && mutation.entities[0].entity).toEqual(
        expect.objectContaining({
          metadata: expect.objectContaining({
            name: 'scai',
            annotations: expect.objectContaining({
              'openstack.fedstack.io/profiles': 'tenant-platform',
              'openstack.fedstack.io/vos': 'ops',
            }),
          }),
        }),
      );
      // The named credential set is not configured: said once, at start.
      expect(logger.warnings()).toEqual([
        expect.stringMatching(/credential set "egi-reader" is not in/),
      ]);
    } finally {
      await fs.rm(folder, { recursive: true, force: true });
    }
  });
});
