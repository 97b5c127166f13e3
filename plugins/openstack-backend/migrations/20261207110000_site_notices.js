// @ts-check

/**
 * Site notices: with a daily digest (`openstack.notifications.sites.digest`), what changed on a
 * site waits here until the day's notification; and a waiver records when its owners were told
 * it ends soon, so they are told once.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('openstack_site_notices', table => {
    table.increments('id');
    table.string('site_ref').notNullable();
    table
      .string('kind')
      .notNullable()
      .comment(
        'regression, recovery, readiness-lost, readiness-regained, scans-failing, waiver-expiring',
      );
    table
      .string('subject')
      .notNullable()
      .comment('a check, profile or waiver id');
    table.text('text').notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
  });
  await knex.schema.alterTable('openstack_waivers', table => {
    table.timestamp('expiry_notified_at', { useTz: true }).nullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('openstack_waivers', table => {
    table.dropColumn('expiry_notified_at');
  });
  await knex.schema.dropTable('openstack_site_notices');
};
