import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { mappingRuleSchema } from '../../client/identity/federation';
import {
  analyseMapping,
  describeRule,
  judgeVoAdmission,
  servedVos,
} from './mappingAnalysis';

/**
 * Mappings others wrote (fixtures/real-world/keystone-mappings, sources in its README), read
 * as federation.mapping reads them, with the verdict an EGI operator gives.
 */

// Test-only, run from the source tree.
// eslint-disable-next-line no-restricted-syntax
const DIR = path.resolve(
  __dirname,
  '../../../fixtures/real-world/keystone-mappings',
);
const read = (name: string) =>
  JSON.parse(fs.readFileSync(path.join(DIR, name), 'utf8'));
const rulesSchema = z.array(mappingRuleSchema);
const CHECK_IN = 'https://aai.egi.eu/auth/realms/egi';

describe('EGI’s documented mapping (docs.egi.eu, Keystone Federation Support)', () => {
  const text = fs.readFileSync(
    path.join(DIR, 'egi-docs-aai-mapping.json'),
    'utf8',
  );
  // The site as the page builds it: group ops holds member on project ops (egi.VO ops);
  // egi-staff holds reader on the egi.eu domain only (no project).
  const site = {
    groups: [
      { id: '_ops_group_ID_', name: 'ops', domain_id: 'default' },
      { id: '_egi-staff_group_ID_', name: 'egi-staff', domain_id: 'egi' },
    ],
    domains: [{ id: 'egi', name: 'egi.eu' }],
    projects: [{ id: 'p-ops', name: 'ops', vo: 'ops', enabled: true }],
    grants: [{ groupId: '_ops_group_ID_', projectId: 'p-ops', role: 'member' }],
  };
  const judge = (rulesText: string) => {
    const rules = rulesSchema.parse(JSON.parse(rulesText));
    const vos = servedVos('ops', site.projects);
    const analysis = analyseMapping(rules, {
      issuer: CHECK_IN,
      groups: site.groups,
      domains: site.domains,
      knownVos: vos,
    });
    return {
      analysis,
      problems: judgeVoAdmission({
        analysis,
        projects: site.projects,
        grants: site.grants,
        servedVos: vos,
        opsVo: 'ops',
      }),
    };
  };

  it('reads whom each rule admits, and where', () => {
    const { analysis, problems } = judge(text);
    expect(analysis.rules.map(describeRule)).toEqual([
      'VO ops → group _ops_group_ID_',
      'VO cloud.egi.eu → group _egi-staff_group_ID_',
    ]);
    expect(analysis.subjectRules).toEqual([0, 1]);
    // The VO rules are right (the auditor group holds no project role: nothing to judge).
    expect(problems).toEqual([]);
  });

  it('is guarded on the demo Check-in in its ops rule, until the documented sed for production', () => {
    // The page is written for Check-in's demo instance, then says to run
    // `sed -i 's/aai-demo.egi.eu/aai.egi.eu/' mapping.egi.json` when moving to production.
    expect(judge(text).analysis.unguardedRules).toEqual([0]);
    const production = text.replace(/aai-demo\.egi\.eu/g, 'aai.egi.eu');
    expect(judge(production).analysis.unguardedRules).toEqual([]);
  });
});

