/**
 * A permission policy for the OpenStack plugins, as a module of the permission backend:
 * `backend.add(import('@fedstack/plugin-openstack-backend-module-permission-policy'))`.
 *
 * @packageDocumentation
 */
export { permissionModuleFedstackPolicy as default } from './module';
export { permissionModuleFedstackPolicy } from './module';
export { FedstackPermissionPolicy, isOpenStackPermission } from './policy';
