/**
 * The fedstack OpenStack library: the OpenStack client, the compliance checks and the
 * replication planner. It knows OpenStack and nothing of Backstage.
 *
 * @packageDocumentation
 */
export { Redactor, REDACTED } from './client/redaction';
