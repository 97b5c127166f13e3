import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusRunning,
  StatusWarning,
} from '@backstage/core-components';
import { TenantStatus } from '@fedstack/plugin-openstack-common';
import { ReactNode } from 'react';
import { StatusLabel } from '../ScoreDisplay';

export const tenantStatusTitles: Record<TenantStatus, string> = {
  requested: 'Requested',
  'requires-approval': 'Requires approval',
  'in-progress': 'In progress',
  successful: 'Successful',
  failed: 'Failed',
  'deletion-requested': 'Deletion requested',
  deleted: 'Deleted',
  rejected: 'Rejected',
};

const icons: Record<TenantStatus, ReactNode> = {
  requested: <StatusPending />,
  'requires-approval': <StatusWarning />,
  'in-progress': <StatusRunning />,
  successful: <StatusOK />,
  failed: <StatusError />,
  'deletion-requested': <StatusWarning />,
  deleted: <StatusAborted />,
  rejected: <StatusAborted />,
};

/** A tenant's status: icon and word (the icon alone is hidden from screen readers). */
export const TenantStatusLabel = (props: { status: TenantStatus }) => (
  <StatusLabel
    icon={icons[props.status]}
    label={tenantStatusTitles[props.status]}
  />
);
