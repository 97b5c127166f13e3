/**
 * Search module for the fedstack OpenStack plugins: OpenStack sites and tenants as search
 * documents of type `openstack`, linking to their catalog entities.
 *
 * @packageDocumentation
 */
export { searchModuleOpenStackCollator as default } from './module';
export { searchModuleOpenStackCollator } from './module';
export {
  OpenStackCollatorFactory,
  OPENSTACK_DOCUMENT_TYPE,
  DEFAULT_LOCATION_TEMPLATE,
  type OpenStackCollatorFactoryOptions,
  type OpenStackDocument,
} from './OpenStackCollatorFactory';
