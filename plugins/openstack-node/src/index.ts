/**
 * The fedstack OpenStack library: it knows OpenStack and nothing of Backstage. One folder per
 * area, each with its index; this entry point re-exports each area's public names (see the
 * package README, and `report.api.md` for the whole API).
 *
 * @packageDocumentation
 */

// The OpenStack client SDK: OpenStackHttp per site, OpenStackSession per credential set.
export * from './client';

// Accounts as configured (CLI and backend credential sets) and their one converter.
export * from './credentials';

// The compliance engine: the checks, their profiles and scores, and a whole-site scan.
export * from './checks';

// External sources: the one GOCDB reader, the one URL comparison, the per-fleet source cache.
export * from './sources';

// Tenant replication: desired tenants → plan → only the differences written.
export * from './replication';

// Metering: per-project usage samples (the metering account's view) and usage over time.
export * from './metering';

// The site console: an allow-listed, read-only subset of the openstack CLI.
export * from './console';

// `fedstack scan` as a function, and the report formats it writes.
export * from './cli';
