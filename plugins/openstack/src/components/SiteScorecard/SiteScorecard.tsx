import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
  WarningPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  openstackScanTriggerPermission,
  readSiteFromEntity,
} from '@fedstack/plugin-openstack-common';
import Grid from '@material-ui/core/Grid';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { openstackApiRef } from '../../api';
import { relativeTime, scanTime } from '../ScoreDisplay';
import { SiteOverviewCard } from '../SiteOverviewCard';
import { CheckList } from './CheckList';
import { ProfileScores } from './ProfileScores';
import { ScanNowButton, ScanProgress } from './ScanProgress';
import { ScoreHistory } from './ScoreHistory';
import { useScanNow } from './useScanNow';
import { SiteWaivers } from '../Waivers';

export const NOT_A_SCANNER =
  'You may not scan this site: the permission openstack.scan.trigger on it is needed.';

const SiteScores = (props: {
  namespace: string;
  name: string;
  entityRef: string;
}) => {
  const { namespace, name } = props;
  const openstackApi = useApi(openstackApiRef);
  // The backend checks it on the site's entity too (403); disabled while the decision loads.
  const scanner = usePermission({
    permission: openstackScanTriggerPermission,
    resourceRef: props.entityRef,
  });
  const detail = useAsyncRetry(
    () => openstackApi.getSite(namespace, name),
    [openstackApi, namespace, name],
  );
  const { state, scanNow } = useScanNow(namespace, name, detail.retry);

  const overview = (
    <Grid item xs={12} md={5}>
      <SiteOverviewCard />
    </Grid>
  );

  if (!detail.value) {
    return (
      <Grid container spacing={3}>
        {overview}
        <Grid item xs={12} md={7}>
          {detail.error ? (
            <ResponseErrorPanel error={detail.error} />
          ) : (
            <Progress />
          )}
        </Grid>
      </Grid>
    );
  }

  const { site, results, history } = detail.value;
  const latest = site.latestScan;
  const scannable = site.problems.length === 0;
  const button = (
    <ScanNowButton
      state={state}
      disabled={!scannable || scanner.loading}
      refused={!scanner.loading && !scanner.allowed ? NOT_A_SCANNER : undefined}
      onClick={scanNow}
    />
  );
  const progress = (
    <ScanProgress state={state} expectedChecks={results.length} />
  );
  const neverScanned = latest === null && results.length === 0;
  // Scores come from the scan the results belong to: the latest finished one.
  const scored =
    [...history].reverse().find(scan => scan.status === 'completed') ??
    (latest?.status === 'completed' ? latest : undefined);

  return (
    <Grid container spacing={3}>
      {overview}
      <Grid item xs={12} md={7}>
        {detail.error && <ResponseErrorPanel error={detail.error} />}
        {!scannable && (
          <WarningPanel
            severity="error"
            title="The backend cannot scan this site"
            defaultExpanded
          >
            <ul>
              {site.problems.map(problem => (
                <li key={problem}>{problem}</li>
              ))}
            </ul>
          </WarningPanel>
        )}
        {neverScanned ? (
          <InfoCard title="Readiness">
            {progress}
            <EmptyState
              missing="data"
              title="This site has not been scanned yet"
              description="A scan runs every check of the site's profiles against its Keystone and services, read-only."
              action={button}
            />
          </InfoCard>
        ) : (
          <InfoCard
            title="Readiness"
            subheader={
              latest
                ? `Last scan ${relativeTime(scanTime(latest))} (${
                    latest.trigger
                  }, ${latest.status})`
                : undefined
            }
            action={button}
          >
            {progress}
            {latest?.status === 'failed' && (
              <WarningPanel
                severity="warning"
                title="The last scan failed"
                defaultExpanded
                message={latest.error ?? 'The backend gave no reason.'}
              />
            )}
            {scored && (
              <ProfileScores profiles={scored.profiles} results={results} />
            )}
            <ScoreHistory history={history} profileIds={site.profiles} />
          </InfoCard>
        )}
      </Grid>
      {latest && results.length > 0 && (
        <Grid item xs={12}>
          {/* The results are those of the latest finished scan, the site's latestScan. */}
          <CheckList scanId={latest.id} results={results} />
        </Grid>
      )}
      {latest && results.length > 0 && (
        <Grid item xs={12}>
          <SiteWaivers
            namespace={namespace}
            name={name}
            entityRef={props.entityRef}
            results={results}
            onChanged={detail.retry}
          />
        </Grid>
      )}
    </Grid>
  );
};

/** The OpenStack tab of an `openstack-site` Resource: the site, its scores and every check. */
export const SiteScorecard = () => {
  const { entity } = useEntity();
  if (!readSiteFromEntity(entity).ok) {
    // The overview card explains what is wrong with the annotations; there is nothing to scan.
    return <SiteOverviewCard />;
  }
  return (
    <SiteScores
      namespace={entity.metadata.namespace ?? 'default'}
      name={entity.metadata.name}
      entityRef={stringifyEntityRef(entity)}
    />
  );
};
