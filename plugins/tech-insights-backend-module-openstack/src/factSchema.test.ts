import { BUILT_IN_PROFILE_IDS } from '@fedstack/plugin-openstack-common';
import {
  openstackSiteFactSchema,
  profileFactNames,
  profileFactPrefix,
} from './factSchema';

describe('the fact naming rule', () => {
  it('camel-cases a profile id, a dot or a dash starting a word', () => {
    expect(profileFactPrefix('egi-fedcloud')).toBe('egiFedcloud');
    expect(profileFactPrefix('tenant-platform')).toBe('tenantPlatform');
    expect(profileFactPrefix('ngi.de-cloud2')).toBe('ngiDeCloud2');
    expect(profileFactNames('egi-fedcloud')).toEqual({
      score: 'egiFedcloudScore',
      ready: 'egiFedcloudReady',
      readiness: 'egiFedcloudReadiness',
      blockingChecks: 'egiFedcloudBlockingChecks',
    });
  });

  it("gives every built-in profile its four facts, none clashing with the site's own", () => {
    const perProfile = BUILT_IN_PROFILE_IDS.flatMap(id =>
      Object.values(profileFactNames(id)),
    );
    expect(Object.keys(openstackSiteFactSchema)).toHaveLength(
      10 + perProfile.length,
    );
    for (const name of perProfile) {
      expect(openstackSiteFactSchema[name].description).toBeTruthy();
    }
  });
});
