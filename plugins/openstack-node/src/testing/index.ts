/**
 * Test helpers other packages' tests use (`@fedstack/plugin-openstack-node/testUtils`): never
 * imported by the library itself.
 */
export { startCuttableProxy } from './cuttableProxy';
export type { CuttableProxy } from './cuttableProxy';
export { must, removeWorkspaceFromKeystone } from './keystone';
export { sandboxAccessToken, sandboxSettings } from './sandboxCredentials';
