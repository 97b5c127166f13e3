import { Gauge, GaugePropsGetColor } from '@backstage/core-components';
import {
  CheckResultSummary,
  ProfileScore,
} from '@fedstack/plugin-openstack-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import {
  ErrorText,
  incompleteReason,
  notEvaluatedSummary,
  ReadinessLabel,
  scoreBand,
} from '../ScoreDisplay';

const bandColor: GaugePropsGetColor = ({ palette, value }) =>
  ({
    good: palette.status.ok,
    fair: palette.status.warning,
    poor: palette.status.error,
  }[scoreBand(value)]);

/**
 * Score and readiness per profile; a profile that is not ready names its blocking checks, and
 * the checks not evaluated (left out of the score) are listed with the reason.
 */
export const ProfileScores = (props: {
  profiles: ProfileScore[];
  results: Pick<CheckResultSummary, 'checkId' | 'title'>[];
}) => {
  const titleOf = new Map(props.results.map(r => [r.checkId, r.title]));
  const named = (id: string) =>
    titleOf.has(id) ? `${id} (${titleOf.get(id)})` : id;
  return (
    <Box display="flex" flexWrap="wrap" style={{ gap: 24 }}>
      {props.profiles.map(profile => (
        <Box
          key={profile.profileId}
          component="section"
          aria-label={`Profile ${profile.profileId}`}
          display="flex"
          alignItems="center"
          style={{ gap: 16 }}
          minWidth={280}
          flex="1 1 280px"
        >
          <Box width={96} flexShrink={0}>
            {profile.score === null ? (
              <Typography variant="h5" component="p">
                —
              </Typography>
            ) : (
              <Gauge
                value={Math.round(profile.score)}
                fractional={false}
                max={100}
                unit="%"
                size="small"
                getColor={bandColor}
              />
            )}
          </Box>
          <Box>
            <Typography variant="h6" component="h3">
              {profile.profileId}
            </Typography>
            <Typography variant="body2">
              Score:{' '}
              {profile.score === null
                ? 'no check applied'
                : `${Math.round(profile.score)}%`}
            </Typography>
            {profile.notEvaluated.length > 0 && (
              <Typography variant="body2" color="textSecondary">
                Left out of the score: {notEvaluatedSummary(profile)}
              </Typography>
            )}
            <ReadinessLabel readiness={profile.readiness} />
            {profile.blocking.length > 0 && (
              <ErrorText variant="body2">
                Blocked by {profile.blocking.map(named).join(', ')}
              </ErrorText>
            )}
            {profile.readiness === 'not-evaluated' && (
              <Typography variant="body2">
                {incompleteReason(profile)}
              </Typography>
            )}
            {profile.notEvaluated.length > 0 && (
              <Box
                component="ul"
                aria-label={`Not evaluated for ${profile.profileId}`}
                m={0}
                pl={2}
              >
                {profile.notEvaluated.map(check => (
                  <Typography
                    key={check.checkId}
                    component="li"
                    variant="body2"
                  >
                    Not evaluated: {named(check.checkId)}, {check.severity}
                    {' — '}
                    {check.reason}
                  </Typography>
                ))}
              </Box>
            )}
          </Box>
        </Box>
      ))}
    </Box>
  );
};
