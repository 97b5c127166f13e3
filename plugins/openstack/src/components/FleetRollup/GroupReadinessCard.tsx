import { useApi } from '@backstage/core-plugin-api';
import {
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';
import { openstackApiRef } from '../../api';
import { FLEET_PATH, rootRouteRef, useMountedPath } from '../../routes';
import { withTrend } from './FleetRollup';

/**
 * On a Group's page: the readiness of the OpenStack sites it owns, per profile, with the change
 * over the last 7 days, and a link to the fleet page filtered to them.
 */
export const GroupReadinessCard = () => {
  const { entity } = useEntity();
  const groupRef = stringifyEntityRef(entity);
  const openstackApi = useApi(openstackApiRef);
  const fleet = useMountedPath(rootRouteRef, FLEET_PATH);
  const rollup = useAsync(
    () => openstackApi.getRollups('owner', 7),
    [openstackApi],
  );
  const group = rollup.value?.groups.find(g => g.key === groupRef);
  return (
    <InfoCard title="OpenStack sites">
      {rollup.loading && <Progress />}
      {rollup.error && <ResponseErrorPanel error={rollup.error} />}
      {rollup.value && !group && (
        <Typography variant="body2" color="textSecondary">
          This group owns no OpenStack site.
        </Typography>
      )}
      {group && (
        <>
          <Typography variant="body2" gutterBottom>
            {group.sites} site{group.sites === 1 ? '' : 's'}; changes in
            brackets since 7 days ago.
          </Typography>
          {Object.entries(group.profiles).map(
            ([profileId, { now, before }]) => (
              <Typography key={profileId} variant="body2">
                <strong>{profileId}</strong>:{' '}
                {withTrend(now.ready, before.ready)} ready,{' '}
                {withTrend(now.notReady, before.notReady)} not ready,{' '}
                {withTrend(now.notEvaluated, before.notEvaluated)} incomplete,{' '}
                {withTrend(now.notScanned, before.notScanned)} not scanned
              </Typography>
            ),
          )}
          <Typography variant="body2" style={{ marginTop: 8 }}>
            <Link
              to={`${fleet}?by=owner&group=${encodeURIComponent(groupRef)}`}
            >
              See them on the fleet page
            </Link>
          </Typography>
        </>
      )}
    </InfoCard>
  );
};
