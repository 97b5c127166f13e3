/**
 * EGI Check-in's VO entitlements (`eduperson_entitlement`), in every form EGI's own VO mapping
 * list uses: `urn:mace:egi.eu:group:<vo>[:<subgroup>…][:role=<role>]#<authority>`, e.g.
 * `…:ops:role=vm_operator#aai.egi.eu`, `…:lagoproject.net:role=member#aai.egi.eu`,
 * `…:vo.usegalaxy.eu:vm_operator:role=member#aai.egi.eu`. The VO is always the first segment
 * after `group:`.
 */
export interface EgiEntitlement {
  vo: string;
  /** Sub-groups between the VO and the role, outermost first. */
  subgroups: string[];
  role?: string;
  authority?: string;
  /** Why Check-in never sends this value as written, when it never does. */
  flaw?: string;
}

const PREFIX = 'urn:mace:egi.eu:group:';
const SEGMENT = /^[^:#\s]+$/;

/** Reads an EGI VO entitlement; undefined for any other value (another namespace, no VO). */
export function parseEntitlement(value: string): EgiEntitlement | undefined {
  // Whitespace is never part of an entitlement: read the value without it, and say so.
  const compact = value.replace(/\s+/g, '');
  if (!compact.startsWith(PREFIX)) return undefined;
  const [path, authority, ...rest] = compact.slice(PREFIX.length).split('#');
  if (rest.length > 0) return undefined;
  const segments = path.split(':');
  let role: string | undefined;
  const last = segments[segments.length - 1];
  if (last?.startsWith('role=')) {
    role = last.slice('role='.length);
    segments.pop();
  }
  if (segments.length === 0 || !segments.every(s => SEGMENT.test(s))) {
    return undefined;
  }
  if (role !== undefined && !SEGMENT.test(role)) return undefined;
  const [vo, ...subgroups] = segments;
  return {
    vo,
    subgroups,
    ...(role !== undefined ? { role } : {}),
    ...(authority ? { authority } : {}),
    ...(/\s/.test(value)
      ? {
          flaw: 'contains whitespace, which Check-in never sends in an entitlement',
        }
      : {}),
  };
}

/** An entitlement written out, as Check-in sends it. */
export function formatEntitlement(e: Omit<EgiEntitlement, 'flaw'>): string {
  return `${PREFIX}${[e.vo, ...e.subgroups].join(':')}${
    e.role !== undefined ? `:role=${e.role}` : ''
  }${e.authority ? `#${e.authority}` : ''}`;
}

/**
 * The entitlement values a regex is tried on, to see which VOs it lets through: the usual
 * forms, and the form the regex itself spells out (`like`), each for the VO asked about.
 */
export function entitlementProbes(
  vo: string,
  like?: Omit<EgiEntitlement, 'flaw'>,
): string[] {
  return [
    ...(like ? [formatEntitlement({ ...like, vo })] : []),
    `${PREFIX}${vo}:role=vm_operator#aai.egi.eu`,
    `${PREFIX}${vo}:role=member#aai.egi.eu`,
    `${PREFIX}${vo}:role=admin#aai.egi.eu`,
    `${PREFIX}${vo}:vm_operator:role=member#aai.egi.eu`,
  ];
}