describe('Keystone’s own mapping fixtures (keystone/tests/unit/mapping_fixtures.py)', () => {
  const mappings: Record<string, unknown> = read(
    'keystone-mapping-fixtures.json',
  ).mappings;

  // Every MAPPING_* constant: what our schema refuses (Keystone refuses these too), else whom
  // each rule admits and where. None tests an entitlement or Check-in's issuer (they are SAML
  // examples), so at an EGI site none admits by VO: a rule that reached a VO group would let
  // in everyone, or people picked by some other claim.
  const EXPECTED: Record<string, string | string[]> = {
    MAPPING_SMALL: ['no VO → group 0cd5e9', 'no VO → group 85a868'],
    MAPPING_LARGE: [
      'no VO → group 0cd5e9',
      'everyone → nowhere',
      'no VO → group 123, group xyz',
    ],
    MAPPING_BAD_REQ: 'refused',
    MAPPING_BAD_VALUE: 'refused',
    MAPPING_NO_RULES: [],
    MAPPING_NO_REMOTE: 'refused',
    MAPPING_MISSING_LOCAL: 'refused',
    MAPPING_WRONG_TYPE: 'refused',
    MAPPING_MISSING_TYPE: 'refused',
    MAPPING_EXTRA_REMOTE_PROPS_NOT_ANY_OF: ['everyone → group 0cd5e9'],
    MAPPING_EXTRA_REMOTE_PROPS_ANY_ONE_OF: ['no VO → group 0cd5e9'],
    MAPPING_EXTRA_REMOTE_PROPS_JUST_TYPE: ['everyone → group 0cd5e9'],
    MAPPING_EXTRA_RULES_PROPS: ['everyone → group 0cd5e9'],
    MAPPING_TESTER_REGEX: ['everyone → nowhere', 'no VO → group 123'],
    MAPPING_DIRECT_MAPPING_THROUGH_KEYWORD: ['no VO → group 123'],
    MAPPING_DEVELOPER_REGEX: ['no VO → group xyz'],
    MAPPING_GROUP_NAMES: [
      'everyone → nowhere',
      'no VO → group Developer@outsourcing',
      'no VO → group tester@5abc43',
    ],
    MAPPING_GROUP_NAME_WITHOUT_DOMAIN: ['no VO → group Developer'],
    MAPPING_GROUP_ID_WITH_DOMAIN: ['no VO → group 0cd5e9@5abc43'],
    MAPPING_BAD_GROUP: ['no VO → group (neither id nor name)'],
    MAPPING_BAD_DOMAIN: ['no VO → group 0cd5e9@5abc43'],
    MAPPING_EPHEMERAL_USER: ['no VO → nowhere'],
    MAPPING_EPHEMERAL_USER_REMOTE_DOMAIN: ['everyone → nowhere'],
    MAPPING_GROUPS_WHITELIST: ['everyone → groups named by the assertion'],
    MAPPING_EPHEMERAL_USER_LOCAL_DOMAIN: ['no VO → nowhere'],
    MAPPING_GROUPS_WHITELIST_MISSING_DOMAIN: [
      'everyone → groups named by the assertion',
    ],
    MAPPING_LOCAL_USER_LOCAL_DOMAIN: ['no VO → nowhere'],
    MAPPING_GROUPS_BLACKLIST_MULTIPLES: [
      'everyone → groups named by the assertion',
    ],
    MAPPING_GROUPS_BLACKLIST: ['everyone → groups named by the assertion'],
    MAPPING_GROUPS_BLACKLIST_REGEX: [
      'everyone → groups named by the assertion',
    ],
    MAPPING_GROUPS_WHITELIST_REGEX: [
      'everyone → groups named by the assertion',
    ],
    MAPPING_USER_IDS: [
      'no VO → nowhere',
      'no VO → nowhere',
      'no VO → nowhere',
      'no VO → nowhere',
    ],
    MAPPING_GROUPS_BLACKLIST_MISSING_DOMAIN: [
      'everyone → groups named by the assertion',
    ],
    MAPPING_GROUPS_WHITELIST_AND_BLACKLIST: [
      'everyone → groups named by the assertion',
    ],
    MAPPING_WITH_USERNAME_AND_DOMAINNAME: ['everyone → nowhere'],
    MAPPING_WITH_USERID_AND_DOMAINNAME: ['everyone → nowhere'],
    MAPPING_WITH_USERNAME_AND_DOMAINID: ['everyone → nowhere'],
    MAPPING_WITH_USERID_AND_DOMAINID: ['everyone → nowhere'],
    MAPPING_WITH_DOMAINID_ONLY: ['everyone → nowhere'],
    MAPPING_GROUPS_IDS_WHITELIST: ['everyone → groups named by the assertion'],
    MAPPING_GROUPS_IDS_BLACKLIST: ['everyone → groups named by the assertion'],
    MAPPING_WITH_DOMAINNAME_ONLY: ['everyone → nowhere'],
    MAPPING_WITH_USERNAME_ONLY: ['everyone → nowhere'],
    MAPPING_WITH_USERID_ONLY: ['everyone → nowhere'],
    MAPPING_FOR_EPHEMERAL_USER: ['everyone → group dummy'],
    MAPPING_FOR_EPHEMERAL_USER_AND_GROUP_DOMAIN_NAME: [
      'everyone → group dummy@dummy',
    ],
    MAPPING_FOR_DEFAULT_EPHEMERAL_USER: ['everyone → group dummy'],
    MAPPING_GROUPS_WHITELIST_PASS_THROUGH: [
      'everyone → nowhere',
      'everyone → groups named by the assertion',
    ],
    MAPPING_BAD_LOCAL_SETUP: ['everyone → nowhere'],
    MAPPING_BAD_LOCAL_TYPE_USER_IN_ASSERTION: ['no VO → nowhere'],
    MAPPING_GROUPS_WITH_EMAIL: ['everyone → groups named by the assertion'],
    MAPPING_GROUPS_DOMAIN_OF_USER: ['everyone → groups named by the assertion'],
    MAPPING_UNICODE: ['no VO → group 0cd5e9'],
    MAPPING_PROJECTS: [
      'no VO → project Production (observer), project Staging (member), project Project for {0} (admin)',
    ],
    MAPPING_PROJECTS_WITHOUT_ROLES: [
      'everyone → project a, project b, project Project for {0}',
    ],
    MAPPING_PROJECTS_WITHOUT_NAME: 'refused',
  };

  const readings = Object.fromEntries(
    Object.entries(mappings).map(([name, mapping]) => {
      const parsed = z.object({ rules: rulesSchema }).safeParse(mapping);
      if (!parsed.success) return [name, 'refused'];
      const analysis = analyseMapping(parsed.data.rules, {
        issuer: CHECK_IN,
        groups: [],
        domains: [],
      });
      // Groups do not exist here: say where, not whether.
      return [
        name,
        analysis.rules.map(r => describeRule(r).replace(/ \(missing\)/g, '')),
      ];
    }),
  );

  it('reads every one, as an EGI operator would judge it', () => {
    expect(Object.keys(readings).sort()).toEqual(Object.keys(EXPECTED).sort());
    expect(readings).toEqual(EXPECTED);
  });

  it('names what it refuses', () => {
    const bad = z
      .object({ rules: rulesSchema })
      .safeParse(mappings.MAPPING_MISSING_LOCAL);
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map(i => i.path.join('.'))).toContain(
      'rules.0.local',
    );
  });

  it('fails any of them that reaches a VO group: everyone, or people picked without a VO', () => {
    // Keystone's MAPPING_SMALL at a site where its employee group holds member on ops.
    const { rules } = z
      .object({ rules: rulesSchema })
      .parse(mappings.MAPPING_SMALL);
    const projects = [{ id: 'p', name: 'ops', vo: 'ops', enabled: true }];
    const analysis = analyseMapping(rules, {
      issuer: CHECK_IN,
      groups: [{ id: '0cd5e9', name: 'employees', domain_id: 'default' }],
      domains: [],
    });
    expect(
      judgeVoAdmission({
        analysis,
        projects,
        grants: [{ groupId: '0cd5e9', projectId: 'p', role: 'member' }],
        servedVos: servedVos('ops', projects),
        opsVo: 'ops',
      }),
    ).toEqual([
      'rule 0 admits users who are not picked by VO into group 0cd5e9, which holds member on project ops (VO ops): it picks users by LastName, not by a VO entitlement',
      'no rule admits members of VO ops (an entitlement condition naming it) into a group holding member on its project (ops): the monitoring cannot log in with its ops entitlement',
    ]);
    expect(analysis.unguardedRules).toEqual([0, 1]);
    expect(analysis.subjectRules).toEqual([]);
  });
});
