import { TenantQuotas, UsageTotals } from '@fedstack/plugin-openstack-common';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { WideTable } from '../WideTable';

export const QUOTA_SETS = ['compute', 'blockStorage', 'network'] as const;
export type QuotaSet = (typeof QUOTA_SETS)[number];

export const quotaSetTitles: Record<QuotaSet, string> = {
  compute: 'Compute (Nova)',
  blockStorage: 'Block storage (Cinder)',
  network: 'Network (Neutron)',
};

export function quotaValue(value: number | undefined): string {
  if (value === undefined) return '—';
  return value === -1 ? 'unlimited' : String(value);
}

/** The unit a quota counts in, where it is not a count: Nova's RAM in MiB, Cinder's sizes in GiB. */
export function quotaUnitSuffix(set: QuotaSet, key: string): string {
  if (set === 'compute' && key === 'ram') return ' (MiB)';
  if (set === 'blockStorage' && /gigabytes/.test(key)) return ' (GiB)';
  return '';
}

/** Every quota key of the given sets, grouped by service. */
export function quotaKeys(
  ...sets: Array<TenantQuotas | undefined>
): Array<{ set: QuotaSet; key: string }> {
  return QUOTA_SETS.flatMap(set => {
    const keys = new Set(sets.flatMap(q => Object.keys(q?.[set] ?? {})));
    return [...keys].sort().map(key => ({ set, key }));
  });
}

/**
 * What a project holds, as the quotas that limit it count it (Nova: instances, cores, RAM in
 * MiB; Cinder: volumes, snapshots, gigabytes of both; Neutron: floating IPs, routers), from a
 * metering sample's totals; only the keys a limit names.
 */
export function quotasInUse(
  totals: UsageTotals,
  limits: TenantQuotas,
): TenantQuotas {
  const inUse: Record<QuotaSet, Record<string, number>> = {
    compute: {
      instances: totals.servers,
      cores: totals.vcpus,
      ram: totals.ramMb,
    },
    blockStorage: {
      volumes: totals.volumes,
      snapshots: totals.snapshots,
      gigabytes: totals.volumeGb + totals.snapshotGb,
    },
    network: { floatingip: totals.floatingIps, router: totals.routers },
  };
  const result: TenantQuotas = {};
  for (const set of QUOTA_SETS) {
    const named = Object.entries(inUse[set]).filter(
      ([key]) => limits[set] && Object.hasOwn(limits[set]!, key),
    );
    if (named.length > 0) result[set] = Object.fromEntries(named);
  }
  return result;
}

/** Quotas side by side: one column per quota set given (e.g. default and maximum). */
export const QuotaTable = (props: {
  columns: Array<{ title: string; quotas?: TenantQuotas }>;
  caption: string;
}) => {
  const keys = quotaKeys(...props.columns.map(c => c.quotas));
  if (keys.length === 0) {
    return <Typography variant="body2">No quotas set.</Typography>;
  }
  return (
    <WideTable size="small" aria-label={props.caption}>
      <TableHead>
        <TableRow>
          <TableCell>Service</TableCell>
          <TableCell>Quota</TableCell>
          {props.columns.map(column => (
            <TableCell key={column.title} align="right">
              {column.title}
            </TableCell>
          ))}
        </TableRow>
      </TableHead>
      <TableBody>
        {keys.map(({ set, key }) => (
          <TableRow key={`${set}.${key}`}>
            <TableCell>{quotaSetTitles[set]}</TableCell>
            <TableCell>
              {key}
              {quotaUnitSuffix(set, key)}
            </TableCell>
            {props.columns.map(column => (
              <TableCell key={column.title} align="right">
                {quotaValue(column.quotas?.[set]?.[key])}
              </TableCell>
            ))}
          </TableRow>
        ))}
      </TableBody>
    </WideTable>
  );
};
