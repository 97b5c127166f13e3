import Chip from '@material-ui/core/Chip';
import { makeStyles } from '@material-ui/core/styles';

const useStyles = makeStyles(theme => {
  // Backstage themes add status colours to MUI's palette.
  const { status } = theme.palette as {
    status?: { ok?: string; warning?: string; error?: string };
  };
  return {
    // Dark text: white on the theme's green fails contrast (axe).
    good: { backgroundColor: status?.ok, color: '#000' },
    fair: { backgroundColor: status?.warning, color: '#000' },
    poor: { backgroundColor: status?.error, color: '#fff' },
  };
});

/** Green from 90, amber from 60, red below: the chip's and the gauge's colours. */
export function scoreBand(score: number): 'good' | 'fair' | 'poor' {
  if (score >= 90) {
    return 'good';
  }
  return score >= 60 ? 'fair' : 'poor';
}

/** A site's score for a profile, 0–100; null when no check of the profile applied. */
export const ScoreChip = (props: { score: number | null; label?: string }) => {
  const classes = useStyles();
  const { score } = props;
  if (score === null) {
    return <Chip size="small" label="no score" variant="outlined" />;
  }
  const band = scoreBand(score);
  const rounded = Math.round(score);
  return (
    <Chip
      size="small"
      className={classes[band]}
      label={props.label ? `${props.label} ${rounded}%` : `${rounded}%`}
    />
  );
};
