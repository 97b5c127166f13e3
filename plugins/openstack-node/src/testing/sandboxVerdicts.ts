import { CheckStatus } from '../checks/types';

/**
 * What the sandbox's site-a meets, check by check, scanned with both profiles (egi-fedcloud,
 * tenant-platform) and every account: everything but TLS. `sources`: the scan is given the
 * stand-ins of GOCDB, the information system and the accounting portal; without them, the checks
 * that read them do not apply (skip). Test-only.
 */
export function sandboxSiteAVerdicts(options: {
  sources: boolean;
}): Record<string, CheckStatus> {
  const withSources: CheckStatus = options.sources ? 'pass' : 'skip';
  return {
    'keystone.reachable': 'pass',
    // The sandbox serves plain http: the one requirement it cannot meet.
    'keystone.tls': 'fail',
    'keystone.v3': 'pass',
    'keystone.catalog': 'pass',
    'services.reachable': 'pass',
    'services.ports': 'pass',
    'services.versions': 'pass',
    'federation.idp': 'pass',
    'federation.protocol': 'pass',
    'federation.mapping': 'pass',
    'federation.domain': 'pass',
    'federation.users': 'pass',
    // No test token source in these scans (the live login is proven in its own test).
    'federation.login': 'skip',
    'vo.ops': 'pass',
    'vo.community': 'pass',
    'vo.monitoring-flavor': 'pass',
    'accounting.credentials': 'pass',
    'accounting.fresh': withSources,
    'accounting.coverage': withSources,
    'accounts.replicator': 'pass',
    'accounts.metering': 'pass',
    'registration.gocdb': withSources,
    'registration.info': withSources,
  };
}
