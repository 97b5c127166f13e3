import { MappingRule } from '../../client/identity/federation';
import { entitlementProbes, parseEntitlement } from './entitlements';

/**
 * Reads a Keystone mapping the way Keystone applies it, to answer what federation.mapping asks:
 * does the user name come from the OIDC subject, is every user-mapping rule guarded by the
 * issuer, does every group a rule names exist (Keystone silently skips one that does not), and
 * whom does each rule admit, and where.
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
  /** VOs worth trying a rule's regexes on (the site's), besides those the regexes spell out. */
  knownVos?: readonly string[];
}

export interface GroupReference {
  rule: number;
  id?: string;
  name?: string;
  domain?: string;
  /** The VO the rule's entitlement condition names, when it names one. */
  vo?: string;
  exists: boolean;
  /** The group's id, when it exists. */
  groupId?: string;
}

/**
 * Whom a rule admits, from its entitlement conditions: members of named VOs, every Check-in
 * user (no condition, or one any entitlement satisfies), or users picked by something that
 * names no VO.
 */
export type Admission =
  | { kind: 'vo'; vos: string[] }
  | { kind: 'everyone'; why: string }
  | { kind: 'no-vo'; why: string };

export interface FlawedEntitlement {
  value: string;
  vo: string;
  flaw: string;
}

export interface RuleReading {
  rule: number;
  mapsUser: boolean;
  subjectUser: boolean;
  guarded: boolean;
  admits: Admission;
  /** Entitlement values naming a VO that Check-in never sends as written. */
  flawed: FlawedEntitlement[];
  groups: GroupReference[];
  /** Projects the rule puts users on directly, with the roles it gives. */
  projects: { name: string; roles: string[] }[];
  /** A `groups` / `group_ids` directive: the assertion itself names the groups. */
  groupsFromAssertion: boolean;
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
  /** Each rule: whom it admits, and where. */
  rules: RuleReading[];
}

// Apache passes claims as OIDC-sub / OIDC_SUB, Keystone sees HTTP_OIDC_SUB: compare one form.
export function attributeName(type: string): string {
  return type
    .toUpperCase()
    .replace(/-/g, '_')
    .replace(/^HTTP_/, '');
}

const isEntitlementAttribute = (type: string) =>
  attributeName(type).includes('ENTITLEMENT');

// A VO name holds dots and dashes, never regex operators.
const REGEX_OPERATORS = /[*+?()[\]{}|\\^$]/;

/** The entitlement a regex spells out literally (`^…$`, escaped dots), read as a value. */
function literalReading(pattern: string) {
  const plain = pattern
    .replace(/^\^/, '')
    .replace(/\$$/, '')
    .replace(/\\(.)/g, '$1');
  const entitlement = parseEntitlement(plain);
  if (!entitlement || REGEX_OPERATORS.test(entitlement.vo)) return undefined;
  return entitlement;
}

/** The VO of an EGI entitlement value or of a regex written to match one. */
export function voOfEntitlement(pattern: string): string | undefined {
  return literalReading(pattern)?.vo;
}

/**
 * A mapping regex as JavaScript runs it. Keystone applies it with Python's `re.search`: the
 * same semantics (unanchored unless `^`/`$`) for what mappings use, once Python's spellings of
 * named groups, inline case folding and `\A`/`\Z` are translated.
 */
