import { useApi } from '@backstage/core-plugin-api';
import { ResponseErrorPanel } from '@backstage/core-components';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { openstackApiRef } from '../../api';
import { WaiversTable } from './WaiversTable';

/**
 * The fleet's open waivers (pending and active) on the sites the user may read: what is
 * waived where, until when, and what waits for an approver.
 */
export const FleetWaivers = (props: { onChanged?: () => void }) => {
  const openstackApi = useApi(openstackApiRef);
  const waivers = useAsyncRetry(
    () => openstackApi.listWaivers('open'),
    [openstackApi],
  );
  if (waivers.error) return <ResponseErrorPanel error={waivers.error} />;
  return (
    <WaiversTable
      title="Open waivers"
      showSite
      waivers={waivers.value?.items ?? []}
      onChanged={() => {
        waivers.retry();
        props.onChanged?.();
      }}
      emptyContent="No check of any site is waived or waiting for approval."
    />
  );
};
