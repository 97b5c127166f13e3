import {
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import {
  alertApiRef,
  identityApiRef,
  useApi,
} from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  LandingZone,
  openstackTenantApprovePermission,
  quotasAboveAutoApproval,
  Tenant,
} from '@fedstack/plugin-openstack-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import TextField from '@material-ui/core/TextField';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { apiErrorMessage, openstackApiRef } from '../../api';
import { TenantStatusLabel } from '../TenantsPage/TenantStatusLabel';
import { humanRef } from '../humanRef';
import { WideTable } from '../WideTable';
import { quotaSetTitles, quotaUnitSuffix } from '../TenantPage/QuotaTable';
import { ErrorText } from '../ScoreDisplay';

/** What of a request is above its landing zone's auto-approval: what the approver decides on. */
export function approvalReasons(tenant: Tenant, zone?: LandingZone): string[] {
  if (tenant.status !== 'requires-approval' || !zone) return [];
  if (!zone.autoApproveUpTo) {
    return [`Landing zone ${zone.title} approves no request at once`];
  }
  return quotasAboveAutoApproval(zone, tenant.quotas).map(
    ({ service, key, value, bound }) => {
      const name = `${quotaSetTitles[service]} ${key}${quotaUnitSuffix(
        service,
        key,
      )}`;
      const asked = value === -1 ? 'unlimited' : String(value);
      return bound === undefined
        ? `${name}: ${asked} (no auto-approval limit)`
        : `${name}: ${asked} (at once up to ${bound})`;
    },
  );
}

export const NOT_AN_APPROVER =
  'You may not approve or reject tenants: the permission openstack.tenant.approve is needed.';
const OWN_REQUEST =
  'You requested this tenant: nobody approves their own request, another approver must.';

const ApprovalRow = (props: {
  tenant: Tenant;
  linkTo: (tenant: Tenant) => string;
  onDecided: () => void;
  /** Why the user may not decide, if they may not. */
  refused?: string;
  userRef?: string;
  zone?: LandingZone;
}) => {
  const { tenant, refused } = props;
  // The backend refuses it too (403); a deletion's asker is only in its events, so it says so then.
  const ownRequest =
    tenant.status === 'requires-approval' &&
    !!props.userRef &&
    tenant.requestedBy.toLowerCase() === props.userRef.toLowerCase();
  const openstackApi = useApi(openstackApiRef);
  const alertApi = useApi(alertApiRef);
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const what =
    tenant.status === 'deletion-requested' ? 'deletion of' : 'request of';
  // Names as people read them: "site-a", not "resource:default/site-a".
  const label = `${tenant.projectName} on ${humanRef(tenant.site, 'resource')}`;

  const decide = async (decision: 'approve' | 'reject') => {
    setBusy(true);
    setError(undefined);
    try {
      await openstackApi.decideTenant(tenant.id, {
        decision,
        ...(comment.trim() ? { comment: comment.trim() } : {}),
      });
      // The row leaves the queue: say what happened to it.
      alertApi.post({
        message:
          decision === 'approve'
            ? `Approved the ${what} ${label}: it is replicated shortly.`
            : `Rejected the ${what} ${label}.`,
        severity: 'success',
        display: 'transient',
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
          requested by{' '}
          <EntityRefLink entityRef={tenant.requestedBy} defaultKind="user" />
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
        {approvalReasons(tenant, props.zone).map(reason => (
          <Typography key={reason} variant="body2" color="textSecondary">
            {reason}
          </Typography>
        ))}
      </TableCell>
      <TableCell>
        <TextField
          id={`approval-comment-${tenant.id}`}
          label="Comment"
          size="small"
          // Not squeezed below its label by the table's other columns.
          style={{ minWidth: '10rem' }}
          variant="outlined"
          value={comment}
          inputProps={{ 'aria-label': `Comment on the ${what} ${label}` }}
          onChange={e => setComment(e.target.value)}
        />
        {error && (
          <ErrorText role="alert" variant="body2">
            {error}
          </ErrorText>
        )}
      </TableCell>
      <TableCell>
        {/* Whole words on the buttons, whatever the table's width leaves them. */}
        <Box display="flex" flexWrap="nowrap" style={{ gap: 8 }}>
          {/* A span: a disabled button gets no hover events for the tooltip. */}
          <Tooltip title={refused ?? (ownRequest ? OWN_REQUEST : '')}>
            <span>
              <Button
                variant="contained"
                color="primary"
                disabled={busy || !!refused || ownRequest}
                style={{ whiteSpace: 'nowrap' }}
                aria-label={`Approve the ${what} ${label}`}
                onClick={() => decide('approve')}
              >
                Approve
              </Button>
            </span>
          </Tooltip>
          <Tooltip title={refused ?? ''}>
            <span>
              <Button
                variant="outlined"
                disabled={busy || !!refused}
                style={{ whiteSpace: 'nowrap' }}
                aria-label={`Reject the ${what} ${label}`}
                onClick={() => decide('reject')}
              >
                Reject
              </Button>
            </span>
          </Tooltip>
        </Box>
        {ownRequest && !refused && (
          <Typography variant="body2" color="textSecondary">
            {OWN_REQUEST}
          </Typography>
        )}
      </TableCell>
    </TableRow>
  );
};

/**
 * What waits for an approver: tenant requests above their landing zone's auto-approval, and
 * requested deletions. Deciding needs the `openstack.tenant.approve` permission: without it the
 * buttons are disabled with the reason; one's own request cannot be approved.
 */
export const TenantApprovals = (props: {
  linkTo: (tenant: Tenant) => string;
  /** Only this workspace's (all workspaces when absent). */
  workspace?: string;
  /** Only this tenant (its own page's approval card). */
  tenantId?: string;
  /** Called after each decision, e.g. to reload a list next to this card. */
  onDecided?: () => void;
}) => {
  const { workspace, tenantId, onDecided } = props;
  const openstackApi = useApi(openstackApiRef);
  const identityApi = useApi(identityApiRef);
  const approver = usePermission({
    permission: openstackTenantApprovePermission,
  });
  const identity = useAsync(
    () => identityApi.getBackstageIdentity(),
    [identityApi],
  );
  const refused =
    !approver.loading && !approver.allowed ? NOT_AN_APPROVER : undefined;
  const waiting = useAsyncRetry(async () => {
    const [requests, deletions] = await Promise.all([
      openstackApi.listTenants({ workspace, status: 'requires-approval' }),
      openstackApi.listTenants({ workspace, status: 'deletion-requested' }),
    ]);
    // A deletion already approved waits for replication, not for an approver.
    return [...requests, ...deletions.filter(t => !t.deletionApproved)].filter(
      t => tenantId === undefined || t.id === tenantId,
    );
  }, [openstackApi, workspace, tenantId]);
  // Each request is shown against its landing zone's limits.
  const zones = useAsync(() => openstackApi.listLandingZones(), [openstackApi]);

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
      <>
        {refused && (
          <Typography variant="body2" color="textSecondary">
            {refused}
          </Typography>
        )}
        <WideTable size="small" aria-label="Waiting for approval">
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
                refused={
                  approver.loading ? 'Checking your permissions…' : refused
                }
                userRef={identity.value?.userEntityRef}
                zone={zones.value?.find(z => z.id === tenant.landingZone)}
                onDecided={() => {
                  waiting.retry();
                  onDecided?.();
                }}
              />
            ))}
          </TableBody>
        </WideTable>
      </>
    );
  }
  return <InfoCard title="Waiting for approval">{content}</InfoCard>;
};
