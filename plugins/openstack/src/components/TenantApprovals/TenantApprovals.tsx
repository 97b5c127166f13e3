import {
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { Tenant } from '@fedstack/plugin-openstack-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { apiErrorMessage, openstackApiRef } from '../../api';
import { TenantStatusLabel } from '../TenantsPage/TenantStatusLabel';

const ApprovalRow = (props: {
  tenant: Tenant;
  linkTo: (tenant: Tenant) => string;
  onDecided: () => void;
}) => {
  const { tenant } = props;
  const openstackApi = useApi(openstackApiRef);
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const what =
    tenant.status === 'deletion-requested' ? 'deletion of' : 'request of';
  const label = `${tenant.projectName} on ${tenant.site}`;

  const decide = async (decision: 'approve' | 'reject') => {
    setBusy(true);
    setError(undefined);
    try {
      await openstackApi.decideTenant(tenant.id, {
        decision,
        ...(comment.trim() ? { comment: comment.trim() } : {}),
      });
      props.onDecided();
    } catch (e) {
      setError(apiErrorMessage(e));
      setBusy(false);
    }
  };

  return (
    <TableRow>
      <TableCell>
        <Link to={props.linkTo(tenant)}>{tenant.projectName}</Link>
        <Typography variant="body2" color="textSecondary">
          requested by {tenant.requestedBy}
        </Typography>
      </TableCell>
      <TableCell>
        <EntityRefLink entityRef={tenant.workspace} defaultKind="group" />
      </TableCell>
      <TableCell>
        <EntityRefLink entityRef={tenant.site} defaultKind="resource" />
      </TableCell>
      <TableCell>
        <TenantStatusLabel status={tenant.status} />
      </TableCell>
      <TableCell>
        <TextField
          id={`approval-comment-${tenant.id}`}
          label="Comment"
          size="small"
          variant="outlined"
          value={comment}
          inputProps={{ 'aria-label': `Comment on the ${what} ${label}` }}
          onChange={e => setComment(e.target.value)}
        />
        {error && (
          <Typography role="alert" variant="body2" color="error">
            {error}
          </Typography>
        )}
      </TableCell>
      <TableCell>
        <Box display="flex" style={{ gap: 8 }}>
          <Button
            variant="contained"
            color="primary"
            disabled={busy}
            aria-label={`Approve the ${what} ${label}`}
            onClick={() => decide('approve')}
          >
            Approve
          </Button>
          <Button
            variant="outlined"
            disabled={busy}
            aria-label={`Reject the ${what} ${label}`}
            onClick={() => decide('reject')}
          >
            Reject
          </Button>
        </Box>
      </TableCell>
    </TableRow>
  );
};

/**
 * What waits for an approver: tenant requests above their landing zone's auto-approval, and
 * requested deletions. Approving needs the `openstack.tenant.approve` permission; the backend
 * says so when it is missing.
 */
export const TenantApprovals = (props: {
  linkTo: (tenant: Tenant) => string;
  /** Only this workspace's (all workspaces when absent). */
  workspace?: string;
  /** Called after each decision, e.g. to reload a list next to this card. */
  onDecided?: () => void;
}) => {
  const { workspace, onDecided } = props;
  const openstackApi = useApi(openstackApiRef);
  const waiting = useAsyncRetry(async () => {
    const [requests, deletions] = await Promise.all([
      openstackApi.listTenants({ workspace, status: 'requires-approval' }),
      openstackApi.listTenants({ workspace, status: 'deletion-requested' }),
    ]);
    // A deletion already approved waits for replication, not for an approver.
    return [...requests, ...deletions.filter(t => !t.deletionApproved)];
  }, [openstackApi, workspace]);

  let content;
  if (waiting.error) {
    content = <ResponseErrorPanel error={waiting.error} />;
  } else if (!waiting.value) {
    content = <Progress />;
  } else if (waiting.value.length === 0) {
    content = (
      <Typography variant="body2">Nothing waits for approval.</Typography>
    );
  } else {
    content = (
      <Table size="small" aria-label="Waiting for approval">
        <TableHead>
          <TableRow>
            <TableCell>Keystone project</TableCell>
            <TableCell>Workspace</TableCell>
            <TableCell>Site</TableCell>
            <TableCell>Waits for</TableCell>
            <TableCell>Comment</TableCell>
            <TableCell>Decision</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {waiting.value.map(tenant => (
            <ApprovalRow
              key={tenant.id}
              tenant={tenant}
              linkTo={props.linkTo}
              onDecided={() => {
                waiting.retry();
                onDecided?.();
              }}
            />
          ))}
        </TableBody>
      </Table>
    );
  }
  return <InfoCard title="Waiting for approval">{content}</InfoCard>;
};
