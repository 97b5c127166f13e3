import { useState } from 'react';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import {
  CheckResultSummary,
  WaiverPolicy,
  WaiverRequest,
} from '@fedstack/plugin-openstack-common';
import { ErrorText } from '../ScoreDisplay';

const DAY_MS = 24 * 3600_000;

/** A date `days` from now as the date field writes it (YYYY-MM-DD, UTC). */
function dateIn(days: number): string {
  return new Date(Date.now() + days * DAY_MS).toISOString().slice(0, 10);
}

/**
 * Asks to waive one of the site's checks that did not pass: which, why, until when (at most
 * the installation's maximum). The backend checks the same; its refusal is shown as it came.
 */
export const WaiverDialog = (props: {
  open: boolean;
  /** The checks that may be waived: the latest scan's ones that did not pass. */
  checks: CheckResultSummary[];
  policy: WaiverPolicy;
  onClose: () => void;
  onSubmit: (request: WaiverRequest) => Promise<void>;
}) => {
  const { checks, policy } = props;
  const [checkId, setCheckId] = useState('');
  const [reason, setReason] = useState('');
  const [until, setUntil] = useState(dateIn(Math.min(30, policy.maxDays)));
  const [error, setError] = useState<string>();
  const [sending, setSending] = useState(false);
  const latest = dateIn(policy.maxDays);
  const reasonShort = reason.trim().length < 10;

  const submit = async () => {
    setSending(true);
    setError(undefined);
    try {
      // The end of the chosen day, so "until 17 December" holds all of that day.
      await props.onSubmit({
        checkId,
        reason: reason.trim(),
        expiresAt: `${until}T23:59:59Z`,
      });
      setCheckId('');
      setReason('');
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setSending(false);
    }
  };

  return (
    <Dialog
      open={props.open}
      onClose={props.onClose}
      aria-labelledby="openstack-waiver-title"
      fullWidth
      maxWidth="sm"
    >
      <DialogTitle id="openstack-waiver-title">Ask for a waiver</DialogTitle>
      <DialogContent>
        <DialogContentText>
          A waived check still runs and shows its result; once approved, its
          failure{' '}
          {policy.countsAs === 'pass'
            ? 'counts as passed'
            : 'is left out of the score'}{' '}
          and does not hold readiness back, until the date you give (at most{' '}
          {policy.maxDays} days ahead). Someone other than you approves it.
        </DialogContentText>
        <TextField
          select
          fullWidth
          margin="normal"
          variant="outlined"
          label="Check"
          id="openstack-waiver-check"
          value={checkId}
          onChange={event => setCheckId(event.target.value)}
          SelectProps={{ native: true }}
          InputLabelProps={{ shrink: true }}
        >
          <option value="" disabled>
            Choose a check that did not pass
          </option>
          {checks.map(check => (
            <option key={check.checkId} value={check.checkId}>
              {check.checkId}: {check.title} ({check.status})
            </option>
          ))}
        </TextField>
        <TextField
          fullWidth
          multiline
          minRows={3}
          margin="normal"
          variant="outlined"
          label="Reason"
          id="openstack-waiver-reason"
          value={reason}
          onChange={event => setReason(event.target.value)}
          helperText="Why the site cannot meet it for now, and what is planned (10 characters at least)"
        />
        <TextField
          type="date"
          fullWidth
          margin="normal"
          variant="outlined"
          label="Until"
          id="openstack-waiver-until"
          value={until}
          onChange={event => setUntil(event.target.value)}
          InputLabelProps={{ shrink: true }}
          inputProps={{ min: dateIn(1), max: latest }}
          helperText={`At most ${policy.maxDays} days ahead (${latest})`}
        />
        {error && <ErrorText role="alert">{error}</ErrorText>}
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose}>Cancel</Button>
        <Button
          color="primary"
          variant="contained"
          disabled={!checkId || reasonShort || !until || sending}
          onClick={submit}
        >
          Ask for approval
        </Button>
      </DialogActions>
    </Dialog>
  );
};
