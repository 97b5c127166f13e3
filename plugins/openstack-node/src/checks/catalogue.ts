import { Check } from './types';
import { ScanContext } from './context';
import { keystoneReachable } from './identity/keystoneReachable';
import { keystoneV3 } from './identity/keystoneV3';
import { keystoneCatalog } from './identity/keystoneCatalog';
import { keystoneTls } from './identity/keystoneTls';
import { servicesReachable } from './services/servicesReachable';
import { servicesPorts } from './services/servicesPorts';
import { servicesVersions } from './services/servicesVersions';
import { federationLogin } from './federation/federationLogin';
import { federationIdp } from './federation/federationIdp';
import { federationProtocol } from './federation/federationProtocol';
import { federationMapping } from './federation/federationMapping';
import { federationDomain } from './federation/federationDomain';
import { federationUsers } from './federation/federationUsers';
import { voOps } from './vo/voOps';
import { voCommunity } from './vo/voCommunity';
import { voMonitoringFlavor } from './vo/voMonitoringFlavor';
import { accountingCredentials } from './accounting/accountingCredentials';
import { accountingFresh } from './accounting/accountingFresh';
import { accountingCoverage } from './accounting/accountingCoverage';
import { accountsReplicator } from './accounts/accountsReplicator';
import { accountsMetering } from './accounts/accountsMetering';
import { registrationGocdb } from './registration/registrationGocdb';
import { registrationInfo } from './registration/registrationInfo';

/**
 * The built-in checks, in the order a report lists them: Keystone first (the others need it),
 * then the services, federation, the VOs, accounting, the platform's accounts and the site's
 * registration. `ComplianceCatalogue.builtIn()` holds them with the built-in profiles; modules
 * add theirs with `extendedWith`.
 */
export const BUILT_IN_CHECKS: ReadonlyArray<Check<ScanContext>> = [
  keystoneReachable,
  keystoneTls,
  keystoneV3,
  keystoneCatalog,
  servicesReachable,
  servicesPorts,
  servicesVersions,
  federationIdp,
  federationProtocol,
  federationMapping,
  federationDomain,
  federationUsers,
  federationLogin,
  voOps,
  voCommunity,
  voMonitoringFlavor,
  accountingCredentials,
  accountingFresh,
  accountingCoverage,
  accountsReplicator,
  accountsMetering,
  registrationGocdb,
  registrationInfo,
];
