import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { resolvePackagePath } from '@backstage/backend-plugin-api';

/**
 * The databases the stores' tests run on: SQLite, and PostgreSQL when the test command points
 * BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING at the sandbox's. Call at a test file's
 * top level (TestDatabases registers its clean-up there). Test-only.
 */
export function storeTestDatabases() {
  const ids: TestDatabaseId[] = ['SQLITE_3'];
  if (
    process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING ||
    process.env.FEDSTACK_SANDBOX_REQUIRED === '1'
  ) {
    ids.push('POSTGRES_15');
  }
  const databases = TestDatabases.create({ ids });
  return {
    ids: databases.eachSupportedId(),
    /** A fresh database of that kind with the plugin's migrations applied. */
    migrated: async (id: TestDatabaseId) => {
      const knex = await databases.init(id);
      await knex.migrate.latest({
        directory: resolvePackagePath(
          '@fedstack/plugin-openstack-backend',
          'migrations',
        ),
      });
      return knex;
    },
  };
}
