import { Entity } from '@backstage/catalog-model';
import { OPENSTACK_ANNOTATIONS } from '@fedstack/plugin-openstack-common';

/** Catalog entities for component tests: one good site, one misconfigured, one non-site. */
export const exampleSiteEntities: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: 'site-a',
      namespace: 'default',
      annotations: {
        [OPENSTACK_ANNOTATIONS.keystoneUrl]: 'http://127.0.0.1:5000/v3',
        [OPENSTACK_ANNOTATIONS.region]: 'RegionOne',
        [OPENSTACK_ANNOTATIONS.profiles]: 'egi-fedcloud,tenant-platform',
        [OPENSTACK_ANNOTATIONS.credentials]: 'site-a',
      },
    },
    spec: { type: 'openstack-site', owner: 'group:default/guests' },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: 'site-broken',
      namespace: 'default',
      annotations: {
        [OPENSTACK_ANNOTATIONS.profiles]: 'egi-fedcloud',
        [OPENSTACK_ANNOTATIONS.credentials]: 'site-a',
      },
    },
    spec: { type: 'openstack-site', owner: 'group:default/guests' },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'fedstack', namespace: 'default' },
    spec: { type: 'website', lifecycle: 'experimental', owner: 'guests' },
  },
];
