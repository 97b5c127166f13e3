// @ts-check

/**
 * A running scan records what it will run (its checks, profiles and their settings), and each
 * check's result is stored as the check ends. When the backend running a scan dies after its
 * checks ended but before the scan was stored, the backend that closes the scan completes it
 * from what was stored instead of losing it.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('openstack_scans', table => {
    table
      .text('plan')
      .nullable()
      .comment(
        'JSON: the checks, profiles and profile settings of the scan, written when it starts',
      );
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('openstack_scans', table => {
    table.dropColumn('plan');
  });
};
