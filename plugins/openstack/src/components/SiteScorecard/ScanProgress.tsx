import { Progress, WarningPanel } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import LinearProgress from '@material-ui/core/LinearProgress';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import {
  CheckStatusLabel,
  describeChanges,
  formatDuration,
} from '../ScoreDisplay';
import { ScanNowState } from './useScanNow';

export const ScanNowButton = (props: {
  state: ScanNowState;
  disabled?: boolean;
  /** Why the user may not scan, if they may not: the button is disabled and says so. */
  refused?: string;
  onClick: () => void;
}) => {
  const busy =
    props.state.phase === 'starting' || props.state.phase === 'running';
  return (
    <Box display="flex" flexDirection="column" alignItems="flex-end">
      {/* A span: a disabled button gets no hover events for the tooltip. */}
      <Tooltip title={props.refused ?? ''}>
        <span>
          <Button
            variant="contained"
            color="primary"
            disabled={busy || props.disabled || !!props.refused}
            onClick={props.onClick}
          >
            {busy ? 'Scanning…' : 'Scan now'}
          </Button>
        </span>
      </Tooltip>
      {props.refused && (
        <Typography variant="body2" color="textSecondary">
          {props.refused}
        </Typography>
      )}
    </Box>
  );
};

/**
 * Live progress of a scan: n of N checks done and the checks as they finish, newest first.
 * `expectedChecks` is the number of checks of the previous scan (0 before the first one).
 */
export const ScanProgress = (props: {
  state: ScanNowState;
  expectedChecks: number;
}) => {
  const { state } = props;
  if (state.phase === 'starting') {
    return <Progress />;
  }
  if (state.phase === 'failed') {
    return (
      <WarningPanel
        severity="error"
        defaultExpanded
        title={
          state.stage === 'trigger'
            ? 'The scan could not start'
            : 'The scan could not be followed'
        }
        message={state.error.message}
      />
    );
  }
  if (state.phase === 'finished' && state.scan.status === 'failed') {
    return (
      <WarningPanel
        severity="error"
        defaultExpanded
        title="The scan failed"
        message={state.scan.error ?? 'The backend gave no reason.'}
      />
    );
  }
  if (state.phase === 'finished') {
    return (
      <Box mb={2} role="status">
        <Typography variant="body2">
          Scan finished in {formatDuration(state.scan.durationMs ?? 0)}:{' '}
          {describeChanges(state.scan.changes) ||
            'no check changed since the previous scan'}
          .
        </Typography>
      </Box>
    );
  }
  if (state.phase !== 'running') {
    return null;
  }
  const finishedIds = new Set(state.finished.map(check => check.checkId));
  const running = state.started.filter(checkId => !finishedIds.has(checkId));
  const done = state.finished.length;
  const total = Math.max(props.expectedChecks, state.started.length);
  const label =
    total > 0 ? `${done}/${total} checks done` : `${done} checks done`;
  return (
    <Box mb={2} role="status" aria-live="polite">
      <Typography variant="body2">
        {state.joined ? 'Joined the scan already running' : 'Scanning'}: {label}
      </Typography>
      <LinearProgress
        variant={total > 0 ? 'determinate' : 'indeterminate'}
        value={total > 0 ? Math.min(100, (done / total) * 100) : undefined}
        aria-label={label}
      />
      {running.length > 0 && (
        <Typography variant="body2" color="textSecondary">
          Running: {running.join(', ')}
        </Typography>
      )}
      <Box component="ul" pl={0} style={{ listStyle: 'none' }}>
        {[...state.finished].reverse().map(check => (
          <li key={check.checkId}>
            <CheckStatusLabel status={check.status} />{' '}
            <Typography component="span" variant="body2">
              {check.checkId}: {check.message}
            </Typography>
          </li>
        ))}
      </Box>
    </Box>
  );
};
