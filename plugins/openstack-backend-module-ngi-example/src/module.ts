import { createBackendModule } from '@backstage/backend-plugin-api';
import { openstackComplianceExtensionPoint } from '@fedstack/plugin-openstack-backend';
import { imageMetadataCheck } from './imageMetadataCheck';

/**
 * An example NGI's requirements on top of EGI's: its check (`ngi.image-metadata`) and its profile
 * (`ngi-example`: everything `egi-fedcloud` checks, plus that one). A site opts in by naming the
 * profile in its `openstack.fedstack.io/profiles` annotation.
 *
 * @public
 */
export const openstackModuleNgiExample = createBackendModule({
  pluginId: 'openstack',
  moduleId: 'ngi-example',
  register(env) {
    env.registerInit({
      deps: { compliance: openstackComplianceExtensionPoint },
      async init({ compliance }) {
        compliance.addChecks(imageMetadataCheck);
        compliance.addProfiles({
          id: 'ngi-example',
          title: 'Example NGI',
          description:
            'what the EGI Federated Cloud asks, plus public images that declare their operating system',
          basedOn: 'egi-fedcloud',
          checks: ['ngi.image-metadata'],
          // The NGI weighs its own requirement like a major one.
          weights: { 'ngi.image-metadata': 2 },
        });
      },
    });
  },
});
