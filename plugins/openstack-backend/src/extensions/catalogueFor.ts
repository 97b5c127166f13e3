import {
  Check,
  ComplianceCatalogue,
  ProfileDefinition,
  ScanContext,
} from '@fedstack/plugin-openstack-node';
import { OpenStackConfigError, OpenStackPluginConfig } from '../config';

/**
 * The built-in catalogue with the modules' checks and profiles, and the configuration's profile
 * settings checked against it: a module's mistake or a setting for an unknown profile or check
 * stops the backend at start, with every problem named.
 */
export function catalogueFor(
  added: {
    checks: ReadonlyArray<Check<ScanContext>>;
    profiles: ReadonlyArray<ProfileDefinition>;
  },
  config: Pick<OpenStackPluginConfig, 'profiles'>,
): ComplianceCatalogue {
  // Throws a CatalogueError naming every problem of what the modules added.
  const catalogue = ComplianceCatalogue.builtIn().extendedWith(added);
  const problems = catalogue.problemsOf([], config.profiles);
  if (problems.length > 0) {
    throw new OpenStackConfigError(
      problems.map(problem => `openstack.profiles: ${problem}`),
    );
  }
  return catalogue;
}
