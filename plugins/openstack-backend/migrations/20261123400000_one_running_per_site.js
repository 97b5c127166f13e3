// @ts-check

/**
 * At most one running scan, and one running replication (not counting dry runs), per site, in
 * the database itself: backend instances sharing it then join each other's run instead of
 * starting a second one. Older "running" rows a stopped backend left behind are closed first.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  for (const table of ['openstack_scans', 'openstack_replication_runs']) {
    const running = await knex(table)
      .where({ status: 'running' })
      .orderBy('started_at', 'desc')
      .select('id', 'site_ref');
    const seen = new Set();
    const stale = running.filter(row => {
      if (seen.has(row.site_ref)) return true;
      seen.add(row.site_ref);
      return false;
    });
    if (stale.length > 0) {
      await knex(table)
        .whereIn(
          'id',
          stale.map(row => row.id),
        )
        .update({
          status: 'failed',
          error: 'abandoned: another run of the site was newer',
          finished_at: new Date(),
        });
    }
  }
  // Partial unique indexes: the same statement on PostgreSQL and SQLite.
  await knex.raw(
    "CREATE UNIQUE INDEX openstack_scans_one_running ON openstack_scans (site_ref) WHERE status = 'running'",
  );
  await knex.raw(
    "CREATE UNIQUE INDEX openstack_replication_runs_one_running ON openstack_replication_runs (site_ref) WHERE status = 'running' AND dry_run = false",
  );
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.raw('DROP INDEX openstack_replication_runs_one_running');
  await knex.raw('DROP INDEX openstack_scans_one_running');
};
