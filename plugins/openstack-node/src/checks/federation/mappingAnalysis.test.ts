import { z } from 'zod';
import { MappingRule, mappingSchema } from '../../client/identity/federation';
import { projectSchema } from '../../client/identity/projects';
import { roleAssignmentSchema } from '../../client/identity/roleAssignments';
import { loadFixture } from '../../testing/sandboxFixtures';
import { DEFAULT_SCAN_SETTINGS } from '../context';
import { voOfProject } from '../vo/voProjects';
import {
  analyseMapping,
  attributeName,
  GroupGrant,
  judgeVoAdmission,
  keystoneRegex,
  ProjectRecord,
  servedVos,
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
  const projects: ProjectRecord[] = body(
    'projects',
    z.object({ projects: z.array(projectSchema) }),
  ).projects.map(p => {
    const vo = voOfProject(p, DEFAULT_SCAN_SETTINGS.voPropertyKeys);
    return {
      id: p.id,
      name: p.name,
      enabled: p.enabled,
      ...(vo ? { vo } : {}),
    };
  });
  const grants: GroupGrant[] = body(
    'role-assignments-include-names',
    z.object({ role_assignments: z.array(roleAssignmentSchema) }),
  ).role_assignments.flatMap(a =>
    a.group && a.scope.project && a.role.name
      ? [
          {
            groupId: a.group.id,
            projectId: a.scope.project.id,
            role: a.role.name,
          },
        ]
      : [],
  );
  return { mapping, groups, domains, projects, grants };
}

