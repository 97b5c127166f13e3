import { MappingRule } from '../../client/identity/federation';

/**
 * Reads a Keystone mapping the way Keystone applies it, to answer what federation.mapping asks:
 * does the user name come from the OIDC subject, is every user-mapping rule guarded by the
 * issuer, and does every group a rule names exist (Keystone silently skips one that does not).
 */

export interface GroupRecord {
  id: string;
  name: string;
  domain_id: string;
}

export interface DomainRecord {
  id: string;
  name: string;
}

export interface MappingAnalysisOptions {
  /** The issuer the rules must guard on, e.g. `https://aai.egi.eu/auth/realms/egi`. */
  issuer: string;
  groups: readonly GroupRecord[];
  domains: readonly DomainRecord[];
}

export interface GroupReference {
  rule: number;
  id?: string;
  name?: string;
  domain?: string;
  /** The VO the rule's entitlement condition names, when it names one. */
  vo?: string;
  exists: boolean;
}

export interface MappingAnalysis {
  /** Rules that map a user at all. */
  userRules: number[];
  /** Of those, the ones whose user name is the OIDC subject. */
  subjectRules: number[];
  /** Rules that map a user without an issuer condition naming the expected issuer. */
  unguardedRules: number[];
  /** Every group named by a rule, and whether it exists. */
  groups: GroupReference[];
  /** VOs named by entitlement conditions. */
  vos: string[];
}

// Apache passes claims as OIDC-sub / OIDC_SUB, Keystone sees HTTP_OIDC_SUB: compare one form.
export function attributeName(type: string): string {
  return type
    .toUpperCase()
    .replace(/-/g, '_')
    .replace(/^HTTP_/, '');
}

const ENTITLEMENT_VO =
  /urn:mace:egi\.eu:group:([^:#]+)(?::[^#]*)?:role=vm_operator#aai\.egi\.eu/;

/** The VO of an EGI entitlement value or of a regex written to match one. */
export function voOfEntitlement(pattern: string): string | undefined {
  const plain = pattern
    .replace(/^\^/, '')
    .replace(/\$$/, '')
    .replace(/\\/g, '');
  return ENTITLEMENT_VO.exec(plain)?.[1];
}

function conditionMatches(values: string[], regex: boolean, wanted: string) {
  return values.some(value => {
    if (!regex) return value === wanted;
    try {
      return new RegExp(value).test(wanted);
    } catch {
      return false;
    }
  });
}

export function analyseMapping(
  rules: readonly MappingRule[],
  options: MappingAnalysisOptions,
): MappingAnalysis {
  const analysis: MappingAnalysis = {
    userRules: [],
    subjectRules: [],
    unguardedRules: [],
    groups: [],
    vos: [],
  };
  const domainIdOf = (ref?: { id?: string; name?: string }) =>
    ref?.id ?? options.domains.find(d => d.name === ref?.name)?.id;

  rules.forEach((rule, index) => {
    // `{N}` in a local directive is the value of the N-th remote entry that is not a condition.
    const directMaps = rule.remote.filter(
      remote => !remote.any_one_of && !remote.not_any_of,
    );
    const guarded = rule.remote.some(
      remote =>
        attributeName(remote.type) === 'OIDC_ISS' &&
        remote.any_one_of !== undefined &&
        conditionMatches(remote.any_one_of, !!remote.regex, options.issuer),
    );
    const ruleVos = rule.remote
      .filter(remote => attributeName(remote.type).includes('ENTITLEMENT'))
      .flatMap(remote => remote.any_one_of ?? [])
      .map(voOfEntitlement)
      .filter((vo): vo is string => vo !== undefined);
    analysis.vos.push(...ruleVos.filter(vo => !analysis.vos.includes(vo)));

    for (const local of rule.local) {
      if (local.user) {
        if (!analysis.userRules.includes(index)) analysis.userRules.push(index);
        const reference = /^\{(\d+)\}$/.exec(local.user.name ?? '');
        const source = reference ? directMaps[Number(reference[1])] : undefined;
        if (source && attributeName(source.type) === 'OIDC_SUB') {
          analysis.subjectRules.push(index);
        }
        if (!guarded && !analysis.unguardedRules.includes(index)) {
          analysis.unguardedRules.push(index);
        }
      }
      if (local.group) {
        const { id, name, domain } = local.group;
        const domainId = domainIdOf(domain);
        const exists = id
          ? options.groups.some(group => group.id === id)
          : options.groups.some(
              group => group.name === name && group.domain_id === domainId,
            );
        analysis.groups.push({
          rule: index,
          ...(id ? { id } : {}),
          ...(name ? { name } : {}),
          ...(domain ? { domain: domain.name ?? domain.id } : {}),
          ...(ruleVos[0] ? { vo: ruleVos[0] } : {}),
          exists,
        });
      }
    }
  });
  return analysis;
}
