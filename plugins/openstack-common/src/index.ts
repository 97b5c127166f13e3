/**
 * What the fedstack OpenStack plugins share: catalog annotations, profiles, site descriptors and
 * the REST API's schemas.
 *
 * @packageDocumentation
 */
export * from './annotations';
// The vocabulary (statuses, severities, areas, profile scores, usage totals), stated once there.
export * from '@fedstack/plugin-openstack-terms';
export * from './site';
export * from './api';
export * from './scans';
export * from './entityNames';
export * from './permissions';
export * from './metering';
export * from './console';
export * from './tenants';
export * from './quotaKeys';
export * from './csv';
export * from './waivers';
export * from './validation';
