import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusWarning,
} from '@backstage/core-components';
import { CheckStatus, Readiness } from '@fedstack/plugin-openstack-common';
import { makeStyles } from '@material-ui/core/styles';
import { ReactNode } from 'react';

const statusLabels: Record<CheckStatus, string> = {
  pass: 'Pass',
  warn: 'Warning',
  fail: 'Fail',
  error: 'Error',
  // Its source not configured or nothing declared to check: left out of the score, not passed.
  skip: 'Not evaluated',
};

const statusIcons: Record<CheckStatus, ReactNode> = {
  pass: <StatusOK />,
  warn: <StatusWarning />,
  fail: <StatusError />,
  // The check itself could not run: as alarming as a failure, told apart by its label.
  error: <StatusError />,
  skip: <StatusAborted />,
};

// Static classes rather than Box and Typography: each of those computes its own styles, which
// the fleet page's hundred labels a page pay for.
const useStyles = makeStyles(theme => ({
  label: {
    display: 'inline-flex',
    alignItems: 'baseline',
    whiteSpace: 'nowrap',
  },
  text: theme.typography.body2,
}));

/**
 * A status icon with its word beside it. Backstage's Status components hide themselves from
 * screen readers, so the word is outside them.
 */
export const StatusLabel = (props: { icon: ReactNode; label: string }) => {
  const classes = useStyles();
  return (
    <span className={classes.label}>
      {props.icon}
      <span className={classes.text}>{props.label}</span>
    </span>
  );
};

export const CheckStatusLabel = (props: { status: CheckStatus }) => (
  <StatusLabel
    icon={statusIcons[props.status]}
    label={statusLabels[props.status]}
  />
);

const readinessLabels: Record<Readiness, { icon: ReactNode; label: string }> = {
  ready: { icon: <StatusOK />, label: 'READY' },
  'not-ready': { icon: <StatusError />, label: 'NOT READY' },
  // Nothing failed, but critical or major checks were not evaluated: not a READY.
  'not-evaluated': { icon: <StatusWarning />, label: 'INCOMPLETE' },
};

export const ReadinessLabel = (props: { readiness: Readiness }) => (
  <StatusLabel {...readinessLabels[props.readiness]} />
);

export const NotScannedLabel = () => (
  <StatusLabel icon={<StatusPending />} label="Not scanned" />
);
