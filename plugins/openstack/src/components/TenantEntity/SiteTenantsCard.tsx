import { Entity } from '@backstage/catalog-model';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
  TableColumn,
} from '@backstage/core-components';
import {
  EntityTable,
  useEntity,
  useRelatedEntities,
} from '@backstage/plugin-catalog-react';
import {
  OPENSTACK_ANNOTATIONS,
  OPENSTACK_PROJECT_TYPE,
  tenantStatusSchema,
} from '@fedstack/plugin-openstack-common';
import Typography from '@material-ui/core/Typography';
import { TenantStatusLabel } from '../TenantsPage/TenantStatusLabel';

const columns: TableColumn<Entity>[] = [
  EntityTable.columns.createEntityRefColumn({ defaultKind: 'resource' }),
  EntityTable.columns.createOwnerColumn(),
  {
    title: 'Status',
    render: entity => {
      // An annotation is catalog data: only a known status gets the status label.
      const status = tenantStatusSchema.safeParse(
        entity.metadata.annotations?.[OPENSTACK_ANNOTATIONS.tenantStatus],
      );
      return status.success ? <TenantStatusLabel status={status.data} /> : '—';
    },
  },
];

/**
 * The tenants of an `openstack-site`: the `openstack-project` Resources that depend on it (its
 * `dependencyOf` relations), as the catalog module's tenant provider imports them.
 */
export const SiteTenantsCard = () => {
  const { entity } = useEntity();
  const { entities, loading, error } = useRelatedEntities(entity, {
    type: 'dependencyOf',
    kind: 'resource',
  });
  if (loading)
    return (
      <InfoCard title="Tenants">
        <Progress />
      </InfoCard>
    );
  if (error)
    return (
      <InfoCard title="Tenants">
        <ResponseErrorPanel error={error} />
      </InfoCard>
    );
  const tenants = (entities ?? []).filter(
    e => e.spec?.type === OPENSTACK_PROJECT_TYPE,
  );
  return (
    <EntityTable
      title="Tenants"
      entities={tenants}
      columns={columns}
      emptyContent={
        <Typography variant="body2" style={{ padding: 16 }}>
          No tenant of this site in the catalog.
        </Typography>
      }
    />
  );
};
