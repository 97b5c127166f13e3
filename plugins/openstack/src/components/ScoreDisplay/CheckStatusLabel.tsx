import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusWarning,
} from '@backstage/core-components';
import { CheckStatus } from '@fedstack/plugin-openstack-common';
import { makeStyles } from '@material-ui/core/styles';
import { ReactNode } from 'react';

const statusLabels: Record<CheckStatus, string> = {
  pass: 'Pass',
  warn: 'Warning',
  fail: 'Fail',
  error: 'Error',
  skip: 'Skipped',
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

export const ReadinessLabel = (props: { ready: boolean }) =>
  props.ready ? (
    <StatusLabel icon={<StatusOK />} label="READY" />
  ) : (
    <StatusLabel icon={<StatusError />} label="NOT READY" />
  );

export const NotScannedLabel = () => (
  <StatusLabel icon={<StatusPending />} label="Not scanned" />
);
