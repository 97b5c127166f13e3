import { z } from 'zod';
import { mappingSchema } from '../../client/identity/federation';
import { loadFixture } from '../../testing/sandboxFixtures';
import {
  analyseMapping,
  attributeName,
  voOfEntitlement,
} from './mappingAnalysis';

const ISSUER = 'https://aai.egi.eu/auth/realms/egi';

// Everything below reads answers recorded from the sandbox's real Keystone (sandbox/record).
function recorded(site: string) {
  const body = <T>(name: string, schema: z.ZodType<T>) =>
    schema.parse(loadFixture(site, name).response.body);
  const mapping = body(
    'mapping-egi-mapping',
    z.object({ mapping: mappingSchema }),
  ).mapping;
  const { groups } = body(
    'groups',
    z.object({
      groups: z.array(
        z.object({ id: z.string(), name: z.string(), domain_id: z.string() }),
      ),
    }),
  );
  const { domains } = body(
    'domains',
    z.object({
      domains: z.array(z.object({ id: z.string(), name: z.string() })),
    }),
  );
  return { mapping, groups, domains };
}

describe('analyseMapping on recorded mappings', () => {
  it('finds site-a’s EGI mapping complete', () => {
    const { mapping, groups, domains } = recorded('site-a');
    const analysis = analyseMapping(mapping.rules, {
      issuer: ISSUER,
      groups,
      domains,
    });
    expect(analysis.userRules).toEqual([0, 1]);
    expect(analysis.subjectRules).toEqual([0, 1]);
    expect(analysis.unguardedRules).toEqual([]);
    expect(analysis.vos).toEqual(['ops', 'vo.access.egi.eu']);
    expect(analysis.groups.map(g => [g.vo, g.exists])).toEqual([
      ['ops', true],
      ['vo.access.egi.eu', true],
    ]);
  });

  it('finds site-b’s missing issuer guard and the group that does not exist', () => {
    const { mapping, groups, domains } = recorded('site-b');
    const analysis = analyseMapping(mapping.rules, {
      issuer: ISSUER,
      groups,
      domains,
    });
    expect(analysis.subjectRules).toEqual([0, 1]);
    expect(analysis.unguardedRules).toEqual([0, 1]);
    expect(analysis.groups).toContainEqual(
      expect.objectContaining({
        name: 'vo.missing.egi.eu',
        vo: 'vo.missing.egi.eu',
        exists: false,
      }),
    );
  });

  it('does not take a guard on another issuer for a guard', () => {
    const { mapping, groups, domains } = recorded('site-a');
    const analysis = analyseMapping(mapping.rules, {
      issuer: 'https://other.example.org/realms/x',
      groups,
      domains,
    });
    expect(analysis.unguardedRules).toEqual([0, 1]);
  });
});

describe('attribute names and entitlements', () => {
  it('compares the forms Apache and Keystone give an OIDC claim', () => {
    expect(attributeName('HTTP_OIDC_SUB')).toBe('OIDC_SUB');
    expect(attributeName('OIDC-sub')).toBe('OIDC_SUB');
    expect(attributeName('OIDC-iss')).toBe('OIDC_ISS');
  });

  it('reads the VO of an entitlement, plain or as a regex', () => {
    expect(
      voOfEntitlement('urn:mace:egi.eu:group:ops:role=vm_operator#aai.egi.eu'),
    ).toBe('ops');
    expect(
      voOfEntitlement(
        '^urn:mace:egi\\.eu:group:vo\\.access\\.egi\\.eu:role=vm_operator#aai\\.egi\\.eu$',
      ),
    ).toBe('vo.access.egi.eu');
    expect(voOfEntitlement('urn:mace:example.org:staff')).toBeUndefined();
  });
});
