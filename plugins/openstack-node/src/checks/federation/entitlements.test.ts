import fs from 'node:fs';
import path from 'node:path';
import {
  MappingRule,
  mappingRuleSchema,
} from '../../client/identity/federation';
import { entitlementProbes, parseEntitlement } from './entitlements';
import { analyseMapping, voOfEntitlement } from './mappingAnalysis';

// Test-only, run from the source tree.
// eslint-disable-next-line no-restricted-syntax
const REAL_WORLD = path.resolve(__dirname, '../../../fixtures/real-world');

/**
 * fedcloud-catchall-operations' vo-mappings.yaml: `vos:` and one `key: "entitlement"` line per
 * VO. Read line by line, refusing any line of another shape, so no entry can be skipped.
 */
function voMappings(): Array<{ key: string; entitlement: string }> {
  const text = fs.readFileSync(
    path.join(REAL_WORLD, 'vo-mappings/vo-mappings.yaml'),
    'utf8',
  );
  const entries: Array<{ key: string; entitlement: string }> = [];
  for (const line of text.split('\n')) {
    if (line === '---' || line === 'vos:' || line.trim() === '') continue;
    const entry = /^ {2}([^\s:][^:]*): "([^"]*)"$/.exec(line);
    if (!entry) throw new Error(`vo-mappings.yaml: unexpected line ${line}`);
    entries.push({ key: entry[1], entitlement: entry[2] });
  }
  return entries;
}

// A key is the VO, or a VOMS-style path whose first element is the VO (`/biomed/vip`).
const voOfKey = (key: string) => key.split('/').filter(Boolean)[0];

// The one value in the list with a space Check-in never sends.
const FLAWED = 'vo.imagine-ai.eu';

describe("EGI's VO mapping list (fedcloud-catchall-operations vo-mappings.yaml)", () => {
  const entries = voMappings();

  it('is read whole', () => {
    expect(entries.length).toBe(67);
    expect(entries.map(e => e.key)).toContain('ops');
  });

  it('recognises every entitlement with the VO its key names', () => {
    const misread = entries.filter(
      e => parseEntitlement(e.entitlement)?.vo !== voOfKey(e.key),
    );
    expect(misread).toEqual([]);
  });

  it('finds the VO of every entitlement the mapping check reads, value or regex', () => {
    const escaped = (value: string) =>
      `^${value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`;
    const misread = entries.filter(
      e =>
        voOfEntitlement(e.entitlement) !== voOfKey(e.key) ||
        voOfEntitlement(escaped(e.entitlement)) !== voOfKey(e.key),
    );
    expect(misread).toEqual([]);
  });

  it('reads roles and sub-groups', () => {
    const read = (key: string) =>
      parseEntitlement(entries.find(e => e.key === key)!.entitlement);
    expect(read('ops')).toEqual({
      vo: 'ops',
      subgroups: [],
      role: 'vm_operator',
      authority: 'aai.egi.eu',
    });
    expect(read('lagoproject.net')).toMatchObject({ role: 'member' });
    expect(read('vo.notebooks.egi.eu')).toMatchObject({ role: 'admin' });
    expect(read('vo.usegalaxy.eu')).toMatchObject({
      vo: 'vo.usegalaxy.eu',
      subgroups: ['vm_operator'],
      role: 'member',
    });
    expect(read('sage.greendealdata.eu')).toMatchObject({
      subgroups: ['infra-deployments'],
      role: 'user',
    });
  });

  it('says which value Check-in never sends, and only that one', () => {
    const flawed = entries.filter(e => parseEntitlement(e.entitlement)?.flaw);
    expect(flawed.map(e => e.key)).toEqual([FLAWED]);
    expect(parseEntitlement(flawed[0].entitlement)?.flaw).toMatch(/whitespace/);
  });

  it('finds each VO in the rule EGI’s VO configuration guide has sites write for it', () => {
    const template = mappingRuleSchema.parse(
      JSON.parse(
        fs.readFileSync(
          path.join(
            REAL_WORLD,
            'keystone-mappings/egi-docs-vo-config-rule.json',
          ),
          'utf8',
        ),
      ),
    );
    // As the guide says: substitute the entitlement from vo-mappings.yaml (pasted as is).
    const ruleFor = (entitlement: string): MappingRule =>
      JSON.parse(
        JSON.stringify(template).replace('<entitlement>', entitlement),
      );
    const readings = entries.map(e => {
      const [rule] = analyseMapping([ruleFor(e.entitlement)], {
        issuer: 'https://aai.egi.eu/auth/realms/egi',
        groups: [],
        domains: [],
      }).rules;
      return { key: e.key, rule };
    });
    const flawed = readings.find(r => r.key === FLAWED)!.rule;
    expect(flawed.admits.kind).toBe('no-vo');
    expect(flawed.flawed).toEqual([expect.objectContaining({ vo: FLAWED })]);
    expect(
      readings
        .filter(r => r.key !== FLAWED)
        .map(({ key, rule }) => ({ key, admits: rule.admits })),
    ).toEqual(
      entries
        .filter(e => e.key !== FLAWED)
        .map(({ key }) => ({
          key,
          admits: { kind: 'vo', vos: [voOfKey(key)] },
        })),
    );
  });
});

describe('parseEntitlement', () => {
  it('leaves values that name no VO alone', () => {
    expect(parseEntitlement('urn:mace:example.org:staff')).toBeUndefined();
    // Check-in's non-VO groups (www.egi.eu) and an empty VO.
    expect(
      parseEntitlement('urn:mace:egi.eu:www.egi.eu:tcb-cloud:member@egi.eu'),
    ).toBeUndefined();
    expect(
      parseEntitlement('urn:mace:egi.eu:group::role=member#aai.egi.eu'),
    ).toBeUndefined();
  });

  it('reads the older sso.egi.eu form without a role', () => {
    expect(
      parseEntitlement('urn:mace:egi.eu:group:c-scale-all#sso.egi.eu'),
    ).toEqual({
      vo: 'c-scale-all',
      subgroups: [],
      authority: 'sso.egi.eu',
    });
  });

  it('gives probes that each name the VO', () => {
    for (const probe of entitlementProbes('ops')) {
      expect(parseEntitlement(probe)?.vo).toBe('ops');
    }
  });
});
