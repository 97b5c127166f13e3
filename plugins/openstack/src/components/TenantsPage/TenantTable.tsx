import { Link, Table, TableColumn } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { Tenant } from '@fedstack/plugin-openstack-common';
import Typography from '@material-ui/core/Typography';
import { ReactNode, useMemo } from 'react';
import { relativeTime } from '../ScoreDisplay';
import { wholeWordsColumns } from '../WideTable';
import { tenantStatusTitles, TenantStatusLabel } from './TenantStatusLabel';

/** One row; the string fields are what the table's search and sort read. */
interface TenantRow {
  id: string;
  tenant: Tenant;
  project: string;
  projectName: string;
  site: string;
  status: string;
  lastReplication: string;
}

function toRow(tenant: Tenant): TenantRow {
  return {
    id: tenant.id,
    tenant,
    project: tenant.project,
    projectName: tenant.projectName,
    site: tenant.site,
    status: tenantStatusTitles[tenant.status],
    lastReplication: tenant.lastReplication?.at ?? '',
  };
}

function columns(linkTo: (tenant: Tenant) => string): TableColumn<TenantRow>[] {
  const tenantColumns: TableColumn<TenantRow>[] = [
    {
      title: 'Project',
      field: 'project',
      highlight: true,
      render: ({ tenant }) => <Link to={linkTo(tenant)}>{tenant.project}</Link>,
    },
    { title: 'Keystone project', field: 'projectName' },
    {
      title: 'Site',
      field: 'site',
      render: ({ tenant }) => (
        <EntityRefLink entityRef={tenant.site} defaultKind="resource" />
      ),
    },
    {
      title: 'Status',
      field: 'status',
      render: ({ tenant }) => <TenantStatusLabel status={tenant.status} />,
    },
    {
      title: 'Last replication',
      field: 'lastReplication',
      defaultSort: 'desc',
      render: ({ tenant }) => {
        const last = tenant.lastReplication;
        if (!last) return <Typography variant="body2">never</Typography>;
        return (
          <Typography variant="body2" title={last.at}>
            {relativeTime(last.at)} ({last.status})
          </Typography>
        );
      },
    },
  ];
  // Whole words: on a phone the table scrolls sideways rather than splitting "Sandbox".
  return wholeWordsColumns(tenantColumns);
}

/** Tenants in a table: project (linking to the tenant's page), site, status, last replication. */
export const TenantTable = (props: {
  title: string;
  tenants: Tenant[];
  linkTo: (tenant: Tenant) => string;
  emptyContent?: ReactNode;
  isLoading?: boolean;
}) => {
  const { linkTo, tenants } = props;
  // Stable columns and rows: the table re-renders every row when they change identity.
  const tableColumns = useMemo(() => columns(linkTo), [linkTo]);
  const rows = useMemo(() => tenants.map(toRow), [tenants]);
  return (
    <Table<TenantRow>
      title={props.title}
      options={{ paging: false, search: tenants.length > 5 }}
      isLoading={props.isLoading}
      columns={tableColumns}
      data={rows}
      emptyContent={props.emptyContent}
    />
  );
};
