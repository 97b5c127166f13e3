import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusWarning,
} from '@backstage/core-components';
import { CheckStatus } from '@fedstack/plugin-openstack-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
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

/**
 * A status icon with its word beside it. Backstage's Status components hide themselves from
 * screen readers, so the word is outside them.
 */
export const StatusLabel = (props: { icon: ReactNode; label: string }) => (
  <Box
    component="span"
    display="inline-flex"
    alignItems="baseline"
    whiteSpace="nowrap"
  >
    {props.icon}
    <Typography component="span" variant="body2">
      {props.label}
    </Typography>
  </Box>
);

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
