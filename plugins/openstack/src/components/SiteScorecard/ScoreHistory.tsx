import { ScanSummary } from '@fedstack/plugin-openstack-common';
import Box from '@material-ui/core/Box';
import { useTheme } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';
import { relativeTime, scanTime } from '../ScoreDisplay';

const WIDTH = 200;
const HEIGHT = 36;

/** A sparkline of one profile's score over the site's scans (0–100, oldest left). */
const Sparkline = (props: { scores: number[]; label: string }) => {
  const theme = useTheme();
  const { scores } = props;
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
      {scores.length > 0 && (
        <circle
          cx={(scores.length - 1) * step}
          cy={y(scores[scores.length - 1])}
          r={3}
          fill={theme.palette.primary.main}
        />
      )}
    </svg>
  );
};

/** The score history of each profile, from the site's scan summaries. */
export const ScoreHistory = (props: {
  history: ScanSummary[];
  profileIds: string[];
}) => {
  const finished = props.history.filter(scan => scan.status === 'completed');
  if (finished.length < 2) {
    return null;
  }
  return (
    <Box mt={2}>
      <Typography variant="subtitle2" component="h3">
        Score history ({finished.length} scans since{' '}
        {relativeTime(scanTime(finished[0]))})
      </Typography>
      {props.profileIds.map(profileId => {
        const scores = finished
          .map(scan => scan.profiles.find(p => p.profileId === profileId))
          .map(profile => profile?.score)
          .filter((score): score is number => typeof score === 'number');
        if (scores.length === 0) {
          return null;
        }
        const first = Math.round(scores[0]);
        const last = Math.round(scores[scores.length - 1]);
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
              scores={scores}
              label={`${profileId} score over ${scores.length} scans: from ${first}% to ${last}%`}
            />
            <Typography variant="body2" color="textSecondary">
              {first}% → {last}%
            </Typography>
          </Box>
        );
      })}
    </Box>
  );
};
