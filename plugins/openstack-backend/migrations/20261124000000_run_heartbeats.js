// @ts-check

/**
 * Running scans and replications carry a heartbeat that the backend running them renews: a row
 * whose heartbeat stopped was left by a backend that died, and any backend may close it, within
 * a minute or two instead of the hours a start-time rule had to allow for the longest run.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  for (const table of ['openstack_scans', 'openstack_replication_runs']) {
    await knex.schema.alterTable(table, t => {
      t.timestamp('heartbeat_at', { useTz: true }).nullable();
    });
  }
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  for (const table of ['openstack_scans', 'openstack_replication_runs']) {
    await knex.schema.alterTable(table, t => {
      t.dropColumn('heartbeat_at');
    });
  }
};