/** The judgement federation.mapping adds: whom each rule admits, and where. */
function judged(
  site: ReturnType<typeof recorded>,
  rules: readonly MappingRule[] = site.mapping.rules,
  declaredVos: string[] = [],
  projects: ProjectRecord[] = site.projects,
) {
  const vos = servedVos('ops', projects, declaredVos);
  const analysis = analyseMapping(rules, {
    issuer: ISSUER,
    groups: site.groups,
    domains: site.domains,
    knownVos: vos,
  });
  return judgeVoAdmission({
    analysis,
    projects,
    grants: site.grants,
    servedVos: vos,
    opsVo: 'ops',
  });
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

describe('whom a rule admits, and where (recorded site-a, one rule changed or added)', () => {
  const siteA = recorded('site-a');
  const opsGroupId = siteA.groups.find(g => g.name === 'ops')!.id;
  // Site-a's own ops rule, with its entitlement condition replaced (or dropped).
  const opsRuleWith = (
    condition?: MappingRule['remote'][number],
  ): MappingRule => ({
    local: [
      { user: { name: '{0}', type: 'ephemeral' }, group: { id: opsGroupId } },
    ],
    remote: [
      { type: 'HTTP_OIDC_SUB' },
      { type: 'HTTP_OIDC_ISS', any_one_of: [ISSUER] },
      ...(condition ? [condition] : []),
    ],
  });
  const withExtraRule = (rule: MappingRule) => [...siteA.mapping.rules, rule];
  const ENTITLEMENT = 'HTTP_OIDC_EDUPERSON_ENTITLEMENT';

  it('finds nothing wrong with site-a’s own mapping', () => {
    expect(judged(siteA)).toEqual([]);
  });

  it.each([
    ['no entitlement condition', undefined, /it has no entitlement condition/],
    [
      'any_one_of the regex .*',
      { type: ENTITLEMENT, regex: true, any_one_of: ['.*'] },
      /regex "\.\*" does not pin a VO/,
    ],
    [
      'not_any_of alone',
      {
        type: ENTITLEMENT,
        not_any_of: ['urn:mace:egi.eu:group:dteam:role=vm_operator#aai.egi.eu'],
      },
      /only not_any_of/,
    ],
    [
      'a regex for every VO’s vm_operator',
      {
        type: ENTITLEMENT,
        regex: true,
        any_one_of: [
          '^urn:mace:egi\\.eu:group:.+:role=vm_operator#aai\\.egi\\.eu$',
        ],
      },
      /does not pin a VO \(it matches urn:mace:egi\.eu:group:fedstack-probe\.example\.org:/,
    ],
    [
      'an unanchored regex that also matches ops.<anything>',
      {
        type: ENTITLEMENT,
        regex: true,
        any_one_of: ['urn:mace:egi\\.eu:group:ops'],
      },
      /does not pin a VO \(it matches urn:mace:egi\.eu:group:ops\.fedstack-probe/,
    ],
  ])(
    'fails a rule admitting every Check-in user into the ops group: %s',
    (_name, condition, why) => {
      const problems = judged(siteA, withExtraRule(opsRuleWith(condition)));
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(
        /^rule 2 admits every Check-in user into group 902c2614458b44af9a8c48095621d45c, which holds member on project ops \(VO ops\): /,
      );
      expect(problems[0]).toMatch(why);
    },
  );

  it('fails a rule that puts users picked by something other than a VO into a VO group', () => {
    const problems = judged(
      siteA,
      withExtraRule(
        opsRuleWith({
          type: ENTITLEMENT,
          any_one_of: ['urn:mace:egi.eu:www.egi.eu:tcb-cloud:member@egi.eu'],
        }),
      ),
    );
    expect(problems).toEqual([
      expect.stringMatching(
        /^rule 2 admits users who are not picked by VO into group .* names no VO entitlement/,
      ),
    ]);
  });

  it('fails a rule that admits one VO into another VO’s group', () => {
    const problems = judged(
      siteA,
      withExtraRule(
        opsRuleWith({
          type: ENTITLEMENT,
          regex: true,
          any_one_of: [
            '^urn:mace:egi\\.eu:group:vo\\.access\\.egi\\.eu:role=member#aai\\.egi\\.eu$',
          ],
        }),
      ),
    );
    expect(problems).toEqual([
      'rule 2 admits members of VO vo.access.egi.eu into group 902c2614458b44af9a8c48095621d45c, which holds member on project ops (VO ops)',
    ]);
  });

  it('accepts a pinned rule that also excludes some, and a regex naming two served VOs', () => {
    expect(
      judged(
        siteA,
        withExtraRule(
          opsRuleWith({
            type: ENTITLEMENT,
            regex: true,
            any_one_of: [
              '^urn:mace:egi\\.eu:group:ops:role=(vm_operator|member)#aai\\.egi\\.eu$',
            ],
          }),
        ),
      ),
    ).toEqual([]);
    const both = opsRuleWith({
      type: ENTITLEMENT,
      regex: true,
      any_one_of: [
        '^urn:mace:egi\\.eu:group:(ops|vo\\.access\\.egi\\.eu):role=vm_operator#aai\\.egi\\.eu$',
      ],
    });
    // Both VOs' members land in ops: vo.access.egi.eu's do not belong there.
    expect(judged(siteA, withExtraRule(both))).toEqual([
      expect.stringMatching(
        /^rule 2 admits members of VO vo\.access\.egi\.eu into group 902c/,
      ),
    ]);
  });

  it('fails a mapping with no rule for ops: the monitoring cannot log in', () => {
    const problems = judged(siteA, siteA.mapping.rules.slice(1));
    expect(problems).toEqual([
      'no rule admits members of VO ops (an entitlement condition naming it) into a group holding member on its project (ops): the monitoring cannot log in with its ops entitlement',
    ]);
  });

  it('finds the ops rule whichever entitlement form it names (role=member, a sub-group)', () => {
    for (const entitlement of [
      '^urn:mace:egi\\.eu:group:ops:role=member#aai\\.egi\\.eu$',
      'urn:mace:egi.eu:group:ops:monitoring:role=member#aai.egi.eu',
    ]) {
      const rule = opsRuleWith({
        type: 'OIDC-eduperson_entitlement',
        regex: entitlement.startsWith('^'),
        any_one_of: [entitlement],
      });
      expect(judged(siteA, [rule, ...siteA.mapping.rules.slice(1)])).toEqual(
        [],
      );
    }
  });

  it('fails an ops rule whose group holds no member role on the ops project', () => {
    const [opsRule, accessRule] = siteA.mapping.rules;
    const intoAccessGroup = { ...opsRule, local: accessRule.local };
    expect(judged(siteA, [intoAccessGroup, accessRule])).toEqual([
      'rule 0 admits members of VO ops into group vo.access.egi.eu, which holds member on project vo.access.egi.eu (VO vo.access.egi.eu)',
      'rule(s) 0 admit VO ops, but into group vo.access.egi.eu, holding no member role on its project (ops): the monitoring cannot log in with its ops entitlement',
    ]);
  });

  it('needs a rule for every VO the site declares, and none for a disabled VO project', () => {
    expect(judged(siteA, siteA.mapping.rules, ['biomed'])).toEqual([
      'no rule admits members of VO biomed (an entitlement condition naming it) into a group holding member on a project',
    ]);
    const accessDisabled = siteA.projects.map(p =>
      p.vo === 'vo.access.egi.eu' ? { ...p, enabled: false } : p,
    );
    expect(
      judged(siteA, siteA.mapping.rules.slice(0, 1), [], accessDisabled),
    ).toEqual([]);
    expect(judged(siteA, siteA.mapping.rules.slice(0, 1))).toEqual([
      expect.stringMatching(
        /^no rule admits members of VO vo\.access\.egi\.eu/,
      ),
    ]);
  });

  it('says when a rule names a VO only in an entitlement Check-in never sends', () => {
    const rule = opsRuleWith({
      type: ENTITLEMENT,
      any_one_of: ['urn:mace:egi.eu: group:ops:role=vm_operator#aai.egi.eu'],
    });
    const problems = judged(siteA, [rule, ...siteA.mapping.rules.slice(1)]);
    expect(problems).toEqual([
      expect.stringMatching(/^rule 0 admits users who are not picked by VO/),
      expect.stringMatching(
        /^rule 0's entitlement "urn:mace:egi\.eu: group:ops.*" \(VO ops\) contains whitespace.*admits no one$/,
      ),
      expect.stringMatching(/^no rule admits members of VO ops/),
    ]);
  });
});

describe('site-b as recorded (every defect)', () => {
  it('finds only what its defects put there: ops without a VO property still has its rule', () => {
    expect(judged(recorded('site-b'))).toEqual([]);
  });
});

describe('keystoneRegex', () => {
  it('reads the Python spellings Keystone mappings may use', () => {
    expect(keystoneRegex('(?i)^URN:MACE:EGI')?.test('urn:mace:egi')).toBe(true);
    expect(keystoneRegex('(?P<vo>ops)\\Z')?.test('group:ops')).toBe(true);
    expect(keystoneRegex('(unclosed')).toBeUndefined();
  });
});
