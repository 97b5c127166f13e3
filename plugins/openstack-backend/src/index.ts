/**
 * The fedstack OpenStack backend plugin.
 *
 * @packageDocumentation
 */
export { openstackPlugin as default } from './plugin';
export { jsonWithoutStackTraces } from './http/errorBodies';
export {
  openstackComplianceExtensionPoint,
  type OpenStackComplianceExtensionPoint,
} from './extensions/complianceExtensionPoint';
