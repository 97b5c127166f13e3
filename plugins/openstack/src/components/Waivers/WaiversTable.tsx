import { useState } from 'react';
import {
  alertApiRef,
  identityApiRef,
  useApi,
} from '@backstage/core-plugin-api';
import { InfoCard, Table, TableColumn } from '@backstage/core-components';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  openstackWaiverApprovePermission,
  Waiver,
} from '@fedstack/plugin-openstack-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';
import { openstackApiRef } from '../../api';
import { humanRef } from '../humanRef';

/** A waiver's state in words: the status, or "expired" for an approved one past its date. */
export function waiverState(waiver: Waiver): string {
  if (waiver.status === 'approved') return waiver.active ? 'active' : 'expired';
  return waiver.status;
}

const day = (iso: string | null) => (iso ? iso.slice(0, 10) : '—');

/**
 * Waivers with what an operator needs to judge them, and the actions the user may take:
 * approve or reject (approvers, on others' pending waivers), revoke (what the backend allows).
 */
export const WaiversTable = (props: {
  title: string;
  waivers: Waiver[];
  /** Show the site column (the fleet's list). */
  showSite?: boolean;
  onChanged: () => void;
  emptyContent?: string;
}) => {
  const openstackApi = useApi(openstackApiRef);
  const alertApi = useApi(alertApiRef);
  const identityApi = useApi(identityApiRef);
  const me = useAsync(
    async () => (await identityApi.getBackstageIdentity()).userEntityRef,
  );
  const approver = usePermission({
    permission: openstackWaiverApprovePermission,
  });
  const [busy, setBusy] = useState<string>();
  const [rejecting, setRejecting] = useState<Waiver>();
  const [rejectReason, setRejectReason] = useState('');

  const act = async (
    waiver: Waiver,
    action: () => Promise<Waiver>,
    done: string,
  ) => {
    setBusy(waiver.id);
    try {
      await action();
      alertApi.post({
        message: done,
        severity: 'success',
        display: 'transient',
      });
      props.onChanged();
    } catch (error) {
      alertApi.post({ message: (error as Error).message, severity: 'error' });
    } finally {
      setBusy(undefined);
    }
  };

  const columns: TableColumn<Waiver>[] = [
    ...(props.showSite
      ? [
          {
            title: 'Site',
            render: (w: Waiver) => humanRef(w.siteRef, 'resource'),
          },
        ]
      : []),
    {
      title: 'Check',
      render: w => (
        <Typography variant="body2" style={{ fontFamily: 'monospace' }}>
          {w.checkId}
        </Typography>
      ),
    },
    { title: 'State', render: w => waiverState(w) },
    { title: 'Until', render: w => day(w.expiresAt) },
    { title: 'Reason', render: w => w.reason },
    {
      title: 'Asked by',
      render: w => `${humanRef(w.requestedBy, 'user')}, ${day(w.requestedAt)}`,
    },
    {
      title: 'Decided by',
      render: w =>
        w.decidedBy
          ? `${humanRef(w.decidedBy, 'user')}, ${day(w.decidedAt)}${
              w.decisionReason ? `: ${w.decisionReason}` : ''
            }`
          : '—',
    },
    {
      title: 'Actions',
      render: w => {
        const mine = me.value?.toLowerCase() === w.requestedBy.toLowerCase();
        const canDecide = w.status === 'pending' && approver.allowed && !mine;
        const open =
          w.status === 'pending' || (w.status === 'approved' && w.active);
        return (
          <Box display="flex" style={{ gap: 8, whiteSpace: 'nowrap' }}>
            {canDecide && (
              <Button
                size="small"
                color="primary"
                variant="outlined"
                disabled={busy === w.id}
                onClick={() =>
                  act(
                    w,
                    () =>
                      openstackApi.decideWaiver(w.id, { decision: 'approve' }),
                    `Waiver of ${w.checkId} approved`,
                  )
                }
              >
                Approve
              </Button>
            )}
            {canDecide && (
              <Button
                size="small"
                variant="outlined"
                disabled={busy === w.id}
                onClick={() => {
                  setRejectReason('');
                  setRejecting(w);
                }}
              >
                Reject
              </Button>
            )}
            {open && (
              <Button
                size="small"
                disabled={busy === w.id}
                onClick={() =>
                  act(
                    w,
                    () => openstackApi.revokeWaiver(w.id),
                    `Waiver of ${w.checkId} ended`,
                  )
                }
              >
                {w.status === 'pending' && mine ? 'Withdraw' : 'Revoke'}
              </Button>
            )}
          </Box>
        );
      },
    },
  ];

  // A list to read, not to sort: its header cells stay plain text (the fleet's table sorts).
  const plain = columns.map(column => ({ ...column, sorting: false }));
  if (props.waivers.length === 0) {
    // No empty table: its eight headers scrolled sideways on a phone, with nothing in reach of
    // the keyboard (axe: scrollable-region-focusable), to say there is nothing.
    return (
      <InfoCard title={props.title}>
        <Typography variant="body2" color="textSecondary">
          {props.emptyContent ?? 'No waivers.'}
        </Typography>
      </InfoCard>
    );
  }
  return (
    <>
      <Table<Waiver>
        title={props.title}
        options={{
          paging: false,
          search: false,
          sorting: false,
          draggable: false,
          padding: 'dense',
        }}
        columns={plain}
        data={props.waivers}
        emptyContent={
          <Box p={2}>
            <Typography variant="body2" color="textSecondary">
              {props.emptyContent ?? 'No waivers.'}
            </Typography>
          </Box>
        }
      />
      <Dialog
        open={Boolean(rejecting)}
        onClose={() => setRejecting(undefined)}
        aria-labelledby="openstack-waiver-reject-title"
      >
        <DialogTitle id="openstack-waiver-reject-title">
          Reject the waiver of {rejecting?.checkId}?
        </DialogTitle>
        <DialogContent>
          <TextField
            fullWidth
            multiline
            minRows={2}
            variant="outlined"
            label="Why"
            id="openstack-waiver-reject-reason"
            value={rejectReason}
            onChange={event => setRejectReason(event.target.value)}
            helperText="The requester reads it"
          />
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setRejecting(undefined)}>Cancel</Button>
          <Button
            color="primary"
            variant="contained"
            disabled={!rejectReason.trim() || !rejecting}
            onClick={() => {
              const waiver = rejecting!;
              setRejecting(undefined);
              act(
                waiver,
                () =>
                  openstackApi.decideWaiver(waiver.id, {
                    decision: 'reject',
                    reason: rejectReason.trim(),
                  }),
                `Waiver of ${waiver.checkId} rejected`,
              );
            }}
          >
            Reject
          </Button>
        </DialogActions>
      </Dialog>
    </>
  );
};
