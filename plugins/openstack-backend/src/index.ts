/**
 * The fedstack OpenStack backend plugin.
 *
 * @packageDocumentation
 */
export { openstackPlugin as default } from './plugin';
export { jsonWithoutStackTraces } from './http/errorBodies';
