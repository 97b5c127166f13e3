// @ts-check

/**
 * Waivers: a site owner's request to waive one check on one site until a date, and its
 * approver's decision. Rows are never deleted: a revoked, rejected or expired waiver stays as
 * the record of what was waived, by whom and until when.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('openstack_waivers', table => {
    table.string('id').primary().comment('uuid');
    table.string('site_ref').notNullable().comment('the site entity ref');
    table.string('check_id').notNullable();
    table.text('reason').notNullable();
    table
      .string('status')
      .notNullable()
      .comment('pending, approved, rejected or revoked');
    table.timestamp('expires_at', { useTz: true }).notNullable();
    table.string('requested_by').notNullable().comment('user entity ref');
    table.timestamp('requested_at', { useTz: true }).notNullable();
    table.string('decided_by').nullable();
    table.timestamp('decided_at', { useTz: true }).nullable();
    table.text('decision_reason').nullable();
    table.string('revoked_by').nullable();
    table.timestamp('revoked_at', { useTz: true }).nullable();
    table.index(['site_ref', 'check_id'], 'openstack_waivers_site_check_idx');
    table.index(['status', 'expires_at'], 'openstack_waivers_status_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('openstack_waivers');
};
