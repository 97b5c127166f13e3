import {
  Content,
  ContentHeader,
  Header,
  Page,
  ResponseErrorPanel,
  SupportButton,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { catalogApiRef, EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  OPENSTACK_SITE_TYPE,
  readSiteFromEntity,
  SiteReadResult,
} from '@fedstack/plugin-openstack-common';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';
import { openstackApiRef } from '../../api';

interface SiteRow {
  id: string;
  result: SiteReadResult;
}

const columns: TableColumn<SiteRow>[] = [
  {
    title: 'Site',
    field: 'id',
    highlight: true,
    render: ({ result }) => (
      <EntityRefLink
        entityRef={result.ok ? result.site.entityRef : result.entityRef}
      />
    ),
  },
  {
    title: 'Keystone',
    render: ({ result }) => (result.ok ? result.site.keystoneUrl : '—'),
  },
  {
    title: 'Region',
    render: ({ result }) => (result.ok ? result.site.region ?? '—' : '—'),
  },
  {
    title: 'Profiles',
    render: ({ result }) =>
      result.ok
        ? result.site.profiles.map(profile => (
            <Chip key={profile} size="small" label={profile} />
          ))
        : '—',
  },
  {
    title: 'Status',
    render: ({ result }) =>
      result.ok ? (
        <Typography variant="body2">Not scanned yet</Typography>
      ) : (
        <Typography variant="body2" color="error">
          Misconfigured: {result.problems.join('; ')}
        </Typography>
      ),
  },
];

/** The fleet overview: every OpenStack site in the catalog. */
export const FleetPage = () => {
  const catalogApi = useApi(catalogApiRef);
  const openstackApi = useApi(openstackApiRef);

  const sites = useAsync(async () => {
    const { items } = await catalogApi.getEntities({
      filter: { kind: 'Resource', 'spec.type': OPENSTACK_SITE_TYPE },
    });
    return items
      .map(entity => ({
        id: `${entity.metadata.namespace ?? 'default'}/${entity.metadata.name}`,
        result: readSiteFromEntity(entity),
      }))
      .sort((a, b) => a.id.localeCompare(b.id));
  }, [catalogApi]);
  const health = useAsync(() => openstackApi.getHealth(), [openstackApi]);

  return (
    <Page themeId="tool">
      <Header
        title="OpenStack fleet"
        subtitle="Compliance of the federation's OpenStack sites"
      />
      <Content>
        <ContentHeader title="Sites">
          <SupportButton>
            Every catalog Resource of type openstack-site, with its Keystone
            URL, region and compliance profiles.
          </SupportButton>
        </ContentHeader>
        {health.error && <ResponseErrorPanel error={health.error} />}
        {sites.error ? (
          <ResponseErrorPanel error={sites.error} />
        ) : (
          <Table<SiteRow>
            title={`${sites.value?.length ?? 0} sites`}
            isLoading={sites.loading}
            columns={columns}
            data={sites.value ?? []}
            options={{ paging: false, search: true, padding: 'dense' }}
          />
        )}
      </Content>
    </Page>
  );
};
