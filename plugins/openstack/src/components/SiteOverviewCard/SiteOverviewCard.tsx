import {
  InfoCard,
  StructuredMetadataTable,
  WarningPanel,
} from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import { readSiteFromEntity } from '@fedstack/plugin-openstack-common';

/** What the portal knows of a site from its catalog entity; the scorecard builds on it. */
export const SiteOverviewCard = () => {
  const { entity } = useEntity();
  const result = readSiteFromEntity(entity);

  if (!result.ok) {
    return (
      <WarningPanel
        severity="error"
        title="This OpenStack site is misconfigured"
        defaultExpanded
      >
        <ul>
          {result.problems.map(problem => (
            <li key={problem}>{problem}</li>
          ))}
        </ul>
      </WarningPanel>
    );
  }
  const { site } = result;
  return (
    <InfoCard title="OpenStack site">
      <StructuredMetadataTable
        metadata={{
          Keystone: site.keystoneUrl,
          Region: site.region ?? 'any',
          'GOCDB name': site.gocdbName ?? 'not registered',
          Profiles: site.profiles.join(', '),
          'Credential set': site.credentials,
        }}
      />
    </InfoCard>
  );
};
