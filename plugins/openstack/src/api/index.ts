export { openstackApiRef } from './OpenStackApi';
export type { OpenStackApi } from './OpenStackApi';
export { OpenStackClient } from './OpenStackClient';
