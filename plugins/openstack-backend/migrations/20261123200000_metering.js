// @ts-check

/**
 * Metering samples: what one tenant project held at one moment (servers, volumes, snapshots,
 * floating IPs, routers, load balancers, images), as the site's metering account saw it.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('openstack_metering_samples', table => {
    table.comment('One metering sample of one project of one site');
    table.increments('id').primary();
    table.string('site_ref').notNullable();
    table.string('project_id').notNullable();
    table.timestamp('taken_at', { useTz: true }).notNullable();
    // Totals as columns, for usage queries without reading the JSON.
    table.integer('servers').notNullable().defaultTo(0);
    table.integer('vcpus').notNullable().defaultTo(0);
    table.integer('ram_mb').notNullable().defaultTo(0);
    table.integer('disk_gb').notNullable().defaultTo(0);
    table.integer('volumes').notNullable().defaultTo(0);
    table.integer('volume_gb').notNullable().defaultTo(0);
    table.integer('snapshots').notNullable().defaultTo(0);
    table.integer('snapshot_gb').notNullable().defaultTo(0);
    table.integer('floating_ips').notNullable().defaultTo(0);
    table.integer('routers').notNullable().defaultTo(0);
    table.integer('load_balancers').notNullable().defaultTo(0);
    table.integer('images').notNullable().defaultTo(0);
    table.bigInteger('image_bytes').notNullable().defaultTo(0);
    table
      .integer('error_count')
      .notNullable()
      .defaultTo(0)
      .comment('resource types whose call failed in this sample');
    table
      .text('problems')
      .notNullable()
      .defaultTo('{"errors":[],"unavailable":[]}')
      .comment(
        "JSON: the sample's errors and unavailable services, without the rest",
      );
    table
      .text('sample')
      .notNullable()
      .comment('JSON: the whole sample (servers with workloads, volumes, …)');
    table.index(
      ['site_ref', 'project_id', 'taken_at'],
      'openstack_metering_samples_project_taken_idx',
    );
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('openstack_metering_samples');
};