export function keystoneRegex(pattern: string): RegExp | undefined {
  let source = pattern;
  let flags = '';
  const inline = /^\(\?([aiLmsux]+)\)/.exec(source);
  if (inline) {
    if (inline[1].includes('i')) flags += 'i';
    if (inline[1].includes('s')) flags += 's';
    if (inline[1].includes('m')) flags += 'm';
    source = source.slice(inline[0].length);
  }
  source = source
    .replace(/\(\?P</g, '(?<')
    .replace(/\(\?P=(\w+)\)/g, '\\k<$1>')
    .replace(/\\A/g, '^')
    .replace(/\\Z/g, '$');
  try {
    return new RegExp(source, flags);
  } catch {
    return undefined;
  }
}

// A VO no site serves: a regex that lets its entitlements through pins no VO.
const STRANGER_VO = 'fedstack-probe.example.org';

type ConditionReading =
  | { kind: 'vo'; vos: string[]; flawed: FlawedEntitlement[] }
  | { kind: 'everyone'; why: string }
  | { kind: 'no-vo'; why: string; flawed: FlawedEntitlement[] };

/** Whom one `any_one_of` / `not_any_of` / list test on the entitlement attribute lets through. */
function readEntitlementCondition(
  remote: MappingRule['remote'][number],
  knownVos: readonly string[],
): ConditionReading | undefined {
  const shown = (values: string[]) =>
    values.map(value => JSON.stringify(value)).join(', ');
  if (!remote.any_one_of) {
    if (remote.not_any_of) {
      return {
        kind: 'everyone',
        why: `its entitlement condition is only not_any_of ${shown(
          remote.not_any_of,
        )}, which any other entitlement satisfies`,
      };
    }
    if (remote.whitelist || remote.blacklist) {
      return {
        kind: 'everyone',
        why: 'its entitlement whitelist/blacklist only filters values, it excludes no user',
      };
    }
    // A plain `{type}`: the value is only read, not tested.
    return undefined;
  }
  const vos = new Set<string>();
  const flawed: FlawedEntitlement[] = [];
  for (const value of remote.any_one_of) {
    const literal = remote.regex
      ? literalReading(value)
      : parseEntitlement(value);
    if (literal?.flaw) {
      flawed.push({ value, vo: literal.vo, flaw: literal.flaw });
      continue;
    }
    if (!remote.regex) {
      if (literal) vos.add(literal.vo);
      continue;
    }
    const regex = keystoneRegex(value);
    if (!regex) continue; // Keystone fails on it too: it admits no one.
    const candidates = [
      ...new Set([...(literal ? [literal.vo] : []), ...knownVos]),
    ];
    // Which VOs' entitlements it lets through, and whether it lets through strangers: a VO no
    // site serves, or one that only shares a prefix or suffix with the VO it names.
    const strangers = [
      STRANGER_VO,
      ...candidates.flatMap(vo => [`${vo}.${STRANGER_VO}`, `x-${vo}`]),
    ];
    const admitted = (vo: string) =>
      entitlementProbes(vo, literal).some(probe => regex.test(probe));
    const stranger = strangers.find(admitted);
    if (stranger) {
      return {
        kind: 'everyone',
        why: `its entitlement regex ${JSON.stringify(
          value,
        )} does not pin a VO (it matches ${entitlementProbes(
          stranger,
          literal,
        ).find(probe => regex.test(probe))!})`,
      };
    }
    for (const vo of candidates.filter(admitted)) vos.add(vo);
  }
  if (vos.size > 0) return { kind: 'vo', vos: [...vos], flawed };
  return {
    kind: 'no-vo',
    why: `its entitlement condition ${shown(
      remote.any_one_of,
    )} names no VO entitlement Check-in sends`,
    flawed,
  };
}

function readAdmission(
  rule: MappingRule,
  knownVos: readonly string[],
): { admits: Admission; flawed: FlawedEntitlement[] } {
  const readings = rule.remote
    .filter(remote => isEntitlementAttribute(remote.type))
    .map(remote => readEntitlementCondition(remote, knownVos))
    .filter((r): r is ConditionReading => r !== undefined);
  const flawed = readings.flatMap(r => (r.kind === 'everyone' ? [] : r.flawed));
  // Conditions of a rule must all hold: one that pins a VO is enough to pin the rule.
  const pinned = readings.filter(r => r.kind === 'vo');
  if (pinned.length > 0) {
    return {
      admits: {
        kind: 'vo',
        vos: [...new Set(pinned.flatMap(r => (r.kind === 'vo' ? r.vos : [])))],
      },
      flawed,
    };
  }
  const narrowing = readings.find(r => r.kind === 'no-vo');
  if (narrowing && narrowing.kind === 'no-vo') {
    return { admits: { kind: 'no-vo', why: narrowing.why }, flawed };
  }
  const open = readings.find(r => r.kind === 'everyone');
  if (open && open.kind === 'everyone') {
    return { admits: { kind: 'everyone', why: open.why }, flawed };
  }
  // Tests on other claims (an e-mail list, say) narrow whom it admits, but not to a VO.
  const others = rule.remote.filter(
    remote =>
      remote.any_one_of &&
      !isEntitlementAttribute(remote.type) &&
      attributeName(remote.type) !== 'OIDC_ISS',
  );
  if (others.length > 0) {
    return {
      admits: {
        kind: 'no-vo',
        why: `it picks users by ${others
          .map(remote => remote.type)
          .join(', ')}, not by a VO entitlement`,
      },
      flawed,
    };
  }
  return {
    admits: { kind: 'everyone', why: 'it has no entitlement condition' },
    flawed,
  };
}

/** How a message names a group reference. */
export function groupLabel(g: GroupReference): string {
  return `group ${g.name ?? g.id ?? '(neither id nor name)'}`;
}

// `{N}` in a group's id or name: the assertion's N-th value names the group.
const fromAssertion = (value?: string) => !!value && /\{\d+\}/.test(value);

function conditionMatches(values: string[], regex: boolean, wanted: string) {
  return values.some(value => {
    if (!regex) return value === wanted;
    return keystoneRegex(value)?.test(wanted) ?? false;
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
    rules: [],
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
    const { admits, flawed } = readAdmission(rule, options.knownVos ?? []);
    const ruleVos = admits.kind === 'vo' ? admits.vos : [];
    analysis.vos.push(...ruleVos.filter(vo => !analysis.vos.includes(vo)));
    const reading: RuleReading = {
      rule: index,
      mapsUser: false,
      subjectUser: false,
      guarded,
      admits,
      flawed,
      groups: [],
      projects: [],
      groupsFromAssertion: false,
    };

    for (const local of rule.local) {
      if (local.user) {
        reading.mapsUser = true;
        if (!analysis.userRules.includes(index)) analysis.userRules.push(index);
        const reference = /^\{(\d+)\}$/.exec(local.user.name ?? '');
        const source = reference ? directMaps[Number(reference[1])] : undefined;
        if (source && attributeName(source.type) === 'OIDC_SUB') {
          reading.subjectUser = true;
          if (!analysis.subjectRules.includes(index)) {
            analysis.subjectRules.push(index);
          }
        }
        if (!guarded && !analysis.unguardedRules.includes(index)) {
          analysis.unguardedRules.push(index);
        }
      }
      if (
        local.group &&
        (fromAssertion(local.group.id) || fromAssertion(local.group.name))
      ) {
        reading.groupsFromAssertion = true;
      } else if (local.group) {
        const { id, name, domain } = local.group;
        const domainId = domainIdOf(domain);
        const found = id
          ? options.groups.find(group => group.id === id)
          : options.groups.find(
              group => group.name === name && group.domain_id === domainId,
            );
        const reference: GroupReference = {
          rule: index,
          ...(id ? { id } : {}),
          ...(name ? { name } : {}),
          ...(domain ? { domain: domain.name ?? domain.id } : {}),
          ...(ruleVos[0] ? { vo: ruleVos[0] } : {}),
          exists: !!found,
          ...(found ? { groupId: found.id } : {}),
        };
        analysis.groups.push(reference);
        reading.groups.push(reference);
      }
      if (local.groups !== undefined || local.group_ids !== undefined) {
        reading.groupsFromAssertion = true;
      }
      for (const project of local.projects ?? []) {
        const roles = Array.isArray(project.roles)
          ? project.roles.flatMap((role: unknown) =>
              role && typeof (role as { name?: unknown }).name === 'string'
                ? [(role as { name: string }).name]
                : [],
            )
          : [];
        reading.projects.push({ name: project.name, roles });
      }
    }
    analysis.rules.push(reading);
  });
  return analysis;
}

/** Whom a rule admits and where, in a few words (for messages and details). */
export function describeRule(reading: RuleReading): string {
  const { admits } = reading;
  let who = 'no VO';
  if (admits.kind === 'vo') who = `VO ${admits.vos.join(', ')}`;
  if (admits.kind === 'everyone') who = 'everyone';
  const where = [
    ...reading.groups.map(
      g =>
        `${groupLabel(g)}${g.domain ? `@${g.domain}` : ''}${
          g.exists ? '' : ' (missing)'
        }`,
    ),
    ...reading.projects.map(
      p =>
        `project ${p.name}${p.roles.length ? ` (${p.roles.join(', ')})` : ''}`,
    ),
    ...(reading.groupsFromAssertion ? ['groups named by the assertion'] : []),
  ];
  return `${who} → ${where.length ? where.join(', ') : 'nowhere'}`;
}

export interface ProjectRecord {
  id: string;
  name: string;
  /** The VO its VO property names, if any. */
  vo?: string;
  enabled: boolean;
}

/** A role a group holds on a project. */
export interface GroupGrant {
  groupId: string;
  projectId: string;
  role: string;
}

export interface VoAdmissionInput {
  analysis: MappingAnalysis;
  projects: readonly ProjectRecord[];
  grants: readonly GroupGrant[];
  /** The VOs the site serves, ops first (see servedVos). */
  servedVos: readonly string[];
  opsVo: string;
}

// The roles that let a VO member use a project (admin implies member).
const MEMBER_ROLES = ['member', 'admin'];

/**
 * The VOs a site serves: ops always and first, then the VOs of its enabled VO projects and the
 * VOs it declares. A disabled project does not serve its VO.
 */
export function servedVos(
  opsVo: string,
  projects: readonly ProjectRecord[],
  declared: readonly string[] = [],
): string[] {
  const others = new Set<string>([
    ...projects.flatMap(p => (p.vo && p.enabled ? [p.vo] : [])),
    ...declared,
  ]);
  others.delete(opsVo);
  return [opsVo, ...[...others].sort()];
}

/**
 * What is wrong with whom the rules admit and where: a rule putting users into a VO group or
 * project without pinning them to that VO admits every Check-in user; every VO the site serves
 * needs a rule admitting its members into a group holding member on its project.
 */
export function judgeVoAdmission(input: VoAdmissionInput): string[] {
  const { analysis, projects, grants, opsVo } = input;
  const problems: string[] = [];
  const projectById = new Map(projects.map(p => [p.id, p]));
  const grantsOf = (groupId: string) =>
    grants.flatMap(g => {
      const project = projectById.get(g.projectId);
      return g.groupId === groupId && project ? [{ ...g, project }] : [];
    });
  // The VO projects a rule puts its users on, through a group or directly.
  const voPlaces = (rule: RuleReading) => [
    ...rule.groups.flatMap(g =>
      g.groupId
        ? grantsOf(g.groupId)
            .filter(x => x.project.vo)
            .map(x => ({
              where: `${groupLabel(g)}, which holds ${x.role} on project ${
                x.project.name
              } (VO ${x.project.vo})`,
              vo: x.project.vo!,
            }))
        : [],
    ),
    ...rule.projects.flatMap(p =>
      projects
        .filter(x => x.name === p.name && x.vo)
        .map(x => ({
          where: `project ${x.name} (VO ${x.vo})`,
          vo: x.vo!,
        })),
    ),
  ];

  for (const rule of analysis.rules) {
    const places = voPlaces(rule);
    if (places.length === 0) continue;
    const { admits } = rule;
    if (admits.kind === 'everyone') {
      problems.push(
        `rule ${rule.rule} admits every Check-in user into ${places[0].where}: ${admits.why}`,
      );
    } else if (admits.kind === 'no-vo') {
      problems.push(
        `rule ${rule.rule} admits users who are not picked by VO into ${places[0].where}: ${admits.why}`,
      );
    } else {
      // Every VO it admits must be one whose project its place is.
      const strangers = admits.vos.filter(vo => !places.some(p => p.vo === vo));
      if (strangers.length > 0) {
        problems.push(
          `rule ${rule.rule} admits members of VO ${strangers.join(
            ', ',
          )} into ${places[0].where}`,
        );
      }
    }
  }

  for (const rule of analysis.rules) {
    for (const f of rule.flawed) {
      problems.push(
        `rule ${rule.rule}'s entitlement ${JSON.stringify(f.value)} (VO ${
          f.vo
        }) ${f.flaw}, so it admits no one`,
      );
    }
  }

  for (const vo of input.servedVos) {
    const own = projects.filter(p => p.vo === vo);
    // Without a project carrying the VO's property (vo.ops says so), any project will do.
    const fits = (projectId: string) =>
      own.length === 0 || own.some(p => p.id === projectId);
    const rulesForVo = analysis.rules.filter(
      r => r.admits.kind === 'vo' && r.admits.vos.includes(vo),
    );
    const usable = rulesForVo.filter(
      r =>
        r.groups.some(
          g =>
            g.groupId &&
            grantsOf(g.groupId).some(
              x => MEMBER_ROLES.includes(x.role) && fits(x.project.id),
            ),
        ) ||
        r.projects.some(
          p =>
            p.roles.some(role => MEMBER_ROLES.includes(role)) &&
            projects.some(x => x.name === p.name && fits(x.id)),
        ),
    );
    if (usable.length > 0) continue;
    const target =
      own.length > 0
        ? `its project${own.length > 1 ? 's' : ''} (${own
            .map(p => p.name)
            .join(', ')})`
        : 'a project';
    const consequence =
      vo === opsVo
        ? ': the monitoring cannot log in with its ops entitlement'
        : '';
    if (rulesForVo.length > 0) {
      const groupsNamed = rulesForVo.flatMap(r =>
        r.groups.map(g => `${groupLabel(g)}${g.exists ? '' : ' (missing)'}`),
      );
      problems.push(
        `rule(s) ${rulesForVo
          .map(r => r.rule)
          .join(', ')} admit VO ${vo}, but into ${
          groupsNamed.length ? groupsNamed.join(', ') : 'no group'
        }, holding no member role on ${target}${consequence}`,
      );
    } else {
      problems.push(
        `no rule admits members of VO ${vo} (an entitlement condition naming it) into a group holding member on ${target}${consequence}`,
      );
    }
  }
  return problems;
}
