// @ts-check

/**
 * Rows from before heartbeats get their start as their heartbeat, so that one rule closes every
 * running row a dead backend left: a heartbeat older than the stale time.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  for (const table of ['openstack_scans', 'openstack_replication_runs']) {
    await knex(table)
      .whereNull('heartbeat_at')
      .update({ heartbeat_at: knex.ref('started_at') });
  }
};

exports.down = async function down() {
  // Nothing to undo: the column itself goes with the previous migration.
};
