import {
  MeteringSampleSummary,
  UsageHours,
  UsageTotals,
} from '@fedstack/plugin-openstack-common';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { useTheme } from '@material-ui/core/styles';
import { WideTable } from '../WideTable';

const WIDTH = 260;
const HEIGHT = 64;

interface Metric {
  title: string;
  value: (totals: UsageTotals) => number;
}

const metrics: Metric[] = [
  { title: 'Servers', value: t => t.servers },
  { title: 'vCPUs', value: t => t.vcpus },
  { title: 'RAM (GB)', value: t => round(t.ramMb / 1024) },
  { title: 'Volume storage (GB)', value: t => t.volumeGb + t.snapshotGb },
  { title: 'Floating IPs', value: t => t.floatingIps },
  { title: 'Images (GB)', value: t => round(t.imageBytes / 1024 ** 3) },
];

const hours: Array<{ title: string; key: keyof UsageHours }> = [
  { title: 'Server hours', key: 'serverHours' },
  { title: 'vCPU hours', key: 'vcpuHours' },
  { title: 'RAM GB-hours', key: 'ramGbHours' },
  { title: 'Disk GB-hours', key: 'diskGbHours' },
  { title: 'Volume GB-hours', key: 'volumeGbHours' },
  { title: 'Snapshot GB-hours', key: 'snapshotGbHours' },
  { title: 'Floating IP hours', key: 'floatingIpHours' },
  { title: 'Router hours', key: 'routerHours' },
  { title: 'Load balancer hours', key: 'loadBalancerHours' },
  { title: 'Image GB-hours', key: 'imageGbHours' },
];

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

function shortTime(iso: string): string {
  return new Date(iso).toLocaleString(undefined, {
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
}

/** "1 sample", "3 samples". */
function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** One metric over time: x is the sample's time within the period, y its value from 0 up. */
const MetricChart = (props: {
  metric: Metric;
  samples: MeteringSampleSummary[];
  from: string;
  to: string;
}) => {
  const theme = useTheme();
  const { metric, samples } = props;
  const start = Date.parse(props.from);
  const span = Math.max(Date.parse(props.to) - start, 1);
  const values = samples.map(s => metric.value(s.totals));
  const max = Math.max(...values, 1);
  const x = (iso: string) => ((Date.parse(iso) - start) / span) * WIDTH;
  const y = (value: number) => HEIGHT - 2 - (value / max) * (HEIGHT - 4);
  // A step line: a sample holds until the next one.
  const points = samples.flatMap((sample, i) => {
    const here = `${x(sample.takenAt)},${y(values[i])}`;
    const next = samples[i + 1];
    return next ? [here, `${x(next.takenAt)},${y(values[i])}`] : [here];
  });
  const latest = values[values.length - 1];
  const label = `${metric.title}: ${plural(
    values.length,
    'sample',
  )} between ${Math.min(...values)} and ${Math.max(
    ...values,
  )}, latest ${latest}`;
  return (
    <Box>
      <Typography variant="body2">
        {metric.title}: <strong>{latest}</strong>
      </Typography>
      <svg
        width="100%"
        height={HEIGHT}
        viewBox={`-3 0 ${WIDTH + 6} ${HEIGHT}`}
        preserveAspectRatio="none"
        role="img"
        aria-label={label}
      >
        <line
          x1={0}
          x2={WIDTH}
          y1={HEIGHT - 2}
          y2={HEIGHT - 2}
          stroke={theme.palette.divider}
        />
        <polyline
          points={points.join(' ')}
          fill="none"
          stroke={theme.palette.primary.main}
          strokeWidth={2}
          vectorEffect="non-scaling-stroke"
        />
        {/* Each sample a point: its value and time on hover. */}
        {samples.map((sample, i) => (
          <circle
            key={sample.takenAt}
            cx={x(sample.takenAt)}
            cy={y(values[i])}
            r={3}
            fill={theme.palette.primary.main}
          >
            <title>{`${values[i]} at ${shortTime(sample.takenAt)}`}</title>
          </circle>
        ))}
      </svg>
      {/* The axes in words: the period under the chart, the values' range beside it. */}
      <Box display="flex" justifyContent="space-between">
        <Typography variant="caption" color="textSecondary">
          {shortTime(props.from)}
        </Typography>
        <Typography variant="caption" color="textSecondary">
          0 – {max}
        </Typography>
        <Typography variant="caption" color="textSecondary">
          {shortTime(props.to)}
        </Typography>
      </Box>
    </Box>
  );
};

/** Metered usage over the period: one small chart per resource, and the hours used. */
export const UsageChart = (props: {
  samples: MeteringSampleSummary[];
  usage: UsageHours;
}) => {
  const { samples, usage } = props;
  const problems = [
    ...new Set(
      samples.flatMap(s => [
        ...s.errors.map(e => `${e.resource}: ${e.message}`),
        ...s.unavailable.map(u => `${u.resource}: ${u.reason}`),
      ]),
    ),
  ];
  return (
    <Grid container spacing={2}>
      <Grid item xs={12}>
        <Typography variant="body2" color="textSecondary">
          {plural(samples.length, 'sample')} from {shortTime(usage.from)} to{' '}
          {shortTime(usage.to)}
        </Typography>
      </Grid>
      {samples.length > 0 &&
        metrics.map(metric => (
          <Grid item xs={12} sm={6} md={4} key={metric.title}>
            <MetricChart
              metric={metric}
              samples={samples}
              from={usage.from}
              to={usage.to}
            />
          </Grid>
        ))}
      <Grid item xs={12}>
        <WideTable size="small" aria-label="Hours used">
          <TableBody>
            {hours.map(({ title, key }) => (
              <TableRow key={key}>
                <TableCell component="th" scope="row">
                  {title}
                </TableCell>
                <TableCell align="right">{round(Number(usage[key]))}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </WideTable>
      </Grid>
      {problems.length > 0 && (
        <Grid item xs={12}>
          <Typography variant="body2" color="textSecondary">
            Not in the totals: {problems.join('; ')}
          </Typography>
        </Grid>
      )}
    </Grid>
  );
};
