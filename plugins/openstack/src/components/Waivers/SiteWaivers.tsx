import { useState } from 'react';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { ResponseErrorPanel } from '@backstage/core-components';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  CheckResultSummary,
  openstackWaiverRequestPermission,
} from '@fedstack/plugin-openstack-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { openstackApiRef } from '../../api';
import { WaiverDialog } from './WaiverDialog';
import { WaiversTable } from './WaiversTable';

/**
 * A site's waivers, history included, on its OpenStack tab: its owners ask for one on a check
 * that did not pass; approvers decide. A change reloads the site's scores (`onChanged`), which
 * the backend computes with the active waivers.
 */
export const SiteWaivers = (props: {
  namespace: string;
  name: string;
  entityRef: string;
  results: CheckResultSummary[];
  onChanged: () => void;
}) => {
  const { namespace, name } = props;
  const openstackApi = useApi(openstackApiRef);
  const alertApi = useApi(alertApiRef);
  const owner = usePermission({
    permission: openstackWaiverRequestPermission,
    resourceRef: props.entityRef,
  });
  const waivers = useAsyncRetry(
    () => openstackApi.listSiteWaivers(namespace, name, 'all'),
    [openstackApi, namespace, name],
  );
  const [asking, setAsking] = useState(false);
  const changed = () => {
    waivers.retry();
    props.onChanged();
  };
  const open = new Set(
    (waivers.value?.items ?? [])
      .filter(w => w.status === 'pending' || w.active)
      .map(w => w.checkId),
  );
  // A check that did not pass, with no pending or active waiver yet.
  const waivable = props.results.filter(
    check =>
      check.status !== 'pass' &&
      check.status !== 'skip' &&
      !open.has(check.checkId),
  );

  if (waivers.error) return <ResponseErrorPanel error={waivers.error} />;
  return (
    <>
      <WaiversTable
        title="Waivers"
        waivers={waivers.value?.items ?? []}
        onChanged={changed}
        emptyContent="No check of this site has been waived."
      />
      {owner.allowed && waivers.value && (
        <Box mt={1}>
          <Button
            variant="outlined"
            color="primary"
            disabled={waivable.length === 0}
            onClick={() => setAsking(true)}
          >
            Ask for a waiver
          </Button>
        </Box>
      )}
      {waivers.value && (
        <WaiverDialog
          open={asking}
          checks={waivable}
          policy={waivers.value.policy}
          onClose={() => setAsking(false)}
          onSubmit={async request => {
            await openstackApi.requestWaiver(namespace, name, request);
            setAsking(false);
            alertApi.post({
              message: `Waiver of ${request.checkId} asked: an approver decides it`,
              severity: 'success',
              display: 'transient',
            });
            changed();
          }}
        />
      )}
    </>
  );
};
