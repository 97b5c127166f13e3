/**
 * What the fedstack OpenStack plugins share: catalog annotations, profiles, site descriptors and
 * the REST API's schemas.
 *
 * @packageDocumentation
 */
export * from './annotations';
export * from './profiles';
export * from './site';
export * from './api';
export * from './scans';
export * from './entityNames';
export * from './permissions';
export * from './metering';
export * from './console';
export * from './tenants';
export * from './quotaKeys';
