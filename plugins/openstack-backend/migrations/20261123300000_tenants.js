// @ts-check

/**
 * Tenants (a workspace's project on a site), what happened to them, and replication runs.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('openstack_tenants', table => {
    table.comment('A workspace project on one site, as requested');
    table.string('id').primary();
    table.string('workspace').notNullable().comment('group entity ref');
    table.string('site_ref').notNullable();
    table.string('project').notNullable().comment('the project identifier');
    table.string('landing_zone').notNullable();
    table.text('description').nullable();
    table.text('members').notNullable().comment('JSON: [{euid, role}]');
    table.text('quotas').notNullable().comment('JSON: the requested quotas');
    table.string('status').notNullable();
    table.boolean('deletion_approved').notNullable().defaultTo(false);
    table.string('project_id').nullable().comment('Keystone project id');
    table
      .text('applied_quotas')
      .nullable()
      .comment('JSON: quotas the last successful replication wrote');
    table
      .text('last_replication')
      .nullable()
      .comment('JSON: the last replication of this tenant');
    table.string('requested_by').notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.index(['workspace'], 'openstack_tenants_workspace_idx');
    table.index(['site_ref'], 'openstack_tenants_site_idx');
  });
  await knex.schema.createTable('openstack_tenant_events', table => {
    table.comment(
      'What happened to a tenant: request, approvals, changes, replications',
    );
    table.increments('id');
    table
      .string('tenant_id')
      .notNullable()
      .references('id')
      .inTable('openstack_tenants')
      .onDelete('CASCADE');
    table.timestamp('at', { useTz: true }).notNullable();
    table.string('actor').notNullable();
    table.string('action').notNullable();
    table.text('comment').nullable();
    table.index(['tenant_id', 'at'], 'openstack_tenant_events_tenant_idx');
  });
  await knex.schema.createTable('openstack_replication_runs', table => {
    table.comment('One replication (or dry run) of one site');
    table.string('id').primary();
    table.string('site_ref').notNullable();
    table.string('trigger').notNullable().comment('schedule or manual');
    table.boolean('dry_run').notNullable();
    table.string('status').notNullable();
    table.timestamp('started_at', { useTz: true }).notNullable();
    table.timestamp('finished_at', { useTz: true }).nullable();
    table.integer('keystone_calls').notNullable().defaultTo(0);
    table.text('error').nullable();
    table
      .text('report')
      .notNullable()
      .defaultTo('{}')
      .comment('JSON: steps and tenants');
    table.index(
      ['site_ref', 'started_at'],
      'openstack_replication_runs_site_idx',
    );
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('openstack_replication_runs');
  await knex.schema.dropTable('openstack_tenant_events');
  await knex.schema.dropTable('openstack_tenants');
};
