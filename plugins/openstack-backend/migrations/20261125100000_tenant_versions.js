// @ts-check

/**
 * Changes made while a replication runs must neither be overwritten by it nor wait for the
 * daily run. Tenants carry a version that every write bumps: a run writes its outcome only if
 * the tenant still has the version it read. Each site counts the changes made to its tenants,
 * and a run records the count it read: a change it did not see gets a follow-up run.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('openstack_tenants', table => {
    table.integer('version').notNullable().defaultTo(0);
  });
  await knex.schema.createTable('openstack_site_changes', table => {
    table.comment('How many tenant changes each site has had');
    table.string('site_ref').primary();
    table.integer('changes').notNullable();
  });
  await knex.schema.alterTable('openstack_replication_runs', table => {
    table
      .integer('seen_changes')
      .nullable()
      .comment("the site's change count the run read, once it completed");
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('openstack_replication_runs', table => {
    table.dropColumn('seen_changes');
  });
  await knex.schema.dropTable('openstack_site_changes');
  await knex.schema.alterTable('openstack_tenants', table => {
    table.dropColumn('version');
  });
};
