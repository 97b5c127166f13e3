import { ScanSummary } from '@fedstack/plugin-openstack-common';
import Box from '@material-ui/core/Box';
import { useTheme } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import { describeChanges, relativeTime, scanTime } from '../ScoreDisplay';
import { WideTable } from '../WideTable';

const RECENT_SCANS = 10;

/** "6 Dec 2026, 14:05" in the reader's time zone. */
function absoluteTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? iso
    : date.toLocaleString('en-GB', {
        day: 'numeric',
        month: 'short',
        year: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
      });
}

const WIDTH = 200;
const HEIGHT = 36;

/** One point of a sparkline: its score, and when (shown on hover). */
interface ScorePoint {
  score: number;
  at: string;
}

/** A sparkline of one profile's score over the site's scans (0–100, oldest left). */
const Sparkline = (props: { points: ScorePoint[]; label: string }) => {
  const theme = useTheme();
  const scores = props.points.map(point => point.score);
  const step = scores.length > 1 ? WIDTH / (scores.length - 1) : 0;
  const y = (score: number) => HEIGHT - 2 - (score / 100) * (HEIGHT - 4);
  const points = scores.map((score, i) => `${i * step},${y(score)}`);
  return (
    <svg
      width={WIDTH}
      height={HEIGHT}
      viewBox={`-3 0 ${WIDTH + 6} ${HEIGHT}`}
      role="img"
      aria-label={props.label}
    >
      <line
        x1={0}
        x2={WIDTH}
        y1={y(100)}
        y2={y(100)}
        stroke={theme.palette.divider}
        strokeDasharray="2 2"
      />
      {scores.length > 1 && (
        <polyline
          points={points.join(' ')}
          fill="none"
          stroke={theme.palette.primary.main}
          strokeWidth={2}
        />
      )}
      {/* Every scan a point, its date and score on hover. */}
      {props.points.map((point, i) => (
        <circle
          key={`${point.at}-${i}`}
          cx={i * step}
          cy={y(point.score)}
          r={i === scores.length - 1 ? 3 : 2}
          fill={theme.palette.primary.main}
        >
          <title>{`${Math.round(point.score)}% on ${absoluteTime(
            point.at,
          )}`}</title>
        </circle>
      ))}
    </svg>
  );
};

/**
 * The score history of each profile, from the site's scan summaries: a sparkline per profile
 * (each scan's date and score on hover) and the recent scans, dated, with what each changed.
 */
export const ScoreHistory = (props: {
  history: ScanSummary[];
  profileIds: string[];
}) => {
  const finished = props.history.filter(scan => scan.status === 'completed');
  if (finished.length === 0) {
    return null;
  }
  const recent = [...finished].reverse().slice(0, RECENT_SCANS);
  return (
    <Box mt={2}>
      <Typography variant="subtitle2" component="h3">
        Score history ({finished.length}{' '}
        {finished.length === 1 ? 'scan' : 'scans'} since{' '}
        {relativeTime(scanTime(finished[0]))})
      </Typography>
      {props.profileIds.map(profileId => {
        const points = finished.flatMap(scan => {
          const score = scan.profiles.find(
            p => p.profileId === profileId,
          )?.score;
          return typeof score === 'number'
            ? [{ score, at: scanTime(scan) }]
            : [];
        });
        if (points.length === 0) {
          return null;
        }
        const first = Math.round(points[0].score);
        const last = Math.round(points[points.length - 1].score);
        return (
          <Box
            key={profileId}
            display="flex"
            alignItems="center"
            style={{ gap: 12 }}
          >
            <Typography variant="body2" style={{ minWidth: 120 }}>
              {profileId}
            </Typography>
            <Sparkline
              points={points}
              label={`${profileId} score over ${points.length} scans: from ${first}% to ${last}%`}
            />
            <Typography variant="body2" color="textSecondary">
              {first}% → {last}%
            </Typography>
          </Box>
        );
      })}
      <WideTable size="small" aria-label="Recent scans">
        <TableHead>
          <TableRow>
            <TableCell>Scan</TableCell>
            {props.profileIds.map(profileId => (
              <TableCell key={profileId} align="right">
                {profileId}
              </TableCell>
            ))}
            <TableCell>What changed</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {recent.map(scan => (
            <TableRow key={scan.id}>
              <TableCell>
                <span title={scanTime(scan)}>
                  {absoluteTime(scanTime(scan))}
                </span>{' '}
                <Typography
                  component="span"
                  variant="body2"
                  color="textSecondary"
                >
                  ({scan.trigger === 'manual' ? 'on demand' : 'scheduled'})
                </Typography>
              </TableCell>
              {props.profileIds.map(profileId => {
                const score = scan.profiles.find(
                  p => p.profileId === profileId,
                )?.score;
                return (
                  <TableCell key={profileId} align="right">
                    {typeof score === 'number' ? `${Math.round(score)}%` : '—'}
                  </TableCell>
                );
              })}
              <TableCell>
                {describeChanges(scan.changes, 5) || 'nothing changed'}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </WideTable>
    </Box>
  );
};
