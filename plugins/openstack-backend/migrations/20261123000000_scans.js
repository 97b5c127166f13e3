// @ts-check

/**
 * Scans of OpenStack sites, their check results (with evidence) and profile scores.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('openstack_scans', table => {
    table.comment('One compliance scan of one site');
    table.string('id').primary();
    table.string('site_ref').notNullable();
    table
      .string('status')
      .notNullable()
      .comment('running, completed or failed');
    table.string('trigger').notNullable().comment('schedule or manual');
    table.timestamp('started_at', { useTz: true }).notNullable();
    table.timestamp('finished_at', { useTz: true }).nullable();
    table.integer('duration_ms').nullable();
    table.integer('tokens_issued').nullable();
    table.integer('requests').nullable();
    table.text('error').nullable();
    table
      .text('profiles')
      .notNullable()
      .defaultTo('[]')
      .comment('JSON: profile scores');
    table
      .text('changes')
      .notNullable()
      .defaultTo('[]')
      .comment('JSON: checks changed since the previous scan');
    table.index(['site_ref', 'started_at'], 'openstack_scans_site_started_idx');
  });
  await knex.schema.createTable('openstack_check_results', table => {
    table.comment('One check result of one scan');
    table
      .string('scan_id')
      .notNullable()
      .references('id')
      .inTable('openstack_scans')
      .onDelete('CASCADE');
    table.string('check_id').notNullable();
    table.string('status').notNullable();
    table.string('severity').notNullable();
    table.string('area').notNullable();
    table
      .text('result')
      .notNullable()
      .comment('JSON: the whole result, evidence included');
    table.primary(['scan_id', 'check_id']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('openstack_check_results');
  await knex.schema.dropTable('openstack_scans');
};
