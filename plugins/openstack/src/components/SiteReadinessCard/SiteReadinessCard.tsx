import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import {
  entityRouteParams,
  entityRouteRef,
  useEntity,
} from '@backstage/plugin-catalog-react';
import { readSiteFromEntity } from '@fedstack/plugin-openstack-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';
import { openstackApiRef } from '../../api';
import { SITE_SCORECARD_PATH } from '../../routes';
import {
  NotScannedLabel,
  ReadinessLabel,
  relativeTime,
  ScoreChip,
  scanTime,
  ErrorText,
} from '../ScoreDisplay';

/**
 * A compact card for an `openstack-site`'s overview page: score and readiness per profile of the
 * latest scan, with a link to the scorecard tab.
 */
export const SiteReadinessCard = () => {
  const { entity } = useEntity();
  const openstackApi = useApi(openstackApiRef);
  const entityRoute = useRouteRef(entityRouteRef);
  const site = readSiteFromEntity(entity);
  const namespace = entity.metadata.namespace ?? 'default';
  const name = entity.metadata.name;
  const detail = useAsync(
    async () => (site.ok ? openstackApi.getSite(namespace, name) : undefined),
    [openstackApi, namespace, name, site.ok],
  );
  const deepLink = {
    title: 'View scorecard',
    link: `${entityRoute(entityRouteParams(entity))}/${SITE_SCORECARD_PATH}`,
  };

  let content;
  if (!site.ok) {
    content = <ErrorText>Misconfigured: {site.problems.join('; ')}</ErrorText>;
  } else if (detail.loading) {
    content = <Progress />;
  } else if (detail.error) {
    content = <ResponseErrorPanel error={detail.error} />;
  } else {
    const latest = [...(detail.value?.history ?? [])]
      .reverse()
      .find(scan => scan.status === 'completed');
    content = latest ? (
      <>
        {latest.profiles.map(profile => (
          <Box
            key={profile.profileId}
            display="flex"
            alignItems="center"
            style={{ gap: 12 }}
            mb={1}
          >
            <Typography variant="body2" style={{ minWidth: 120 }}>
              {profile.profileId}
            </Typography>
            <ScoreChip score={profile.score} />
            <ReadinessLabel readiness={profile.readiness} />
          </Box>
        ))}
        <Typography variant="caption" color="textSecondary">
          Scanned {relativeTime(scanTime(latest))}
        </Typography>
      </>
    ) : (
      <NotScannedLabel />
    );
  }

  return (
    <InfoCard title="OpenStack readiness" deepLink={deepLink}>
      {content}
    </InfoCard>
  );
};
